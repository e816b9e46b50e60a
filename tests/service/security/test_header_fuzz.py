"""Header and cookie fuzz (the suite's fuzzer varies bodies and queries only): every route, as
anonymous and with a session cookie, with hostile Authorization, Cookie, X-CSRF-Token,
Idempotency-Key, X-Forwarded-For, Accept-Language, Content-Type parameters. No answer may be 5xx."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from tests.service.conftest import shared_world_fixtures

connection, app, world = shared_world_fixtures()

LATIN1_JUNK = "\xff\xfe\x80\xe9"
HEADER_SETS: list[dict[str, str | bytes]] = [
    {"authorization": "Bearer "},
    {"authorization": "Bearer " + "a" * 10_000},
    {"authorization": "Bearer a.b.c"},
    {"authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."},
    {"authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30." + "A" * 43},
    {"authorization": b"Bearer \xff\xfe"},
    {"authorization": "Basic YTpi"},
    {"authorization": "bearer\t" + "x"},
    {"cookie": "kyoso_session=" + "a" * 5000},
    {"cookie": "kyoso_session=a.b.c; kyoso_csrf=x"},
    {"cookie": b"kyoso_session=\xff\xfe"},
    {"cookie": 'kyoso_session="quoted"; kyoso_oidc_state=%00'},
    {"cookie": "kyoso_oidc_state=" + "z" * 4000},
    {"x-csrf-token": b"\xff" * 64},
    {"idempotency-key": b"\xff\xfe"},
    {"idempotency-key": "k" * 256},
    {"idempotency-key": ""},
    {"idempotency-key": "a\tb"},
    {"x-forwarded-for": "999.999.999.999, [::1]:abc, , ,, unknown, " + "1" * 5000},
    {"x-forwarded-for": b"\xff\xfe, 10.0.0.1"},
    {"x-forwarded-for": "fe80::1%eth0, ::ffff:1.2.3.4"},
    {"accept-language": "zz;q=abc, " + "en;q=0.5," * 500},
    {"accept-language": b"\xff"},
    {"accept": "application/problem+json;q=NaN, */*;q=-1"},
    {"content-type": "application/json; charset=latin-1"},
    {"content-type": "application/json; charset=utf-16"},
    {"content-type": "application/json; " + "a=b;" * 2000},
    {"content-type": b"application/json\xff"},
    {"content-length": "abc"},
    {"origin": "null", "sec-fetch-site": "cross-site"},
    {"if-none-match": "*" * 10_000, "range": "bytes=-1-2,a-b"},
]

BODY = b'{"email": "a@b.jp", "password": "correct horse battery", "display_name": "x"}'


def _fill(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)(?::(\w+))?\}", lambda m: ids.get(m.group(1), str(uuid.uuid4())), path)


async def test_no_hostile_header_is_a_5xx(world, app):
    ids = {
        "project_id": str(world.projects["funding"]),
        "organisation_id": str(world.org_a.id),
        "profile_id": str(world.profiles["public"]),
        "living_sphere_id": str(world.sphere),
    }
    failures: list[str] = []
    tried = 0
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 4444))
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
        for route in app.routes:
            methods = sorted(m for m in getattr(route, "methods", ()) if m not in ("HEAD", "OPTIONS"))
            for method in methods:
                url = _fill(route.path, ids)
                for extra in HEADER_SETS:
                    for caller in ("anonymous", "admin"):
                        headers: dict[str, Any] = {"content-type": "application/json"}
                        if caller != "anonymous":
                            headers.update(world.headers(caller))
                        headers.update(extra)
                        try:
                            r = await client.request(
                                method, url, headers=headers, content=BODY if method not in ("GET", "DELETE") else None
                            )
                        except Exception as exc:
                            failures.append(
                                f"{caller} {method} {url} {list(extra)} raised {type(exc).__name__}: {exc}"[:300]
                            )
                            continue
                        tried += 1
                        if r.status_code >= 500:
                            failures.append(f"{caller} {method} {url} {list(extra)} → {r.status_code} {r.text[:200]}")
    print(f"\nheader fuzz tried: {tried} / failures: {len(failures)}")
    assert failures == [], "\n".join(failures[:40])
