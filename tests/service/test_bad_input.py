"""Bad input to every write endpoint, and bad list parameters: always a 4xx problem (never a 500)
naming the wrong field in Japanese and English, and nothing written.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, text

from tests.service.bad_input.cases_accounts import ACCOUNT_CASES
from tests.service.bad_input.cases_deal_room_documents import DEAL_ROOM_DOCUMENT_CASES
from tests.service.bad_input.cases_deal_room_live import DEAL_ROOM_LIVE_CASES
from tests.service.bad_input.cases_deal_room_qa import QA_CASES
from tests.service.bad_input.cases_deal_rooms import DEAL_ROOM_CASES
from tests.service.bad_input.cases_impact import IMPACT_CASES
from tests.service.bad_input.cases_matching import MATCHING_CASES
from tests.service.bad_input.cases_notifications import NOTIFICATION_CASES, NOTIFICATION_LIST_PARAMS
from tests.service.bad_input.cases_projects import PROJECT_CASES
from tests.service.bad_input.common import TOO_MUCH_YEN, UNKNOWN, Bad, without
from tests.service.bad_input.endpoints import ENDPOINTS, TABLES
from tests.service.conftest import World, shared_world_fixtures
from tests.service.helpers import project_payload

API = "/api/v1"

connection, app, world = shared_world_fixtures()

#: Every case, in the order of the tables (sign-up first, impact claims last).
BAD: list[Bad] = [*ACCOUNT_CASES, *PROJECT_CASES, *MATCHING_CASES, *IMPACT_CASES, *DEAL_ROOM_CASES]
BAD += NOTIFICATION_CASES
BAD += QA_CASES
BAD += DEAL_ROOM_DOCUMENT_CASES
BAD += DEAL_ROOM_LIVE_CASES  # the live feed's HTTP write (issue 8 §4)


def _placeholders(world: World) -> dict[str, str]:
    return {
        "org_a": str(world.org_a.id),
        "investor_org": str(world.investor_org.id),
        "spare_user": str(world.spare_user),
        "lead_owner_user": str(world.actors["lead_owner"].user.id),
        **{k: str(v) for k, v in world.projects.items()},
        **{k: str(v) for k, v in world.profiles.items()},
        # Deal rooms: none exists in the shared world (see cases_deal_rooms.py).
        **dict.fromkeys(("room_id", "participant_id", "request_id"), UNKNOWN),
        "notification_id": UNKNOWN,
        "question_id": UNKNOWN,  # nor a question (cases_deal_room_qa.py)
        # The data room: none either (see cases_deal_room_documents.py).
        **dict.fromkeys(("folder_id", "document_id"), UNKNOWN),
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
            .replace("{hidden_user}", "{profile_id}")
            .replace("{vetted}", "{project_id}"),
        )
        for m, p, _ in ENDPOINTS.values()
    }
    # Logout, becoming an individual investor and confirming or declining an OIDC link take no
    # body; the authorization matrix, test_onboarding.py and test_oidc_link.py cover them.
    assert writes - tested == {
        ("POST", f"{API}/auth/logout"),
        ("POST", f"{API}/investors/me"),
        ("POST", f"{API}/auth/oidc/link"),
        ("DELETE", f"{API}/auth/oidc/link"),
        # Marking all of one's notifications read takes no input (matrix, tests/service/notifications/).
        ("POST", f"{API}/notifications/read-all"),
    }


# ── list parameters ──────────────────────────────────────────────────────────────────────────

LISTS = {
    "projects": ("/projects", "anonymous"),
    "investors": ("/investors", "investor"),
    "organisations": ("/organisations", "anonymous"),
    "municipalities": ("/regions/municipalities", "anonymous"),
    "vetting_queue": ("/vetting/queue", "admin"),
    "events": ("/events", "investor"),
    "notifications": ("/notifications", "investor"),
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
    *NOTIFICATION_LIST_PARAMS,
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
