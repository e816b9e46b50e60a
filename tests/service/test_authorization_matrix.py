"""Who may call what: every endpoint under /api/v1 × every kind of caller × owned/not-owned objects.

The table ``MATRIX`` is the specification. ``test_matrix_covers_every_api_endpoint`` fails when an
endpoint is added without rows here, so a new endpoint cannot ship without an authorization rule.
Objects the caller may not know exist answer 404 (never 403).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from service.auth.passwords import hash_password
from service.auth.principal import CSRF_HEADER, SESSION_COOKIE
from service.auth.tokens import TokenCodec
from service.models import Project, User
from service.models.enums import PUBLIC_STATUSES, ProjectStatus
from tests.conftest import TEST_SECRET
from tests.service.conftest import CALLERS, World, shared_world_fixtures
from tests.service.helpers import project_payload, vetting_payload
from tests.service.impact_matrix import IMPACT_PATHS
from tests.service.impact_matrix import request as impact_request

API = "/api/v1"
PRIVATE_STATUSES = tuple(s.value for s in ProjectStatus if s not in PUBLIC_STATUSES)
PUBLIC = tuple(sorted(s.value for s in PUBLIC_STATUSES))
LOGIN_PASSWORD = "correct horse battery staple"

connection, app, world = shared_world_fixtures()


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    target: str
    expect: dict[str, int]


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(CALLERS, status)


def signed_in(status: int) -> dict[str, int]:
    return {**everyone(status), "anonymous": 401}


def admin_only(status: int) -> dict[str, int]:
    return {**signed_in(403), "admin": status}


def only(allowed: dict[str, int], others: int) -> dict[str, int]:
    """Signed-in callers get ``others`` unless named in ``allowed``; anonymous gets 401."""
    return {**signed_in(others), **allowed}


def _project_rows() -> list[Row]:
    p, t = f"{API}/projects/{{project_id}}", f"{API}/projects/{{project_id}}/transitions"
    rows = [
        Row("GET", f"{API}/projects", "-", everyone(200)),
        Row("POST", f"{API}/projects", "-", only({"lead_owner": 201, "lead_other": 201}, 403)),
        # Naming an organisation: only a project lead of that organisation may.
        Row("POST", f"{API}/projects", "for_org_a", only({"lead_owner": 201}, 403)),
        Row("GET", p, "unknown", everyone(404)),
        Row("PATCH", p, "unknown", signed_in(404)),
        Row("GET", t, "unknown", signed_in(404)),
        Row("POST", t, "unknown", signed_in(404)),
        # Editing: the owning lead (and admins) on drafts only; other drafts are unknown (404).
        Row("PATCH", p, "draft", only({"lead_owner": 200, "admin": 200}, 404)),
        Row("PATCH", p, "other_draft", only({"lead_other": 200, "admin": 200}, 404)),
    ]
    for status in PUBLIC:
        rows += [
            Row("GET", p, status, everyone(200)),
            Row("PATCH", p, status, only({"lead_owner": 409, "admin": 409}, 403)),
            Row("GET", t, status, only({"lead_owner": 200, "admin": 200}, 403)),
        ]
    for status in PRIVATE_STATUSES:
        rows += [
            Row("GET", p, status, {**everyone(404), "lead_owner": 200, "admin": 200}),
            Row("GET", t, status, only({"lead_owner": 200, "admin": 200}, 404)),
        ]
        if status != "draft":
            rows.append(Row("PATCH", p, status, only({"lead_owner": 409, "admin": 409}, 404)))
    # Status moves: who may make each one (vetting moves have their own endpoint).
    rows += [
        Row("POST", t, "draft->submitted", only({"lead_owner": 201, "admin": 403}, 404)),
        Row("POST", t, "submitted->draft", only({"lead_owner": 201, "admin": 403}, 404)),
        Row("POST", t, "rejected->draft", only({"lead_owner": 201, "admin": 403}, 404)),
        Row("POST", t, "draft->withdrawn", only({"lead_owner": 201, "admin": 201}, 404)),
        Row("POST", t, "submitted->vetted", only({"lead_owner": 409, "admin": 409}, 404)),
        Row("POST", t, "vetted->funding", only({"lead_owner": 201, "admin": 201}, 403)),
        Row("POST", t, "funding->funded", only({"admin": 201}, 403)),
        Row("POST", t, "funded->closed", only({"lead_owner": 201, "admin": 201}, 403)),
        Row("POST", t, "vetted->withdrawn", only({"lead_owner": 201, "admin": 201}, 403)),
        Row("POST", t, "closed->funding", only({}, 409)),
    ]
    return rows


def _investor_rows() -> list[Row]:
    one = f"{API}/investors/{{profile_id}}"
    rows = [
        Row("GET", f"{API}/investors", "-", signed_in(200)),
        # A personal profile needs an investing role; investor and bank already have one (409).
        Row("POST", f"{API}/investors", "personal", only({"investor": 409, "bank": 409}, 403)),
        Row("POST", f"{API}/investors", "investor_org", only({"investor": 201}, 403)),
        Row("POST", f"{API}/investors", "bank_org", only({"bank": 409}, 403)),
        Row("GET", one, "unknown", signed_in(404)),
        Row("PATCH", one, "unknown", signed_in(404)),
        Row("DELETE", one, "unknown", signed_in(404)),
        Row("GET", one, "public", signed_in(200)),
        Row("PATCH", one, "public", only({"bank": 200, "admin": 200}, 403)),
        Row("DELETE", one, "public", only({"bank": 204, "admin": 204}, 403)),
    ]
    owners = {"hidden_user": "investor", "hidden_org": "bank"}
    for target, owner in owners.items():
        rows += [
            Row("GET", one, target, only({owner: 200, "admin": 200}, 404)),
            Row("PATCH", one, target, only({owner: 200, "admin": 200}, 404)),
            Row("DELETE", one, target, only({owner: 204, "admin": 204}, 404)),
        ]
    return rows


def _matching_rows() -> list[Row]:
    """Events: recorded for a profile the caller owns on a project it may see (else 404), read by
    their owner (admins: all). Matches: an investor profile's for its owner and admins (others 404,
    even for a discoverable profile); a project's for its lead and admins (403 when the project is
    public, 404 when hidden). Model versions: admins only."""
    ev, im = f"{API}/events", f"{API}/investors/{{profile_id}}/matches"
    pm, models = f"{API}/projects/{{project_id}}/matches", f"{API}/admin/models"
    rows = [
        Row("GET", ev, "-", signed_in(200)),
        Row("POST", ev, "hidden_user:funding", only({"investor": 201}, 404)),
        Row("POST", ev, "public:vetted", only({"bank": 201}, 404)),
        Row("POST", ev, "hidden_org:draft", signed_in(404)),
        Row("GET", im, "unknown", signed_in(404)),
        Row("GET", im, "public", only({"bank": 200, "admin": 200}, 404)),
        Row("GET", im, "hidden_user", only({"investor": 200, "admin": 200}, 404)),
        Row("GET", im, "hidden_org", only({"bank": 200, "admin": 200}, 404)),
        Row("GET", pm, "unknown", signed_in(404)),
        Row("GET", pm, "other_draft", only({"lead_other": 200, "admin": 200}, 404)),
        Row("GET", models, "-", admin_only(200)),
        Row("POST", f"{models}/{{version_id}}/activate", "unknown", {**admin_only(403), "admin": 404}),
        Row("POST", f"{models}/rollback", "-", {**admin_only(403), "admin": 409}),
    ]
    rows += [Row("GET", pm, status, only({"lead_owner": 200, "admin": 200}, 403)) for status in PUBLIC]
    rows += [Row("GET", pm, status, only({"lead_owner": 200, "admin": 200}, 404)) for status in PRIVATE_STATUSES]
    return rows


# ── impact, claims and audit (issue 3) ───────────────────────────────────────────────────────
# Requests for these rows are sent by tests/service/impact_matrix.py (multipart upload, query
# parameters, claims arranged per row). Claim targets are "<project status>:<claim status>".


def _impact_rows() -> list[Row]:
    pc, el = f"{API}/projects/{{project_id}}/public-contribution", f"{API}/projects/{{project_id}}/eligibility"
    pcl, one = f"{API}/projects/{{project_id}}/claims", f"{API}/claims/{{claim_id}}"
    ev = f"{one}/evidence/{{evidence_id}}"
    insiders = only({"lead_owner": 200, "admin": 200}, 404)
    hidden = {**everyone(404), "lead_owner": 200, "admin": 200}
    rows = [
        Row("GET", f"{API}/impact/metrics", "-", everyone(200)),
        Row("GET", f"{API}/impact/metrics/{{metric_id}}", "KY-LM3", everyone(200)),
        Row("GET", f"{API}/impact/metrics/{{metric_id}}", "unknown", everyone(404)),
        Row("POST", f"{API}/impact/calculate", "-", everyone(200)),
        Row("GET", pc, "unknown", everyone(404)),
        Row("GET", el, "unknown", everyone(404)),
        Row("GET", pcl, "unknown", everyone(404)),
        # Only the project's own lead submits claims; hidden projects stay unknown (404).
        Row("POST", pcl, "vetted", only({"lead_owner": 201}, 403)),
        Row("POST", pcl, "draft", only({"lead_owner": 201, "admin": 403}, 404)),
        Row("POST", pcl, "unknown", signed_in(404)),
        # A claim is public once verified; before that only the project's organisation and admins see it.
        Row("GET", one, "vetted:verified", everyone(200)),
        Row("GET", one, "vetted:submitted", hidden),
        Row("GET", one, "unknown", everyone(404)),
        # Decisions: admins only (others 403 whatever the claim).
        Row("POST", f"{one}/decisions", "vetted:submitted", admin_only(200)),
        Row("POST", f"{one}/decisions", "draft:submitted", admin_only(200)),
        Row("POST", f"{one}/decisions", "unknown", {**admin_only(403), "admin": 404}),
        # The lead's moves: admins see the claim but may not act as its lead (403); others 404.
        Row("POST", f"{one}/resubmit", "vetted:needs_evidence", only({"lead_owner": 200, "admin": 403}, 404)),
        Row("POST", f"{one}/contest", "vetted:rejected", only({"lead_owner": 200, "admin": 403}, 404)),
        Row("POST", f"{one}/evidence", "vetted:submitted", only({"lead_owner": 201, "admin": 403}, 404)),
        Row("POST", f"{one}/resubmit", "unknown", signed_in(404)),
        Row("POST", f"{one}/contest", "unknown", signed_in(404)),
        Row("POST", f"{one}/evidence", "unknown", signed_in(404)),
        # Evidence files: the project's organisation and admins, even when the claim is public.
        Row("GET", ev, "vetted:submitted", insiders),
        Row("GET", ev, "vetted:verified", insiders),
        Row("GET", ev, "unknown", signed_in(404)),
        Row("GET", f"{API}/admin/audit", "-", admin_only(200)),
        Row("GET", f"{API}/admin/audit/verify", "-", admin_only(200)),
    ]
    for status in PUBLIC:
        rows += [Row("GET", path, status, everyone(200)) for path in (pc, el, pcl)]
    for status in PRIVATE_STATUSES:
        rows += [Row("GET", path, status, hidden) for path in (pc, el, pcl)]
    return rows


MATRIX: list[Row] = [
    Row("POST", f"{API}/auth/signup", "-", everyone(201)),
    Row("POST", f"{API}/auth/signup", "with_org_as_investor", everyone(201)),
    # Bank and admin roles are never self-service.
    Row("POST", f"{API}/auth/signup", "with_org_as_bank", everyone(403)),
    Row("POST", f"{API}/auth/signup", "with_org_as_admin", everyone(403)),
    Row("POST", f"{API}/auth/login", "-", everyone(200)),
    Row("POST", f"{API}/auth/logout", "-", signed_in(204)),
    Row("GET", f"{API}/auth/me", "-", signed_in(200)),
    # No identity provider is configured in tests: the OIDC endpoints say so to everyone.
    Row("GET", f"{API}/auth/oidc/login", "-", everyone(404)),
    Row("GET", f"{API}/auth/oidc/callback", "-", everyone(404)),
    Row("GET", f"{API}/organisations", "-", everyone(200)),
    Row("POST", f"{API}/organisations", "-", admin_only(201)),
    Row("GET", f"{API}/organisations/{{organisation_id}}", "org_a", everyone(200)),
    Row("GET", f"{API}/organisations/{{organisation_id}}", "unknown", everyone(404)),
    Row("PATCH", f"{API}/organisations/{{organisation_id}}", "org_a", only({"lead_owner": 200, "admin": 200}, 403)),
    Row("PATCH", f"{API}/organisations/{{organisation_id}}", "unknown", signed_in(404)),
    Row(
        "GET", f"{API}/organisations/{{organisation_id}}/members", "org_a", only({"lead_owner": 200, "admin": 200}, 403)
    ),
    Row("GET", f"{API}/organisations/{{organisation_id}}/members", "unknown", signed_in(404)),
    Row("POST", f"{API}/organisations/{{organisation_id}}/members", "org_a", admin_only(201)),
    Row("POST", f"{API}/organisations/{{organisation_id}}/members", "unknown", {**admin_only(403), "admin": 404}),
    Row("GET", f"{API}/regions/prefectures", "-", everyone(200)),
    Row("GET", f"{API}/regions/municipalities", "-", everyone(200)),
    Row("GET", f"{API}/regions/living-spheres", "-", everyone(200)),
    Row("POST", f"{API}/regions/living-spheres", "-", admin_only(201)),
    Row("GET", f"{API}/regions/living-spheres/{{sphere_id}}", "sphere", everyone(200)),
    Row("GET", f"{API}/regions/living-spheres/{{sphere_id}}", "unknown", everyone(404)),
    *_project_rows(),
    Row("GET", f"{API}/vetting/queue", "-", admin_only(200)),
    Row("POST", f"{API}/vetting/{{project_id}}/decision", "submitted", admin_only(201)),
    Row("POST", f"{API}/vetting/{{project_id}}/decision", "draft", admin_only(409)),
    Row("POST", f"{API}/vetting/{{project_id}}/decision", "unknown", admin_only(404)),
    *_investor_rows(),
    *_matching_rows(),
    *_impact_rows(),
]

CASES = [
    pytest.param(row, caller, status, id=f"{row.method} {row.path.removeprefix(API)} [{row.target}] {caller}->{status}")
    for row in MATRIX
    for caller, status in row.expect.items()
]


def _uuid_for(world: World, path: str, target: str) -> dict[str, str]:
    unknown = str(uuid.uuid4())
    if "{project_id}" in path:
        status = target.split("->")[0]
        pid = world.other_draft if target == "other_draft" else world.projects.get(status)
        return {"project_id": str(pid) if pid else unknown}
    if "{profile_id}" in path:
        return {"profile_id": str(world.profiles[target]) if target in world.profiles else unknown}
    if "{organisation_id}" in path:
        return {"organisation_id": str(world.org_a.id) if target == "org_a" else unknown}
    if "{sphere_id}" in path:
        return {"sphere_id": str(world.sphere) if target == "sphere" else unknown}
    if "{version_id}" in path:
        return {"version_id": unknown}
    return {}


def _profile_payload(**overrides: Any) -> dict[str, Any]:
    return {
        "display_name_ja": "新しい投資家",
        "display_name_en": "New investor",
        "investor_type": "fund",
        "ticket_min_yen": 1_000_000,
        "ticket_max_yen": 10_000_000,
        "risk_tolerance": "low",
        **overrides,
    }


async def _body(row: Row, world: World, db: Any) -> dict[str, Any] | None:
    path = row.path.removeprefix(API)
    if path == "/auth/signup":
        body: dict[str, Any] = {
            "email": f"new-{uuid.uuid4().hex[:8]}@example.jp",
            "password": LOGIN_PASSWORD,
            "display_name": "新規 ユーザー",
        }
        if row.target.startswith("with_org_as_"):
            organisation = {"kind": "company", "name_ja": "新会社", "name_en": "New company"}
            body["organisation"] = {"organisation": organisation, "role": row.target.removeprefix("with_org_as_")}
        return body
    if path == "/auth/login":
        email = f"login-{uuid.uuid4().hex[:8]}@example.jp"
        db.add(User(email=email, display_name="ログイン ユーザー", password_hash=_login_hash()))
        await db.commit()
        return {"email": email, "password": LOGIN_PASSWORD}
    if row.method in ("GET", "DELETE") or path == "/auth/logout" or path.startswith("/admin/models"):
        return None
    if path == "/events":
        profile, status = row.target.split(":")
        return {
            "id": str(uuid.uuid4()),
            "investor_id": str(world.profiles[profile]),
            "project_id": str(world.projects[status]),
            "kind": "bookmark",
        }
    if path == "/organisations":
        return {"kind": "company", "name_ja": "新しい組織", "name_en": "New organisation"}
    if path == "/organisations/{organisation_id}":
        return {"name_en": "Renamed"}
    if path == "/organisations/{organisation_id}/members":
        return {"user_id": str(world.spare_user), "role": "investor"}
    if path == "/regions/living-spheres":
        return {
            "name_ja": f"新生活圏 {uuid.uuid4().hex[:6]}",
            "name_en": "New sphere",
            "core_municipality_code": "31202",
            "member_codes": ["31204"],
        }
    if path == "/projects":
        return project_payload(**({"organisation_id": str(world.org_a.id)} if row.target == "for_org_a" else {}))
    if path == "/projects/{project_id}":
        return {"title_en": "Edited"}
    if path == "/projects/{project_id}/transitions":
        to_status = target_to(row.target) or "submitted"
        return {"to_status": to_status, "reason": "テストのための変更"}
    if path == "/vetting/{project_id}/decision":
        return vetting_payload()
    if path == "/investors":
        org = {"investor_org": world.investor_org.id, "bank_org": world.bank_org.id}.get(row.target)
        return _profile_payload(**({"organisation_id": str(org)} if org else {}))
    if path == "/investors/{profile_id}":
        return {"display_name_en": "Edited"}
    raise AssertionError(f"no body for {row.method} {row.path}")


def target_to(target: str) -> str | None:
    return target.split("->")[1] if "->" in target else None


_HASH: list[str] = []


def _login_hash() -> str:
    if not _HASH:
        _HASH.append(hash_password(LOGIN_PASSWORD))
    return _HASH[0]


@pytest.mark.parametrize(("row", "caller", "status"), CASES)
async def test_caller_gets_the_status_the_matrix_says(client, db, world, row, caller, status):
    if row.path in IMPACT_PATHS:  # impact, claims and audit rows arrange their own requests
        response = await impact_request(client, db, world, row.method, row.path, row.target, caller)
        assert response.status_code == status, response.text
        return
    url = row.path.format(**_uuid_for(world, row.path, row.target))
    body = await _body(row, world, db)
    response = await client.request(row.method, url, json=body, headers=world.headers(caller))
    assert response.status_code == status, response.text
    if status >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert problem["status"] == status
        assert problem["code"]
        if status == 404 and "{project_id}" in row.path:
            # A hidden project answers exactly like one that does not exist.
            assert problem["code"] == "project.not_found"
        if status == 404 and "{profile_id}" in row.path:
            assert problem["code"] == "investor_profile.not_found"


def _route_key(method: str, path: str) -> tuple[str, str]:
    return method, re.sub(r"\{(\w+):\w+\}", r"{\1}", path).rstrip("/") or "/"


async def test_matrix_covers_every_api_endpoint(app, client):
    from_routes = {
        _route_key(method, route.path)
        for route in app.routes
        if route.path.startswith(API)
        for method in getattr(route, "methods", ())
        if method not in ("HEAD", "OPTIONS")
    }
    schema = (await client.get("/schema/openapi.json")).json()
    from_schema = {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        if path.startswith(API)
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    covered = {(row.method, row.path) for row in MATRIX}
    assert from_routes == from_schema
    assert from_routes - covered == set(), "endpoints without authorization rows"
    assert covered - from_routes == set(), "rows for endpoints that do not exist"
    for row in MATRIX:
        assert set(row.expect) == set(CALLERS), f"{row.method} {row.path} [{row.target}] misses callers"


# ── no leaks through lists ────────────────────────────────────────────────────────────────────


def _visible_projects(world: World, caller: str) -> set[str]:
    public = {str(world.projects[s]) for s in PUBLIC}
    if caller == "admin":
        return {str(p) for p in world.projects.values()} | {str(world.other_draft)}
    if caller == "lead_owner":
        return {str(p) for p in world.projects.values()}
    if caller == "lead_other":
        return public | {str(world.other_draft)}
    return public


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    "params",
    [{}, {"status": "draft"}, {"status": ["submitted", "rejected", "withdrawn"]}, {"sort": "title_ja"}],
    ids=["all", "status=draft", "status=private", "sorted"],
)
async def test_project_list_never_includes_projects_the_caller_may_not_see(client, world, caller, params):
    response = await client.get(f"{API}/projects", params={**params, "limit": 200}, headers=world.headers(caller))
    assert response.status_code == 200, response.text
    page = response.json()
    ids = {p["id"] for p in page["items"]}
    visible = _visible_projects(world, caller)
    assert ids <= visible
    if not params.get("status"):
        assert ids == visible
    assert page["total"] == len(ids)


@pytest.mark.parametrize("caller", ["anonymous", "investor", "bank", "lead_other"])
async def test_filtering_by_organisation_does_not_reveal_its_drafts(client, world, caller):
    response = await client.get(
        f"{API}/projects", params={"organisation": str(world.org_a.id)}, headers=world.headers(caller)
    )
    assert {p["status"] for p in response.json()["items"]} == set(PUBLIC)
    assert response.json()["total"] == len(PUBLIC)


async def test_vetting_queue_holds_only_submitted_projects(client, world):
    items = (await client.get(f"{API}/vetting/queue", headers=world.headers("admin"))).json()["items"]
    assert [p["id"] for p in items] == [str(world.projects["submitted"])]


_PROFILE_OWNERS = {
    "public": set(CALLERS) - {"anonymous"},
    "hidden_user": {"investor", "admin"},
    "hidden_org": {"bank", "admin"},
}


@pytest.mark.parametrize("caller", [c for c in CALLERS if c != "anonymous"])
@pytest.mark.parametrize(
    "params", [{}, {"investor_type": "company"}, {"ticket": 5_000_000}], ids=["all", "by_type", "by_ticket"]
)
async def test_investor_list_never_includes_hidden_profiles_of_others(client, world, caller, params):
    response = await client.get(f"{API}/investors", params={**params, "limit": 200}, headers=world.headers(caller))
    assert response.status_code == 200, response.text
    ids = {p["id"] for p in response.json()["items"]}
    expected = {str(world.profiles[k]) for k, who in _PROFILE_OWNERS.items() if caller in who}
    assert ids == expected
    assert response.json()["total"] == len(expected)


async def test_members_list_shows_only_that_organisations_members(client, world):
    response = await client.get(f"{API}/organisations/{world.org_a.id}/members", headers=world.headers("lead_owner"))
    members = response.json()
    assert [m["user_id"] for m in members] == [str(world.actors["lead_owner"].user.id)]
    assert {m["organisation_id"] for m in members} == {str(world.org_a.id)}


async def test_hidden_project_404_reveals_nothing_about_it(client, world):
    hidden = await client.get(f"{API}/projects/{world.projects['draft']}", headers=world.headers("lead_other"))
    unknown = await client.get(f"{API}/projects/{uuid.uuid4()}", headers=world.headers("lead_other"))
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json() == unknown.json()


# ── CSRF on cookie sessions ──────────────────────────────────────────────────────────────────


def _cookie_headers(world: World, caller: str, csrf: str | None) -> dict[str, str]:
    headers = {"Cookie": f"{SESSION_COOKIE}={world.actors[caller].token}"}
    if csrf is not None:
        headers[CSRF_HEADER] = csrf
    return headers


def _csrf_for(world: World, caller: str) -> str:
    return TokenCodec(TEST_SECRET).csrf_token(world.actors[caller].session_id)


async def _project_count(db) -> int:
    return (await db.execute(select(func.count()).select_from(Project))).scalar_one()


@pytest.mark.parametrize("csrf", ["missing", "wrong", "another_sessions"])
async def test_cookie_write_without_the_right_csrf_token_is_refused(client, db, world, csrf):
    token = {"missing": None, "wrong": "not-the-token", "another_sessions": _csrf_for(world, "lead_other")}[csrf]
    before = await _project_count(db)
    response = await client.post(
        f"{API}/projects", json=project_payload(), headers=_cookie_headers(world, "lead_owner", token)
    )
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "auth.csrf_failed"
    assert await _project_count(db) == before


@pytest.mark.parametrize(
    ("method", "caller", "path", "body", "status"),
    [
        ("POST", "lead_owner", "/projects", project_payload(), 201),
        ("PATCH", "lead_owner", "/projects/{draft}", {"title_en": "Cookie edit"}, 200),
        ("DELETE", "investor", "/investors/{hidden_user}", None, 204),
    ],
    ids=["post", "patch", "delete"],
)
@pytest.mark.parametrize("with_csrf", [False, True], ids=["no_csrf", "csrf"])
async def test_cookie_writes_need_the_csrf_header(client, world, method, caller, path, body, status, with_csrf):
    url = API + path.format(draft=world.projects["draft"], hidden_user=world.profiles["hidden_user"])
    headers = _cookie_headers(world, caller, _csrf_for(world, caller) if with_csrf else None)
    response = await client.request(method, url, json=body, headers=headers)
    if with_csrf:
        assert response.status_code == status, response.text
    else:
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "auth.csrf_failed"


async def test_cookie_reads_need_no_csrf_header(client, world):
    response = await client.get(f"{API}/auth/me", headers=_cookie_headers(world, "investor", None))
    assert response.status_code == 200, response.text
    assert response.json()["id"] == str(world.actors["investor"].user.id)


async def test_bearer_writes_need_no_csrf_header(client, db, world):
    before = await _project_count(db)
    response = await client.post(f"{API}/projects", json=project_payload(), headers=world.headers("lead_owner"))
    assert response.status_code == 201, response.text
    assert await _project_count(db) == before + 1
