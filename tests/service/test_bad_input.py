"""Bad input to every write endpoint, and bad list parameters: always a 4xx problem (never a 500)
naming the wrong field in Japanese and English, and nothing written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select, text

from service.models import (
    AuditEntry,
    EvidenceFile,
    ImpactClaim,
    ImpactClaimEvent,
    InteractionEvent,
    InvestorProfile,
    LivingSphere,
    LoginAttempt,
    Membership,
    ModelVersion,
    Organisation,
    Project,
    ProjectTransition,
    User,
)
from tests.service.conftest import World, shared_world_fixtures
from tests.service.helpers import project_payload, vetting_payload

API = "/api/v1"
VALID_CORPORATE_NUMBER = "7000012050002"  # 国税庁 (National Tax Agency)
BAD_CHECK_DIGIT = "8" + VALID_CORPORATE_NUMBER[1:]
TOO_MUCH_YEN = 10**13 + 1
MALFORMED = b'{"title_ja": "unterminated'

connection, app, world = shared_world_fixtures()

#: Tables whose row counts must not change, per endpoint.
TABLES: dict[str, tuple[Any, ...]] = {
    "signup": (User, Organisation, Membership),
    "login": (LoginAttempt,),
    "org_create": (Organisation,),
    "org_patch": (Organisation,),
    "members": (Membership,),
    "sphere": (LivingSphere,),
    "project_create": (Project,),
    "project_patch": (Project,),
    "transition": (ProjectTransition,),
    "decision": (ProjectTransition,),
    "investor_create": (InvestorProfile,),
    "investor_patch": (InvestorProfile,),
    "investor_delete": (InvestorProfile,),
    "event": (InteractionEvent,),
    "model_activate": (ModelVersion,),
    "model_rollback": (ModelVersion,),
    # ── impact, claims and audit (issue 3) ──
    "calculate": (AuditEntry,),
    "claim_submit": (ImpactClaim, ImpactClaimEvent, AuditEntry),
    "claim_decide": (ImpactClaimEvent, AuditEntry),
    "claim_resubmit": (ImpactClaimEvent, AuditEntry),
    "claim_contest": (ImpactClaimEvent, AuditEntry),
    "claim_evidence": (EvidenceFile, AuditEntry),
}

ENDPOINTS: dict[str, tuple[str, str, str]] = {
    # key: (method, path, caller)
    "signup": ("POST", "/auth/signup", "anonymous"),
    "login": ("POST", "/auth/login", "anonymous"),
    "org_create": ("POST", "/organisations", "admin"),
    "org_patch": ("PATCH", "/organisations/{org_a}", "lead_owner"),
    "members": ("POST", "/organisations/{org_a}/members", "admin"),
    "sphere": ("POST", "/regions/living-spheres", "admin"),
    "project_create": ("POST", "/projects", "lead_owner"),
    "project_patch": ("PATCH", "/projects/{draft}", "lead_owner"),
    "transition": ("POST", "/projects/{draft}/transitions", "lead_owner"),
    "decision": ("POST", "/vetting/{submitted}/decision", "admin"),
    "investor_create": ("POST", "/investors", "investor"),
    "investor_patch": ("PATCH", "/investors/{hidden_user}", "investor"),
    "investor_delete": ("DELETE", "/investors/{hidden_user}", "investor"),
    "event": ("POST", "/events", "investor"),
    # No model version exists in the shared world: every case names an unknown one.
    "model_activate": ("POST", "/admin/models/{version_id}/activate", "admin"),
    "model_rollback": ("POST", "/admin/models/rollback", "admin"),
    # ── impact, claims and audit (issue 3): no claim exists in the shared world, so claim cases
    # name an unknown one (body errors are found before the claim is looked up); the claim cycle,
    # evidence types and sizes are in test_claims.py.
    "calculate": ("POST", "/impact/calculate", "anonymous"),
    "claim_submit": ("POST", "/projects/{draft}/claims", "lead_owner"),
    "claim_decide": ("POST", "/claims/{claim_id}/decisions", "admin"),
    "claim_resubmit": ("POST", "/claims/{claim_id}/resubmit", "lead_owner"),
    "claim_contest": ("POST", "/claims/{claim_id}/contest", "lead_owner"),
    "claim_evidence": ("POST", "/claims/{claim_id}/evidence", "lead_owner"),
}


@dataclass(frozen=True)
class Bad:
    endpoint: str
    name: str
    body: Any
    status: int
    field: str | None = None
    code: str | None = None
    path: str | None = None  # overrides the endpoint's path


def signup(**overrides: Any) -> dict[str, Any]:
    body = {"email": "new@example.jp", "password": "correct horse battery", "display_name": "新規"}
    return {**body, **overrides}


def signup_org(**organisation: Any) -> dict[str, Any]:
    org = {"kind": "company", "name_ja": "新会社", "name_en": "New company", **organisation}
    return signup(organisation={"organisation": org, "role": "project_lead"})


def org(**overrides: Any) -> dict[str, Any]:
    return {"kind": "company", "name_ja": "新組織", "name_en": "New organisation", **overrides}


def sphere(**overrides: Any) -> dict[str, Any]:
    body = {
        "name_ja": "新生活圏",
        "name_en": "New sphere",
        "core_municipality_code": "31202",
        "member_codes": ["31204"],
    }
    return {**body, **overrides}


def profile(**overrides: Any) -> dict[str, Any]:
    body = {
        "display_name_ja": "新しい投資家",
        "display_name_en": "New investor",
        "investor_type": "fund",
        "ticket_min_yen": 1_000_000,
        "ticket_max_yen": 10_000_000,
        "risk_tolerance": "low",
        "organisation_id": "{investor_org}",
    }
    return {**body, **overrides}


def event(**overrides: Any) -> dict[str, Any]:
    body = {
        "id": "5b0c8b0e-6a43-4f6e-9a55-1f0e7c1f4b2a",
        "investor_id": "{hidden_user}",
        "project_id": "{funding}",
        "kind": "bookmark",
    }
    return {**body, **overrides}


def without(body: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != key}


UNKNOWN = "00000000-0000-4000-8000-000000000000"
# Impact claims (issue 3): an unknown claim, and a valid claim body.
CLAIM = f"/claims/{UNKNOWN}"
CLAIM_BODY = {
    "metric_id": "KY-LM3",
    "value": 2.44,
    "period_start": "2025-04-01",
    "period_end": "2026-03-31",
    "boundary": "米子市・境港市",
    "method": "会計帳簿",
    "baseline": "域外電力会社",
}

BAD: list[Bad] = [
    # ── sign-up ──
    Bad("signup", "malformed_json", MALFORMED, 400, "body"),
    Bad("signup", "array_body", [signup()], 400, "body"),
    Bad("signup", "missing_email", without(signup(), "email"), 400, "email"),
    Bad("signup", "email_wrong_type", signup(email=123), 400, "email"),
    Bad("signup", "email_wrong_format", signup(email="not-an-email"), 400, "email"),
    Bad("signup", "email_with_nul", signup(email="a\u0000b@example.jp"), 400, "email"),
    Bad("signup", "unknown_field", signup(nickname="x"), 400, "nickname"),
    Bad("signup", "password_too_short", signup(password="short"), 400, "password"),
    Bad("signup", "display_name_too_long", signup(display_name="あ" * 201), 400, "display_name"),
    Bad("signup", "language_not_allowed", signup(preferred_language="fr"), 400, "preferred_language"),
    Bad("signup", "org_bad_kind", signup_org(kind="cartel"), 400, "organisation.organisation.kind"),
    Bad(
        "signup",
        "org_bad_check_digit",
        signup_org(corporate_number=BAD_CHECK_DIGIT),
        422,
        "organisation.organisation.corporate_number",
    ),
    Bad(
        "signup",
        "org_unknown_municipality",
        signup_org(municipality_code="99999"),
        422,
        "organisation.organisation.municipality_code",
    ),
    # ── login ──
    Bad("login", "malformed_json", MALFORMED, 400, "body"),
    Bad("login", "missing_password", {"email": "a@example.jp"}, 400, "password"),
    Bad("login", "password_wrong_type", {"email": "a@example.jp", "password": 1}, 400, "password"),
    Bad("login", "unknown_field", {"email": "a@example.jp", "password": "x", "otp": "1"}, 400, "otp"),
    Bad("login", "email_too_long", {"email": "a" * 250 + "@x.jp", "password": "x"}, 400, "email"),
    # ── organisations ──
    Bad("org_create", "malformed_json", MALFORMED, 400, "body"),
    Bad("org_create", "missing_name_ja", without(org(), "name_ja"), 400, "name_ja"),
    Bad("org_create", "kind_wrong_type", org(kind=1), 400, "kind"),
    Bad("org_create", "kind_not_allowed", org(kind="cartel"), 400, "kind"),
    Bad("org_create", "unknown_field", org(website="https://x"), 400, "website"),
    Bad("org_create", "name_too_long", org(name_ja="あ" * 201), 400, "name_ja"),
    Bad("org_create", "name_empty", org(name_en=""), 400, "name_en"),
    Bad("org_create", "name_with_nul", org(name_ja="\u0000"), 400, "name_ja"),
    Bad("org_create", "bad_check_digit", org(corporate_number=BAD_CHECK_DIGIT), 422, "corporate_number"),
    Bad("org_create", "corporate_number_12_digits", org(corporate_number="700001205000"), 400, "corporate_number"),
    Bad(
        "org_create",
        "individual_with_corporate_number",
        org(kind="individual", corporate_number=VALID_CORPORATE_NUMBER),
        422,
        "corporate_number",
    ),
    Bad("org_create", "prefecture_out_of_range", org(prefecture_code=48), 400, "prefecture_code"),
    Bad("org_create", "municipality_pattern", org(municipality_code="3120"), 400, "municipality_code"),
    Bad("org_create", "municipality_unknown", org(municipality_code="99999"), 422, "municipality_code"),
    Bad(
        "org_create",
        "municipality_outside_prefecture",
        org(prefecture_code=13, municipality_code="31202"),
        422,
        "municipality_code",
    ),
    Bad("org_patch", "malformed_json", MALFORMED, 400, "body"),
    Bad("org_patch", "bad_check_digit", {"corporate_number": BAD_CHECK_DIGIT}, 422, "corporate_number"),
    Bad("org_patch", "kind_is_not_editable", {"kind": "npo"}, 400, "kind"),
    Bad("org_patch", "name_empty", {"name_ja": ""}, 400, "name_ja"),
    Bad("org_patch", "name_wrong_type", {"name_ja": ["a"]}, 400, "name_ja"),
    Bad("org_patch", "municipality_unknown", {"municipality_code": "99999"}, 422, "municipality_code"),
    Bad(
        "org_patch",
        "unknown_organisation",
        {"name_en": "x"},
        404,
        None,
        "organisation.not_found",
        path=f"/organisations/{UNKNOWN}",
    ),
    Bad("members", "malformed_json", MALFORMED, 400, "body"),
    Bad("members", "missing_role", {"user_id": "{spare_user}"}, 400, "role"),
    Bad("members", "role_not_allowed", {"user_id": "{spare_user}", "role": "owner"}, 400, "role"),
    Bad("members", "user_id_not_uuid", {"user_id": "nobody", "role": "investor"}, 400, "user_id"),
    Bad("members", "unknown_user", {"user_id": UNKNOWN, "role": "investor"}, 422, "user_id"),
    Bad("members", "unknown_field", {"user_id": "{spare_user}", "role": "investor", "x": 1}, 400, "x"),
    Bad(
        "members",
        "unknown_organisation",
        {"user_id": "{spare_user}", "role": "investor"},
        404,
        None,
        "organisation.not_found",
        path=f"/organisations/{UNKNOWN}/members",
    ),
    Bad(
        "members",
        "role_already_granted",
        {"user_id": "{lead_owner_user}", "role": "project_lead"},
        409,
        None,
        "organisation.member_exists",
    ),
    # ── living spheres ──
    Bad("sphere", "malformed_json", MALFORMED, 400, "body"),
    Bad("sphere", "missing_name", without(sphere(), "name_ja"), 400, "name_ja"),
    Bad("sphere", "member_codes_empty", sphere(member_codes=[]), 400, "member_codes"),
    Bad("sphere", "member_code_pattern", sphere(member_codes=["31-204"]), 400, "member_codes"),
    Bad("sphere", "member_code_unknown", sphere(member_codes=["99999"]), 422, "member_codes"),
    Bad("sphere", "core_code_unknown", sphere(core_municipality_code="99999"), 422, "core_municipality_code"),
    Bad("sphere", "unknown_field", sphere(population=1), 400, "population"),
    Bad("sphere", "name_taken", sphere(name_ja="米子・境港生活圏（テスト）"), 409, None, "living_sphere.name_taken"),
    # ── projects ──
    Bad("project_create", "malformed_json", MALFORMED, 400, "body"),
    Bad("project_create", "array_body", [project_payload()], 400, "body"),
    Bad("project_create", "missing_title", without(project_payload(), "title_ja"), 400, "title_ja"),
    Bad("project_create", "target_wrong_type", project_payload(funding_target_yen="many"), 400, "funding_target_yen"),
    Bad("project_create", "target_float", project_payload(funding_target_yen=1.5), 400, "funding_target_yen"),
    Bad("project_create", "unknown_field", project_payload(status="vetted"), 400, "status"),
    Bad("project_create", "negative_ticket", project_payload(min_ticket_yen=-1), 400, "min_ticket_yen"),
    Bad(
        "project_create",
        "target_over_1e13",
        project_payload(funding_target_yen=TOO_MUCH_YEN),
        400,
        "funding_target_yen",
    ),
    Bad("project_create", "target_beyond_int64", project_payload(funding_target_yen=10**20), 400, "funding_target_yen"),
    Bad("project_create", "title_too_long", project_payload(title_ja="あ" * 201), 400, "title_ja"),
    Bad("project_create", "title_with_nul", project_payload(title_ja="米子\u0000"), 400, "title_ja"),
    Bad("project_create", "sector_not_allowed", project_payload(sector="casino"), 400, "sector"),
    Bad(
        "project_create",
        "municipality_pattern",
        project_payload(municipality_codes=["3120"]),
        400,
        "municipality_codes",
    ),
    Bad(
        "project_create",
        "municipality_unknown",
        project_payload(municipality_codes=["31202", "99999"]),
        422,
        "municipality_codes",
    ),
    Bad("project_create", "no_municipalities", project_payload(municipality_codes=[]), 400, "municipality_codes"),
    Bad(
        "project_create",
        "ticket_above_target",
        project_payload(min_ticket_yen=200_000_000),
        422,
        "min_ticket_yen",
        "project.ticket_above_target",
    ),
    Bad(
        "project_create",
        "return_range_reversed",
        project_payload(expected_return_min_pct=5.0, expected_return_max_pct=1.0),
        422,
        "expected_return_min_pct",
        "project.return_range_reversed",
    ),
    Bad(
        "project_create",
        "return_out_of_range",
        project_payload(expected_return_max_pct=5000.0),
        400,
        "expected_return_max_pct",
    ),
    Bad("project_create", "term_zero", project_payload(term_months=0), 400, "term_months"),
    Bad(
        "project_create",
        "deadline_past",
        project_payload(funding_deadline="2020-01-01"),
        422,
        "funding_deadline",
        "project.deadline_past",
    ),
    Bad(
        "project_create", "deadline_not_a_date", project_payload(funding_deadline="next week"), 400, "funding_deadline"
    ),
    Bad("project_create", "organisation_not_uuid", project_payload(organisation_id="org-a"), 400, "organisation_id"),
    Bad("project_create", "impact_inputs_not_object", project_payload(impact_inputs=[1, 2]), 400, "impact_inputs"),
    Bad("project_patch", "malformed_json", MALFORMED, 400, "body"),
    Bad("project_patch", "unknown_field", {"status": "vetted"}, 400, "status"),
    Bad("project_patch", "title_empty", {"title_ja": ""}, 400, "title_ja"),
    Bad("project_patch", "negative_target", {"funding_target_yen": -5}, 400, "funding_target_yen"),
    Bad("project_patch", "target_over_1e13", {"funding_target_yen": TOO_MUCH_YEN}, 400, "funding_target_yen"),
    Bad("project_patch", "ticket_above_existing_target", {"min_ticket_yen": 100_000_001}, 422, "min_ticket_yen"),
    Bad("project_patch", "target_below_existing_ticket", {"funding_target_yen": 999_999}, 422, "min_ticket_yen"),
    Bad(
        "project_patch",
        "min_return_above_existing_max",
        {"expected_return_min_pct": 3.5},
        422,
        "expected_return_min_pct",
    ),
    Bad("project_patch", "deadline_past", {"funding_deadline": "2000-02-29"}, 422, "funding_deadline"),
    Bad("project_patch", "instrument_not_allowed", {"instrument": "crypto"}, 400, "instrument"),
    Bad("project_patch", "municipality_unknown", {"municipality_codes": ["99999"]}, 422, "municipality_codes"),
    Bad("project_patch", "null_title", {"title_ja": None}, 400, "title_ja"),
    Bad(
        "project_patch",
        "unknown_project",
        {"title_en": "x"},
        404,
        None,
        "project.not_found",
        path=f"/projects/{UNKNOWN}",
    ),
    Bad(
        "project_patch", "not_a_draft", {"title_en": "x"}, 409, None, "project.not_editable", path="/projects/{vetted}"
    ),
    Bad("transition", "malformed_json", MALFORMED, 400, "body"),
    Bad("transition", "status_not_allowed", {"to_status": "approved", "reason": "x"}, 400, "to_status"),
    Bad("transition", "missing_reason", {"to_status": "submitted"}, 400, "reason"),
    Bad("transition", "empty_reason", {"to_status": "submitted", "reason": ""}, 400, "reason"),
    Bad("transition", "reason_too_long", {"to_status": "submitted", "reason": "x" * 2001}, 400, "reason"),
    Bad("transition", "unknown_field", {"to_status": "submitted", "reason": "x", "at": "now"}, 400, "at"),
    Bad(
        "transition", "draft_to_funded", {"to_status": "funded", "reason": "x"}, 409, None, "project.invalid_transition"
    ),
    Bad("transition", "draft_to_draft", {"to_status": "draft", "reason": "x"}, 409, None, "project.invalid_transition"),
    Bad(
        "transition",
        "vetting_outcome_here",
        {"to_status": "vetted", "reason": "x"},
        409,
        None,
        "project.use_vetting",
        path="/projects/{submitted}/transitions",
    ),
    Bad(
        "transition",
        "unknown_project",
        {"to_status": "submitted", "reason": "x"},
        404,
        None,
        "project.not_found",
        path=f"/projects/{UNKNOWN}/transitions",
    ),
    Bad("decision", "malformed_json", MALFORMED, 400, "body"),
    Bad("decision", "decision_not_allowed", vetting_payload(decision="maybe"), 400, "decision"),
    Bad("decision", "missing_checklist", without(vetting_payload(), "checklist"), 400, "checklist"),
    Bad(
        "decision",
        "checklist_wrong_type",
        {**vetting_payload(), "checklist": {**vetting_payload()["checklist"], "identity_verified": "yes"}},
        400,
        "checklist.identity_verified",
    ),
    Bad(
        "decision",
        "checklist_unknown_item",
        {**vetting_payload(), "checklist": {**vetting_payload()["checklist"], "vibes": True}},
        400,
        "checklist.vibes",
    ),
    Bad(
        "decision",
        "notes_too_long",
        {**vetting_payload(), "checklist": {**vetting_payload()["checklist"], "notes": "x" * 5001}},
        400,
        "checklist.notes",
    ),
    Bad("decision", "reason_with_nul", vetting_payload() | {"reason": "ok\u0000"}, 400, "reason"),
    Bad(
        "decision",
        "approve_with_unchecked_item",
        vetting_payload(financials_reviewed=False),
        422,
        "checklist.financials_reviewed",
        "vetting.checklist_incomplete",
    ),
    Bad(
        "decision",
        "project_not_submitted",
        vetting_payload(),
        409,
        None,
        "project.invalid_transition",
        path="/vetting/{draft}/decision",
    ),
    Bad(
        "decision",
        "unknown_project",
        vetting_payload(),
        404,
        None,
        "project.not_found",
        path=f"/vetting/{UNKNOWN}/decision",
    ),
    # ── investor profiles ──
    Bad("investor_create", "malformed_json", MALFORMED, 400, "body"),
    Bad("investor_create", "missing_name", without(profile(), "display_name_ja"), 400, "display_name_ja"),
    Bad("investor_create", "ticket_wrong_type", profile(ticket_min_yen="1万"), 400, "ticket_min_yen"),
    Bad("investor_create", "ticket_zero", profile(ticket_min_yen=0), 400, "ticket_min_yen"),
    Bad("investor_create", "ticket_negative", profile(ticket_max_yen=-1), 400, "ticket_max_yen"),
    Bad("investor_create", "ticket_over_1e13", profile(ticket_max_yen=TOO_MUCH_YEN), 400, "ticket_max_yen"),
    Bad(
        "investor_create",
        "ticket_range_reversed",
        profile(ticket_min_yen=20_000_000),
        422,
        "ticket_min_yen",
        "investor.ticket_range_reversed",
    ),
    Bad("investor_create", "type_not_allowed", profile(investor_type="angel"), 400, "investor_type"),
    Bad("investor_create", "sector_not_allowed", profile(sectors=["energy", "casino"]), 400, "sectors"),
    Bad("investor_create", "prefecture_out_of_range", profile(prefecture_codes=[13, 48]), 400, "prefecture_codes"),
    Bad("investor_create", "theme_too_long", profile(impact_themes=["x" * 65]), 400, "impact_themes"),
    Bad("investor_create", "thesis_too_long", profile(thesis_ja="あ" * 5001), 400, "thesis_ja"),
    Bad("investor_create", "return_out_of_range", profile(target_return_pct=1e6), 400, "target_return_pct"),
    Bad("investor_create", "unknown_field", profile(owner_user_id=UNKNOWN), 400, "owner_user_id"),
    Bad("investor_create", "theme_with_nul", profile(impact_themes=["再エネ\u0000"]), 400, "impact_themes"),
    Bad("investor_create", "organisation_not_uuid", profile(organisation_id="mine"), 400, "organisation_id"),
    Bad("investor_patch", "malformed_json", MALFORMED, 400, "body"),
    Bad("investor_patch", "min_above_existing_max", {"ticket_min_yen": 60_000_000}, 422, "ticket_min_yen"),
    Bad("investor_patch", "discoverable_wrong_type", {"discoverable": "yes"}, 400, "discoverable"),
    Bad("investor_patch", "risk_not_allowed", {"risk_tolerance": "yolo"}, 400, "risk_tolerance"),
    Bad("investor_patch", "unknown_field", {"owner_user_id": UNKNOWN}, 400, "owner_user_id"),
    Bad("investor_patch", "null_name", {"display_name_ja": None}, 400, "display_name_ja"),
    Bad(
        "investor_patch",
        "unknown_profile",
        {"discoverable": True},
        404,
        None,
        "investor_profile.not_found",
        path=f"/investors/{UNKNOWN}",
    ),
    Bad(
        "investor_delete",
        "unknown_profile",
        None,
        404,
        None,
        "investor_profile.not_found",
        path=f"/investors/{UNKNOWN}",
    ),  # ── events and model versions ──
    Bad("event", "malformed_json", MALFORMED, 400, "body"),
    Bad("event", "missing_kind", without(event(), "kind"), 400, "kind"),
    Bad("event", "kind_not_allowed", event(kind="like"), 400, "kind"),
    Bad("event", "id_not_uuid", event(id="retry-1"), 400, "id"),
    Bad("event", "investor_not_uuid", event(investor_id="me"), 400, "investor_id"),
    Bad("event", "at_not_a_time", event(at="yesterday"), 400, "at"),
    Bad("event", "at_without_timezone", event(at="2026-01-05T09:00:00"), 400, "at"),
    Bad("event", "at_in_future", event(at="2999-01-01T00:00:00Z"), 422, "at", "event.in_future"),
    Bad("event", "unknown_field", event(score=5), 400, "score"),
    Bad("event", "someone_elses_profile", event(investor_id="{hidden_org}"), 404, None, "investor_profile.not_found"),
    Bad("event", "unknown_project", event(project_id=UNKNOWN), 404, None, "project.not_found"),
    Bad("event", "hidden_project", event(project_id="{draft}"), 404, None, "project.not_found"),
    Bad(
        "model_activate",
        "malformed_json",
        MALFORMED,
        404,
        None,
        "model_version.not_found",
        path=f"/admin/models/{UNKNOWN}/activate",
    ),
    Bad(
        "model_activate",
        "version_not_uuid",
        None,
        404,
        None,
        None,
        path="/admin/models/latest/activate",
    ),
    Bad("model_rollback", "malformed_json", MALFORMED, 409, None, "model.no_previous_version"),
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


def _placeholders(world: World) -> dict[str, str]:
    return {
        "org_a": str(world.org_a.id),
        "investor_org": str(world.investor_org.id),
        "spare_user": str(world.spare_user),
        "lead_owner_user": str(world.actors["lead_owner"].user.id),
        **{k: str(v) for k, v in world.projects.items()},
        **{k: str(v) for k, v in world.profiles.items()},
    }


def _fill(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in names:
        return names[value[1:-1]]
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    return value


async def _snapshot(db, endpoint: str, world: World) -> list[Any]:
    """Row counts of the endpoint's tables, plus the rows an edit would touch."""
    counts = [(await db.execute(select(func.count()).select_from(t))).scalar_one() for t in TABLES[endpoint]]
    rows = await db.execute(
        text(
            "SELECT (SELECT row_to_json(o)::text FROM organisation o WHERE id = :org),"
            " (SELECT string_agg(row_to_json(p)::text, ',' ORDER BY id) FROM project p WHERE organisation_id = :org),"
            " (SELECT string_agg(row_to_json(i)::text, ',' ORDER BY id) FROM investor_profile i)"
        ),
        {"org": world.org_a.id},
    )
    return [*counts, *rows.one()]


def _assert_problem(response: Any, status: int, field: str | None, code: str | None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"]
    assert problem["status"] == status
    assert problem["detail"]
    if code is not None:
        assert problem["code"] == code
    for error in problem.get("errors", []):
        assert error["code"]
        assert error["message"]["ja"]
        assert error["message"]["en"]
    if field is not None:
        # A list item may be named precisely ("sectors[1]"); it still names the field.
        fields = [e["field"] for e in problem.get("errors", [])]
        assert any(f == field or f.startswith(f"{field}[") for f in fields), (fields, problem)
    return problem


@pytest.mark.parametrize("bad", [pytest.param(b, id=f"{b.endpoint}-{b.name}") for b in BAD])
async def test_bad_input_is_a_4xx_problem_naming_the_field_and_writes_nothing(client, db, world, bad):
    method, path, caller = ENDPOINTS[bad.endpoint]
    names = _placeholders(world)
    url = API + (bad.path or path).format(**names)
    headers = world.headers(caller)
    if isinstance(bad.body, bytes):
        kwargs: dict[str, Any] = {"content": bad.body, "headers": {**headers, "content-type": "application/json"}}
    else:
        kwargs = {"json": _fill(bad.body, names), "headers": headers}
    before = await _snapshot(db, bad.endpoint, world)
    response = await client.request(method, url, **kwargs)
    _assert_problem(response, bad.status, bad.field, bad.code)
    assert await _snapshot(db, bad.endpoint, world) == before


def test_every_write_endpoint_has_bad_input_cases():
    covered = {b.endpoint for b in BAD}
    assert covered == set(ENDPOINTS)
    for endpoint in ENDPOINTS:
        if ENDPOINTS[endpoint][0] != "DELETE":
            assert any(b.endpoint == endpoint and b.name == "malformed_json" for b in BAD), endpoint


async def test_write_endpoints_match_the_app(app):
    writes = {
        (m, route.path.replace(":uuid", ""))
        for route in app.routes
        if route.path.startswith(API)
        for m in getattr(route, "methods", ())
        if m in ("POST", "PATCH", "PUT", "DELETE")
    }
    tested = {
        (
            m,
            API
            + p.replace("{org_a}", "{organisation_id}")
            .replace("{draft}", "{project_id}")
            .replace("{submitted}", "{project_id}")
            .replace("{hidden_user}", "{profile_id}"),
        )
        for m, p, _ in ENDPOINTS.values()
    }
    # Logout takes no body; it is covered by the authorization matrix.
    assert writes - tested == {("POST", f"{API}/auth/logout")}


# ── list parameters ──────────────────────────────────────────────────────────────────────────

LISTS = {
    "projects": ("/projects", "anonymous"),
    "investors": ("/investors", "investor"),
    "organisations": ("/organisations", "anonymous"),
    "municipalities": ("/regions/municipalities", "anonymous"),
    "vetting_queue": ("/vetting/queue", "admin"),
    "events": ("/events", "investor"),
}
BAD_PARAMS: list[tuple[str, dict[str, Any], str]] = [
    (name, params, field_name)
    for name in LISTS
    for params, field_name in [
        ({"limit": 0}, "limit"),
        ({"limit": 100_000}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"cursor": "not a cursor"}, "cursor"),
        ({"cursor": "bzotMQ"}, "cursor"),  # "o:-1"
        ({"cursor": "eDox"}, "cursor"),  # "x:1"
        ({"cursor": "bzo5OTk5OTk5OTk5OTk5OTk5OTk5OQ"}, "cursor"),  # an absurd offset
    ]
] + [
    ("projects", {"sort": "password"}, "sort"),
    ("projects", {"sort": "--created_at"}, "sort"),
    ("projects", {"prefecture": 48}, "prefecture"),
    ("projects", {"status": "secret"}, "status"),
    ("projects", {"sector": "casino"}, "sector"),
    ("projects", {"ticket_max": -1}, "ticket_max"),
    ("projects", {"ticket_min": TOO_MUCH_YEN}, "ticket_min"),
    ("projects", {"municipality": "abc"}, "municipality"),
    ("projects", {"living_sphere": "yonago"}, "living_sphere"),
    ("projects", {"q": "x" * 201}, "q"),
    ("investors", {"ticket": -5}, "ticket"),
    ("investors", {"sector": "casino"}, "sector"),
    ("investors", {"investor_type": "angel"}, "investor_type"),
    ("organisations", {"kind": "cartel"}, "kind"),
    ("municipalities", {"prefecture": 0}, "prefecture"),
    ("events", {"kind": "like"}, "kind"),
    ("events", {"since": "yesterday"}, "since"),
    ("events", {"since": "2026-01-05T09:00:00"}, "since"),
    ("events", {"investor_id": "me"}, "investor_id"),
]


@pytest.mark.parametrize(
    ("name", "params", "field_name"),
    [pytest.param(n, p, f, id=f"{n}-{'&'.join(f'{k}={v}' for k, v in p.items())[:40]}") for n, p, f in BAD_PARAMS],
)
async def test_bad_list_parameters_are_a_4xx_problem_naming_the_parameter(client, world, name, params, field_name):
    path, caller = LISTS[name]
    response = await client.get(API + path, params=params, headers=world.headers(caller))
    assert response.status_code in (400, 422), response.text
    _assert_problem(response, response.status_code, field_name, None)


# ── language ────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("accept_language", "lang"),
    [(None, "ja"), ("ja", "ja"), ("en", "en"), ("en-GB,en;q=0.9", "en"), ("fr", "ja"), ("ja-JP,en;q=0.5", "ja")],
)
async def test_problem_detail_follows_accept_language(client, world, accept_language, lang):
    headers = world.headers("lead_owner")
    if accept_language is not None:
        headers = {**headers, "Accept-Language": accept_language}
    body = project_payload(min_ticket_yen=200_000_000)
    response = await client.post(f"{API}/projects", json=body, headers=headers)
    problem = _assert_problem(response, 422, "min_ticket_yen", "project.ticket_above_target")
    assert problem["detail"] == problem["errors"][0]["message"][lang]
    assert problem["title"] == ("入力内容に誤りがあります" if lang == "ja" else "Invalid input")


@pytest.mark.parametrize(("accept_language", "expected"), [(None, "必須項目です。"), ("en", "This field is required.")])
async def test_validation_problem_is_in_the_callers_language(client, world, accept_language, expected):
    headers = {**world.headers("lead_owner"), **({"Accept-Language": accept_language} if accept_language else {})}
    response = await client.post(f"{API}/projects", json=without(project_payload(), "title_ja"), headers=headers)
    problem = _assert_problem(response, 400, "title_ja", "validation.failed")
    assert problem["detail"] == ("入力内容に誤りがあります。" if accept_language is None else "The request is invalid.")
    lang = "en" if accept_language else "ja"
    assert problem["errors"][0]["message"][lang] == expected
