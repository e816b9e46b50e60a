"""Impact through the API: the catalogue, the calculator, project metrics on read and list,
the 公共貢献 score and incentive eligibility."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from service.models import AuditEntry, Organisation, Project
from service.models.enums import Role
from tests.service.helpers import project_payload, vetting_payload

API = "/api/v1"
LM3_ROUNDS = {"lm3_r1_yen": 10_000, "lm3_r2_yen": 8_000, "lm3_r3_yen": 6_400}


async def _public_project(client, lead, admin, **overrides):
    created = await client.post(f"{API}/projects", json=project_payload(**overrides), headers=lead.headers)
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    move = {"to_status": "submitted", "reason": "審査をお願いします"}
    assert (await client.post(f"{API}/projects/{pid}/transitions", json=move, headers=lead.headers)).status_code == 201
    decided = await client.post(f"{API}/vetting/{pid}/decision", json=vetting_payload(), headers=admin.headers)
    assert decided.status_code == 201, decided.text
    return pid


# ── catalogue ────────────────────────────────────────────────────────────────────────────────


async def test_catalogue_lists_every_metric_with_its_definition(client):
    response = await client.get(f"{API}/impact/metrics")
    assert response.status_code == 200
    page = response.json()
    assert page["total"] == len(page["items"]) > 20
    assert page["next_cursor"] is None
    metrics = {m["id"]: m for m in page["items"]}
    lm3 = metrics["KY-LM3"]
    assert lm3["name_ja"] == "地域内乗数 LM3"
    assert lm3["unit"] == "ratio"
    assert lm3["direction"] == "higher_is_better"
    assert "New Economics Foundation" in lm3["source"]
    assert lm3["imp_dimension"] == "how_much"
    assert "8.3" in lm3["sdg_targets"]
    assert metrics["OI1479"]["direction"] == "lower_is_better"


async def test_one_metric_shows_its_input_specs(client):
    response = await client.get(f"{API}/impact/metrics/KY-LM3")
    assert response.status_code == 200
    specs = {s["name"]: s for s in response.json()["input_specs"]}
    assert set(specs) == set(LM3_ROUNDS)
    assert specs["lm3_r1_yen"]["required"] is True
    assert specs["lm3_r1_yen"]["unit"] == "JPY/yr"
    missing = await client.get(f"{API}/impact/metrics/KY-NOPE")
    assert missing.status_code == 404
    assert missing.json()["code"] == "metric.not_found"


# ── calculator ───────────────────────────────────────────────────────────────────────────────


async def test_calculator_reproduces_the_published_lm3_example(client):
    # J. Sacks, "The Money Trail", New Economics Foundation (2002): £10 income, £8 spent locally,
    # £6.40 re-spent locally → LM3 = (10 + 8 + 6.40) / 10 = 2.44.
    body = {"metric_id": "KY-LM3", "inputs": {"lm3_r1_yen": 10, "lm3_r2_yen": 8, "lm3_r3_yen": 6.4}}
    response = await client.post(f"{API}/impact/calculate", json=body)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["value"] == pytest.approx(2.44)
    assert result["unit"] == "ratio"
    assert result["breakdown"]["r2_yen"] == 8


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"metric_id": "KY-LM3", "inputs": {**LM3_ROUNDS, "lm3_r1_yen": -1}}, "inputs.lm3_r1_yen", None),
        ({"metric_id": "KY-LM3", "inputs": {**LM3_ROUNDS, "lm3_r2_yen": "many"}}, "inputs.lm3_r2_yen", None),
        ({"metric_id": "KY-LM3", "inputs": {**LM3_ROUNDS, "bogus": 1}}, "inputs.bogus", "impact.unknown_input"),
        ({"metric_id": "KY-LM3", "inputs": {"lm3_r1_yen": 1}}, "inputs.lm3_r2_yen", "impact.missing_input"),
        ({"metric_id": "KY-LM3-SHARES", "inputs": {"local_supplier_share": 1.5}}, "inputs.local_supplier_share", None),
        (
            {
                "metric_id": "KY-SROI",
                "inputs": {
                    "sroi_investment_yen": 100,
                    "sroi_outcomes": [{"name": "見守り\u0000", "quantity": 1, "financial_proxy_yen": 1}],
                },
            },
            "inputs.sroi_outcomes[0].name",
            "validation.nul",
        ),
        ({"metric_id": "KY-NOPE", "inputs": {}}, "metric_id", "impact.unknown_metric"),
    ],
    ids=["negative", "wrong_type", "unknown_input", "missing", "share_over_1", "nul_in_string", "unknown_metric"],
)
async def test_bad_calculator_input_is_a_422_naming_the_field_in_ja_and_en(client, db, body, field, code):
    before = await db.scalar(select(func.count()).select_from(AuditEntry))
    response = await client.post(f"{API}/impact/calculate", json=body, headers={"Accept-Language": "en"})
    assert response.status_code == 422, response.text
    error = response.json()["errors"][0]
    assert error["field"] == field
    assert error["message"]["ja"]
    assert error["message"]["en"]
    if code:
        assert error["code"] == code
    assert await db.scalar(select(func.count()).select_from(AuditEntry)) == before


# ── project metrics ──────────────────────────────────────────────────────────────────────────


async def test_project_metrics_appear_on_read_and_list_and_the_list_sorts_and_filters_by_lm3(client, make_actor):
    lead = await make_actor(Role.project_lead)
    ids = {}
    for name, r3 in (("low", 0), ("mid", 3_000), ("high", 6_400)):
        inputs = {**LM3_ROUNDS, "lm3_r3_yen": r3}
        response = await client.post(
            f"{API}/projects", json=project_payload(title_en=name, impact_inputs=inputs), headers=lead.headers
        )
        assert response.status_code == 201, response.text
        ids[name] = response.json()["id"]
    plain = await client.post(f"{API}/projects", json=project_payload(title_en="none"), headers=lead.headers)

    read = (await client.get(f"{API}/projects/{ids['high']}", headers=lead.headers)).json()
    assert read["lm3"] == pytest.approx(2.44)
    assert read["metrics"]["KY-LM3"] == pytest.approx(2.44)

    org = str(lead.organisation.id)
    listed = await client.get(f"{API}/projects", params={"organisation": org, "sort": "-lm3"}, headers=lead.headers)
    items = listed.json()["items"]
    assert [p["title_en"] for p in items] == ["high", "mid", "low", "none"]  # no LM3 sorts last
    assert items[0]["metrics"]["KY-LM3"] == pytest.approx(2.44)
    assert items[-1]["lm3"] is None
    # Without inputs only the 公共貢献 score is stored: it comes from the project's own record.
    assert set(plain.json()["metrics"]) == {"KY-PUBLIC-CONTRIBUTION"}

    filtered = await client.get(
        f"{API}/projects", params={"organisation": org, "lm3_min": 2.0, "sort": "lm3"}, headers=lead.headers
    )
    assert [p["title_en"] for p in filtered.json()["items"]] == ["mid", "high"]


async def test_metrics_are_recomputed_when_the_inputs_change(client, make_actor):
    lead = await make_actor(Role.project_lead)
    created = await client.post(f"{API}/projects", json=project_payload(impact_inputs=LM3_ROUNDS), headers=lead.headers)
    pid = created.json()["id"]
    edited = await client.patch(
        f"{API}/projects/{pid}",
        json={"impact_inputs": {**LM3_ROUNDS, "lm3_r3_yen": 2_000, "jobs_before": 2, "jobs_after": 5}},
        headers=lead.headers,
    )
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert body["lm3"] == pytest.approx(2.0)
    assert body["metrics"]["PI3687"] == 3.0
    listed = await client.get(
        f"{API}/projects", params={"organisation": str(lead.organisation.id)}, headers=lead.headers
    )
    assert listed.json()["items"][0]["lm3"] == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({"local_supplier_share": 2}, "impact_inputs.local_supplier_share"),
        ({"made_up": 1}, "impact_inputs.made_up"),
        ({"jobs_before": "ten"}, "impact_inputs.jobs_before"),
        (
            {"sroi_outcomes": [{"name": "\u0000", "quantity": 1, "financial_proxy_yen": 1}]},
            "impact_inputs.sroi_outcomes[0].name",
        ),
    ],
    ids=["out_of_range", "unknown_name", "wrong_type", "nul"],
)
async def test_bad_impact_inputs_are_refused_naming_the_input_and_nothing_is_written(
    client, db, make_actor, inputs, field
):
    lead = await make_actor(Role.project_lead)
    before = await db.scalar(select(func.count()).select_from(Project))
    response = await client.post(f"{API}/projects", json=project_payload(impact_inputs=inputs), headers=lead.headers)
    assert response.status_code == 422, response.text
    error = response.json()["errors"][0]
    assert error["field"] == field
    assert error["message"]["ja"]
    assert error["message"]["en"]
    assert await db.scalar(select(func.count()).select_from(Project)) == before


# ── 公共貢献 and eligibility ──────────────────────────────────────────────────────────────────


async def test_public_contribution_shows_every_component_with_its_weight(client, make_actor):
    lead, admin = await make_actor(Role.project_lead), await make_actor(Role.admin)
    pid = await _public_project(
        client,
        lead,
        admin,
        municipality_codes=["31202", "31204", "31328"],  # 智頭町 is on the illustrative depopulating list
        impact_inputs={**LM3_ROUNDS, "local_cofinancing_share": 0.25},
    )
    response = await client.get(f"{API}/projects/{pid}/public-contribution")
    assert response.status_code == 200, response.text
    body = response.json()
    parts = {c["id"]: c for c in body["components"]}
    assert sum(c["weight"] for c in parts.values()) == 100
    assert parts["daily_life"]["points"] == 25  # energy serves a daily-life need
    assert parts["cross_border"]["points"] == 15  # three municipalities
    assert parts["depopulating"]["points"] == pytest.approx(25 / 3)
    assert parts["local_cofinancing"]["points"] == pytest.approx(10)
    # LM3 counts only once a claim is verified: the project's own inputs are not enough.
    assert parts["circulation"]["raw"] is None
    assert body["total"] == pytest.approx(25 + 15 + 25 / 3 + 10)
    assert body["fact_sources"]["local_cofinancing_share"] == "impact_inputs"


async def _donor(db, municipality_code: str, prefecture_code: int) -> Organisation:
    org = Organisation(
        kind="company",
        name_ja="寄附する会社",
        name_en="Donor",
        prefecture_code=prefecture_code,
        municipality_code=municipality_code,
    )
    db.add(org)
    await db.commit()
    return org


async def _eligibility(client, pid, donor, donation, **extra):
    params = {"donor_organisation_id": str(donor.id), "donation_yen": donation, **extra}
    response = await client.get(f"{API}/projects/{pid}/eligibility", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    checks = {c["rule_id"]: c for r in body["rulesets"] for c in r["checks"]}
    return body, checks


async def test_corporate_furusato_eligibility_passes_and_fails_check_by_check(client, db, make_actor):
    lead, admin = await make_actor(Role.project_lead), await make_actor(Role.admin)
    pid = await _public_project(client, lead, admin, instrument="corporate_furusato", certified_regional_plan=True)
    tokyo = await _donor(db, "13101", 13)
    yonago = await _donor(db, "31202", 31)

    body, checks = await _eligibility(client, pid, tokyo, 1_000_000)
    assert body["eligible"] is True
    assert all(c["passed"] for c in checks.values())
    assert checks["min_donation"]["explanation_ja"]
    assert checks["min_donation"]["detail_en"]

    body, checks = await _eligibility(client, pid, tokyo, 99_999)
    assert body["eligible"] is False
    assert checks["min_donation"]["passed"] is False

    body, checks = await _eligibility(client, pid, yonago, 1_000_000)
    assert checks["donor_outside"]["passed"] is False

    # The public-money cap: at most 2/3 of the project cost (its funding target, ¥100M).
    _, checks = await _eligibility(client, pid, tokyo, 1_000_000, public_funds_yen=66_666_666)
    assert checks["public_share"]["passed"] is True
    _, checks = await _eligibility(client, pid, tokyo, 1_000_000, public_funds_yen=66_666_667)
    assert checks["public_share"]["passed"] is False


async def test_an_equity_project_outside_a_certified_plan_is_not_eligible(client, db, make_actor):
    lead, admin = await make_actor(Role.project_lead), await make_actor(Role.admin)
    pid = await _public_project(client, lead, admin)
    donor = await _donor(db, "13101", 13)
    body, checks = await _eligibility(client, pid, donor, 1_000_000)
    assert body["eligible"] is False
    assert checks["certified_plan"]["passed"] is False
    assert checks["no_return"]["passed"] is False
    unknown = await client.get(
        f"{API}/projects/{pid}/eligibility",
        params={"donor_organisation_id": "00000000-0000-4000-8000-000000000000", "donation_yen": 1},
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "donor_organisation_id"


# ── demo ─────────────────────────────────────────────────────────────────────────────────────


async def test_demo_projects_carry_illustrative_inputs_and_a_verified_claim_with_evidence(client, db, settings):
    from service.demo.loader import load_demo, load_demo_impact

    await load_demo(db)
    assert await load_demo_impact(db, settings.data_dir / "evidence") > 0
    await db.commit()
    assert await load_demo_impact(db, settings.data_dir / "evidence") == 0  # idempotent

    listed = (await client.get(f"{API}/projects", params={"q": "ローカルエナジー"})).json()["items"]
    local_energy = (await client.get(f"{API}/projects/{listed[0]['id']}")).json()
    assert local_energy["impact_label"] == "illustrative"
    assert local_energy["lm3"] == pytest.approx(1.642)
    assert local_energy["metrics"]["KY-LOCAL-ENERGY"] == pytest.approx(256_800_000)
    assert local_energy["verified_metrics"][0]["metric_id"] == "PI4060"
    claims = (await client.get(f"{API}/projects/{local_energy['id']}/claims")).json()["items"]
    one = (await client.get(f"{API}/claims/{claims[0]['id']}")).json()
    stored = settings.data_dir / "evidence" / one["evidence"][0]["sha256"][:2] / one["evidence"][0]["sha256"]
    assert stored.read_bytes().startswith(b"category,count")
    ranked = (await client.get(f"{API}/projects", params={"sort": "-lm3", "lm3_min": 1})).json()["items"]
    assert len([p for p in ranked if p["lm3"]]) >= 3
