"""Field-level fuzz: valid bodies with one field at a time replaced by a hostile value (the
suite's fuzzer sends whole-body garbage). Every answer must be below 500."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from tests.service.conftest import shared_world_fixtures
from tests.service.helpers import project_payload, vetting_payload

connection, app, world = shared_world_fixtures()

NASTY: list[Any] = [
    None,
    "",
    " ",
    "\u202e\u200b",
    "\x01",
    "ｘ" * 10_000,
    -1,
    0,
    2**63,
    -(2**63) - 1,
    10**30,
    1.5,
    1e308,
    -0.0,
    True,
    [],
    {},
    [None],
    {"a": {"b": {"c": []}}},
    "NaN",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31T23:59:59Z",
    "00000000-0000-0000-0000-000000000000",
    "31202",
    "KY-LM3",
    "admin",
    "../../etc/passwd",
    "%00",
]


def _mutations(body: Any, path: tuple = ()):
    if isinstance(body, dict):
        for k, v in body.items():
            for nasty in NASTY:
                yield (*path, k), nasty
            yield from _mutations(v, (*path, k))
        yield (*path, "zz_unknown"), 1
    elif isinstance(body, list) and body:
        for nasty in NASTY[:12]:
            yield (*path, 0), nasty


def _set(body: Any, path: tuple, value: Any) -> Any:
    body = copy.deepcopy(body)
    cur = body
    for p in path[:-1]:
        cur = cur[p]
    if isinstance(cur, list):
        cur[path[-1]] = value
    else:
        cur[path[-1]] = value
    return body


async def test_no_single_hostile_field_is_a_5xx(app, world):
    import httpx

    org = str(world.org_a.id)
    profile = {
        "display_name_ja": "新しい投資家",
        "display_name_en": "New investor",
        "investor_type": "fund",
        "ticket_min_yen": 1_000_000,
        "ticket_max_yen": 10_000_000,
        "risk_tolerance": "low",
        "sectors": ["energy"],
        "prefecture_codes": [31],
        "instruments": ["equity"],
    }
    cases: list[tuple[str, str, str, dict[str, Any]]] = [
        (
            "anonymous",
            "POST",
            "/api/v1/auth/signup",
            {
                "email": "fz@example.jp",
                "password": "correct horse battery",
                "display_name": "名",
                "preferred_language": "en",
                "organisation": {
                    "organisation": {
                        "kind": "company",
                        "name_ja": "新会社",
                        "name_en": "New",
                        "prefecture_code": 31,
                        "municipality_code": "31202",
                    },
                    "role": "project_lead",
                },
            },
        ),
        ("anonymous", "POST", "/api/v1/auth/login", {"email": "fz@example.jp", "password": "correct horse battery"}),
        ("anonymous", "POST", "/api/v1/auth/verify-email", {"token": "A" * 43, "password": "correct horse battery"}),
        ("investor", "POST", "/api/v1/investors", profile),
        ("investor", "POST", "/api/v1/investors/me", {}),
        ("lead_owner", "POST", "/api/v1/projects", project_payload(organisation_id=org)),
        (
            "admin",
            "POST",
            "/api/v1/organisations",
            {"kind": "company", "name_ja": "新", "name_en": "N", "prefecture_code": 31, "municipality_code": "31202"},
        ),
        (
            "admin",
            "POST",
            f"/api/v1/organisations/{org}/members",
            {"user_id": str(world.spare_user), "role": "investor"},
        ),
        ("admin", "POST", f"/api/v1/vetting/{world.projects['submitted']}/decision", vetting_payload()),
        (
            "lead_owner",
            "POST",
            f"/api/v1/projects/{world.projects['funding']}/claims",
            {
                "metric_id": "KY-JOBS",
                "value": 3,
                "period_start": "2025-04-01",
                "period_end": "2026-03-31",
                "method_note": "給与台帳から",
            },
        ),
        (
            "admin",
            "POST",
            "/api/v1/regions/living-spheres",
            {"name_ja": "圏", "name_en": "S", "core_municipality_code": "31202", "member_codes": ["31204"]},
        ),
        ("anonymous", "POST", "/api/v1/impact/calculate", {"metric_id": "KY-LM3", "inputs": {"lm3_r1_yen": 100}}),
    ]
    failures, tried = [], 0
    codes: dict[int, int] = {}
    for caller, method, url, body in cases:
        headers = world.headers(caller)
        for i, (path, value) in enumerate(_mutations(body)):
            mutated = _set(body, path, value)
            if "email" in mutated and isinstance(mutated.get("email"), str) and path != ("email",):
                mutated["email"] = f"fz{uuid.uuid4().hex[:6]}@example.jp"
            ip = f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app, client=(ip, 1)), base_url="https://testserver"
            ) as client:
                r = await client.request(
                    method, url, json=mutated, headers={**headers, "Idempotency-Key": f"fz-{uuid.uuid4()}"}
                )
            codes[r.status_code] = codes.get(r.status_code, 0) + 1
            tried += 1
            if r.status_code >= 500:
                failures.append(f"{caller} {method} {url} {path}={value!r:.60} → {r.status_code} {r.text[:200]}")
    print(f"\nfield fuzz tried: {tried} / 5xx: {len(failures)} statuses: {codes}")
    assert failures == [], "\n".join(failures[:30])
