"""Bad input to impact calculation and impact claims (issue 3)."""

from __future__ import annotations

from tests.service.bad_input.common import CLAIM, CLAIM_BODY, MALFORMED, UNKNOWN, Bad, without
from tests.service.helpers import project_payload

IMPACT_CASES: list[Bad] = [
    # ── impact, claims and audit (issue 3) ──
    Bad("calculate", "malformed_json", MALFORMED, 400, "body"),
    Bad("calculate", "missing_metric_id", {"inputs": {}}, 400, "metric_id"),
    Bad("calculate", "metric_id_pattern", {"metric_id": "KY LM3", "inputs": {}}, 400, "metric_id"),
    Bad("calculate", "inputs_not_object", {"metric_id": "KY-LM3", "inputs": [1]}, 400, "inputs"),
    Bad("calculate", "unknown_field", {"metric_id": "KY-LM3", "inputs": {}, "x": 1}, 400, "x"),
    Bad("calculate", "unknown_metric", {"metric_id": "KY-NOPE", "inputs": {}}, 422, "metric_id"),
    Bad(
        "calculate",
        "negative_yen",
        {"metric_id": "KY-LM3", "inputs": {"lm3_r1_yen": -1, "lm3_r2_yen": 0, "lm3_r3_yen": 0}},
        422,
        "inputs.lm3_r1_yen",
    ),
    Bad("calculate", "unknown_input", {"metric_id": "KY-LM3", "inputs": {"r1": 1}}, 422, "inputs.r1"),
    Bad("calculate", "bool_for_number", {"metric_id": "PI4060", "inputs": {"clients_served": True}}, 422),
    Bad("project_create", "impact_input_out_of_range", project_payload(impact_inputs={"mpc": 1.5}), 422),
    Bad("project_create", "impact_input_unknown", project_payload(impact_inputs={"vibes": 1}), 422),
    Bad("project_patch", "impact_input_wrong_type", {"impact_inputs": {"jobs_after": "5"}}, 422),
    Bad(
        "project_patch",
        "impact_input_nul",
        {"impact_inputs": {"sroi_outcomes": [{"name": "a\u0000", "quantity": 1, "financial_proxy_yen": 1}]}},
        422,
        "impact_inputs.sroi_outcomes[0].name",
    ),
    Bad("project_patch", "impact_label_not_allowed", {"impact_label": "guessed"}, 400, "impact_label"),
    Bad("claim_submit", "malformed_json", MALFORMED, 400, "body"),
    Bad("claim_submit", "missing_method", without(CLAIM_BODY, "method"), 400, "method"),
    Bad("claim_submit", "value_wrong_type", {**CLAIM_BODY, "value": "lots"}, 400, "value"),
    Bad("claim_submit", "value_too_large", {**CLAIM_BODY, "value": 1e300}, 400, "value"),
    Bad("claim_submit", "period_not_a_date", {**CLAIM_BODY, "period_start": "April"}, 400, "period_start"),
    Bad("claim_submit", "boundary_with_nul", {**CLAIM_BODY, "boundary": "\u0000"}, 400, "boundary"),
    Bad("claim_submit", "baseline_empty", {**CLAIM_BODY, "baseline": ""}, 400, "baseline"),
    Bad("claim_submit", "unknown_field", {**CLAIM_BODY, "status": "verified"}, 400, "status"),
    Bad("claim_submit", "unknown_metric", {**CLAIM_BODY, "metric_id": "KY-NOPE"}, 422, "metric_id"),
    Bad("claim_submit", "period_reversed", {**CLAIM_BODY, "period_end": "2025-01-01"}, 422, "period_end"),
    Bad("claim_submit", "period_in_future", {**CLAIM_BODY, "period_end": "2999-12-31"}, 422, "period_end"),
    Bad(
        "claim_submit",
        "unknown_project",
        CLAIM_BODY,
        404,
        None,
        "project.not_found",
        path=f"/projects/{UNKNOWN}/claims",
    ),
    Bad("claim_decide", "malformed_json", MALFORMED, 400, "body", path=f"{CLAIM}/decisions"),
    Bad(
        "claim_decide",
        "decision_not_allowed",
        {"decision": "approve", "reason": "x"},
        400,
        "decision",
        path=f"{CLAIM}/decisions",
    ),
    Bad("claim_decide", "missing_reason", {"decision": "verify"}, 400, "reason", path=f"{CLAIM}/decisions"),
    Bad("claim_decide", "empty_reason", {"decision": "verify", "reason": ""}, 400, "reason", path=f"{CLAIM}/decisions"),
    Bad(
        "claim_decide",
        "unknown_claim",
        {"decision": "verify", "reason": "x"},
        404,
        None,
        "impact_claim.not_found",
        path=f"{CLAIM}/decisions",
    ),
    Bad("claim_resubmit", "malformed_json", MALFORMED, 400, "body", path=f"{CLAIM}/resubmit"),
    Bad("claim_resubmit", "reason_too_long", {"reason": "x" * 2001}, 400, "reason", path=f"{CLAIM}/resubmit"),
    Bad(
        "claim_resubmit",
        "unknown_claim",
        {"reason": "x"},
        404,
        None,
        "impact_claim.not_found",
        path=f"{CLAIM}/resubmit",
    ),
    Bad("claim_contest", "malformed_json", MALFORMED, 400, "body", path=f"{CLAIM}/contest"),
    Bad("claim_contest", "reason_with_nul", {"reason": "\u0000"}, 400, "reason", path=f"{CLAIM}/contest"),
    Bad(
        "claim_contest", "unknown_claim", {"reason": "x"}, 404, None, "impact_claim.not_found", path=f"{CLAIM}/contest"
    ),
    Bad("claim_evidence", "malformed_json", MALFORMED, 400, "body", path=f"{CLAIM}/evidence"),
    Bad("claim_evidence", "json_instead_of_a_file", {"file": "meter.csv"}, 400, "body", path=f"{CLAIM}/evidence"),
]
