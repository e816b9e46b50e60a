"""The four unauthenticated 500s of issue 7 and the nonsense that was accepted: each a 4xx
problem naming the field, in Japanese and English, and nothing written."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

import impact
from service.impact.validation import client_field, unit_bounds
from service.models import EvidenceFile, ImpactClaim
from service.models.enums import Role
from service.types import date_bounds
from tests.service.helpers import project_payload, vetting_payload

API = "/api/v1"
JSON = {"content-type": "application/json"}


def problem(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["code"]
    assert body["detail"]
    for error in body.get("errors", []):
        assert error["message"]["ja"]
        assert error["message"]["en"]
    if field is not None:
        fields = [e["field"] for e in body.get("errors", [])]
        assert field in fields, (fields, body)
    return body


@pytest.fixture
async def claim(client, make_actor):
    """A submitted claim on a vetted project of ``lead``'s organisation."""
    lead = await make_actor(Role.project_lead)
    admin = await make_actor(Role.admin)
    inputs = {"lm3_r1_yen": 10_000, "lm3_r2_yen": 8_000, "lm3_r3_yen": 6_400}
    created = await client.post(f"{API}/projects", json=project_payload(impact_inputs=inputs), headers=lead.headers)
    pid = created.json()["id"]
    move = {"to_status": "submitted", "reason": "審査をお願いします"}
    await client.post(f"{API}/projects/{pid}/transitions", json=move, headers=lead.headers)
    await client.post(f"{API}/vetting/{pid}/decision", json=vetting_payload(), headers=admin.headers)
    body = {
        "metric_id": "KY-LM3",
        "value": 2.44,
        "period_start": "2025-04-01",
        "period_end": "2026-03-31",
        "boundary": "米子市",
        "method": "会計帳簿",
        "baseline": "域外電力会社",
    }
    submitted = await client.post(f"{API}/projects/{pid}/claims", json=body, headers=lead.headers)
    assert submitted.status_code == 201, submitted.text
    return {"id": submitted.json()["id"], "lead": lead}


# ── 1a: multipart without a file part ─────────────────────────────────────────────────────────

MULTIPART_WITHOUT_FILE = [
    pytest.param({"data": {"note": "no file here"}, "files": {"dummy": (None, "x")}}, id="text_parts_only"),
    pytest.param({"files": {"file": (None, "meter.csv")}}, id="file_part_is_text"),
]


@pytest.mark.parametrize("kwargs", MULTIPART_WITHOUT_FILE)
async def test_anonymous_multipart_without_a_file_is_401_before_the_body_is_read(client, kwargs):
    response = await client.post(f"{API}/claims/{uuid.uuid4()}/evidence", **kwargs)
    problem(response, 401)


async def test_anonymous_empty_multipart_is_401(client):
    headers = {"content-type": "multipart/form-data; boundary=xyz"}
    response = await client.post(f"{API}/claims/{uuid.uuid4()}/evidence", content=b"--xyz--\r\n", headers=headers)
    problem(response, 401)


async def test_multipart_without_a_file_part_is_422_naming_file(client, db, claim):
    headers = claim["lead"].headers
    url = f"{API}/claims/{claim['id']}/evidence"
    response = await client.post(url, data={"note": "x"}, files={"dummy": (None, "x")}, headers=headers)
    problem(response, 422, "file")
    empty = await client.post(
        url, content=b"--xyz--\r\n", headers={**headers, "content-type": "multipart/form-data; boundary=xyz"}
    )
    problem(empty, 422, "file")
    assert (await db.execute(select(func.count()).select_from(EvidenceFile))).scalar_one() == 0


async def test_a_file_under_another_name_is_not_taken_for_the_evidence(client, claim):
    url = f"{API}/claims/{claim['id']}/evidence"
    response = await client.post(
        url, files={"other": ("m.csv", b"a,b\n1,2\n", "text/csv")}, headers=claim["lead"].headers
    )
    problem(response, 422, "file")


async def test_the_file_part_still_uploads(client, claim):
    url = f"{API}/claims/{claim['id']}/evidence"
    response = await client.post(
        url, files={"file": ("m.csv", b"a,b\n1,2\n", "text/csv")}, headers=claim["lead"].headers
    )
    assert response.status_code == 201, response.text


# ── 1b: deep nesting ─────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("depth", [33, 1_000, 100_000])
async def test_deeply_nested_calculator_inputs_are_422_naming_the_input(client, depth):
    body = b'{"metric_id": "KY-LM3", "inputs": {"lm3_r1_yen": ' + b"[" * depth + b"]" * depth + b"}}"
    response = await client.post(f"{API}/impact/calculate", content=body, headers=JSON)
    errors = problem(response, 422)["errors"]
    assert errors[0]["code"] == "validation.too_deep"
    assert errors[0]["field"].startswith("inputs.lm3_r1_yen[0]"), errors


async def test_deeply_nested_project_impact_inputs_are_422_and_nothing_is_created(client, db, make_actor):
    lead = await make_actor(Role.project_lead)
    from service.models import Project

    before = (await db.execute(select(func.count()).select_from(Project))).scalar_one()
    payload = project_payload()
    head = msgspec_json(payload)[:-1] + b', "impact_inputs": {"sroi_outcomes": '
    body = head + b"[" * 5_000 + b"]" * 5_000 + b"}}"
    response = await client.post(f"{API}/projects", content=body, headers={**lead.headers, **JSON})
    errors = problem(response, 422)["errors"]
    assert errors[0]["field"].startswith("impact_inputs.sroi_outcomes[0]"), errors
    assert (await db.execute(select(func.count()).select_from(Project))).scalar_one() == before


def msgspec_json(value) -> bytes:
    import msgspec

    return msgspec.json.encode(value)


async def test_an_overlong_string_in_inputs_is_422_naming_it(client):
    body = {"metric_id": "KY-SROI", "inputs": {"sroi_outcomes": [{"name": "x" * 5_000}]}}
    response = await client.post(f"{API}/impact/calculate", json=body)
    errors = problem(response, 422, "inputs.sroi_outcomes[0].name")["errors"]
    assert errors[0]["code"] == "validation.too_long"


# ── 1c: invalid UTF-8 ────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "body",
    [
        b'{"email": "\xff\xfe@example.jp", "password": "x"}',
        b"\xc3\x28",
        b'{"email": "a@b.jp", "password": "\xed\xa0\x80"}',
    ],
    ids=["bad_start_byte", "truncated_sequence", "surrogate"],
)
async def test_invalid_utf8_in_a_json_body_is_400_naming_body(client, db, body):
    from service.models import RateCounter

    before = (await db.execute(select(func.count()).select_from(RateCounter))).scalar_one()
    response = await client.post(f"{API}/auth/login", content=body, headers=JSON)
    errors = problem(response, 400, "body")["errors"]
    assert errors[0]["code"] == "request.invalid_utf8"
    assert (await db.execute(select(func.count()).select_from(RateCounter))).scalar_one() == before


# ── 1d: control characters in query strings ──────────────────────────────────────────────────

QUERIES = [
    ("/projects", "q", "%00"),
    ("/projects", "q", "米子%00"),
    ("/projects", "q", "a%1Fb"),
    ("/projects", "sort", "%00"),
    ("/organisations", "q", "%00"),
    ("/regions/municipalities", "q", "%0A"),
    ("/impact/metrics", "anything", "%7F"),
]


@pytest.mark.parametrize(("path", "name", "value"), QUERIES, ids=[f"{p}?{n}={v}" for p, n, v in QUERIES])
async def test_control_characters_in_a_query_parameter_are_422_naming_it(client, path, name, value):
    response = await client.get(f"{API}{path}?{name}={value}")
    errors = problem(response, 422, name)["errors"]
    assert errors[0]["code"] == "validation.control_character"


async def test_an_ordinary_japanese_query_still_works(client):
    response = await client.get(f"{API}/projects", params={"q": "米子 エネルギー"})
    assert response.status_code == 200, response.text


# ── 5: error fields name what the client sent ────────────────────────────────────────────────


async def test_a_missing_query_parameter_is_named(client, make_actor):
    response = await client.get(f"{API}/projects/{uuid.uuid4()}/eligibility", params={"donation_yen": 5})
    errors = problem(response, 400, "donor_organisation_id")["errors"]
    assert errors[0]["code"] == "validation.required"


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({"lm3_r1_yen": 10, "lm3_r2_yen": 20, "lm3_r3_yen": 0}, "inputs.lm3_r2_yen"),
        ({"lm3_r1_yen": 10, "lm3_r2_yen": 8, "lm3_r3_yen": 9}, "inputs.lm3_r3_yen"),
        ({"lm3_r1_yen": 0, "lm3_r2_yen": 0, "lm3_r3_yen": 0}, "inputs.lm3_r1_yen"),
        ({"lm3_r1_yen": 10, "lm3_r2_yen": 8}, "inputs.lm3_r3_yen"),
    ],
    ids=["r2_above_r1", "r3_above_r2", "r1_zero", "r3_missing"],
)
async def test_calculator_errors_name_the_key_the_client_sent(client, inputs, field):
    response = await client.post(f"{API}/impact/calculate", json={"metric_id": "KY-LM3", "inputs": inputs})
    problem(response, 422, field)


def test_library_names_map_to_the_one_sent_key_that_holds_them():
    sent = {"lm3_r1_yen": 1, "lm3_r2_yen": 2, "sroi_outcomes": []}
    assert client_field("r2", sent) == "lm3_r2_yen"
    assert client_field("outcomes[0].name", sent) == "sroi_outcomes[0].name"
    assert client_field("lm3_r3_yen", sent) == "lm3_r3_yen"  # a missing input keeps its own name
    assert client_field("x", sent) == ""  # nothing matches: the whole inputs object


# ── 3: bounds derived from the catalogue ─────────────────────────────────────────────────────


def test_every_catalogue_unit_has_known_bounds_and_counts_are_non_negative():
    units = {m.unit for m in impact.CATALOGUE.values()}
    bounds = {u: unit_bounds(u) for u in units}
    for unit in ("persons", "FTE", "kWh/yr"):
        assert bounds[unit][0] == 0, unit
    assert bounds["points (0–100)"] == (0, 100)
    assert bounds["JPY/yr"] == (None, None)  # regional value added includes profit, which may be negative


async def test_a_claim_of_minus_5_persons_is_422_and_not_stored(client, db, claim):
    before = (await db.execute(select(func.count()).select_from(ImpactClaim))).scalar_one()
    project = (await db.execute(select(ImpactClaim.project_id).where(ImpactClaim.id == claim["id"]))).scalar_one()
    body = {
        "metric_id": "PI4060",
        "value": -5,
        "period_start": "2025-04-01",
        "period_end": "2026-03-31",
        "boundary": "米子市",
        "method": "利用者台帳",
        "baseline": "なし",
    }
    response = await client.post(f"{API}/projects/{project}/claims", json=body, headers=claim["lead"].headers)
    body_ = problem(response, 422, "value")
    assert "persons" in body_["errors"][0]["message"]["en"]
    assert (await db.execute(select(func.count()).select_from(ImpactClaim))).scalar_one() == before


def test_the_date_bounds_run_from_2000_to_fifty_years_ahead():
    from datetime import date

    earliest, latest = date_bounds(date(2026, 11, 29))
    assert earliest == date(2000, 1, 1)
    assert latest == date(2076, 11, 29)
    assert date_bounds(date(2028, 2, 29))[1] == date(2078, 2, 28)
