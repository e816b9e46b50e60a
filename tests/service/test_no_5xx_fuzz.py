"""No input produces a 500 (issue 7): malformed requests against every route of the app, found
by walking ``app.routes``, as an anonymous caller and as an admin.

Bad UTF-8, deep nesting, huge numbers, NUL bytes, wrong and missing content types, empty and
broken multipart, overlong strings and hostile query strings; every answer must be below 500.
The run prints ``bad inputs tried: N / 5xx: M``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tests.service.conftest import World, shared_world_fixtures

connection, app, world = shared_world_fixtures()

JSON = "application/json"
DEEP_ARRAYS = b"[" * 1_000 + b"]" * 1_000
DEEP_OBJECTS = b'{"a":' * 100_000 + b"1" + b"}" * 100_000


@dataclass(frozen=True)
class Body:
    name: str
    content: bytes
    content_type: str | None


BODIES = [
    Body("bad_utf8_start", b'\xff\xfe{"a": 1}', JSON),
    Body("bad_utf8_in_string", b'{"email": "\xc3\x28@x.jp", "title_ja": "\xed\xa0\x80"}', JSON),
    Body("deep_arrays", DEEP_ARRAYS, JSON),
    Body("deep_objects", DEEP_OBJECTS, JSON),
    Body("deep_in_inputs", b'{"metric_id": "KY-LM3", "inputs": {"lm3_r1_yen": ' + DEEP_ARRAYS + b"}}", JSON),
    Body("deep_in_impact_inputs", b'{"impact_inputs": {"x": ' + DEEP_ARRAYS + b"}}", JSON),
    Body(
        "huge_numbers",
        b'{"funding_target_yen": 1e400, "value": 123456789012345678901234567890123, "limit": -1e308,'
        b' "donation_yen": 99999999999999999999999, "ticket_min_yen": -0, "term_months": 1e-400}',
        JSON,
    ),
    Body(
        "nul_everywhere",
        b'{"title_ja": "\\u0000", "email": "a\\u0000@b.jp", "password": "\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000'
        b'\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000", "reason": "\\u0000", "name_ja": "\\u0000",'
        b' "display_name": "\\u0000", "\\u0000": 1}',
        JSON,
    ),
    Body("overlong_strings", b'{"title_ja": "' + "あ".encode() * 300_000 + b'", "reason": "x"}', JSON),
    Body("over_the_body_limit", b'{"x": "' + b"a" * 3_000_000 + b'"}', JSON),
    Body("malformed", b'{"a": ', JSON),
    Body("empty_json", b"", JSON),
    Body("null", b"null", JSON),
    Body("array", b"[1, 2]", JSON),
    Body("string", b'"x"', JSON),
    Body("number", b"12", JSON),
    Body("empty_object", b"{}", JSON),
    Body("duplicate_keys", b'{"email": "a@b.jp", "email": ["x"], "password": {"$gt": ""}}', JSON),
    Body("wrong_types", b'{"metric_id": 1, "inputs": "x", "decision": [], "kind": {}, "at": 5, "id": true}', JSON),
    Body("text_plain", b'{"email": "a@b.jp", "password": "correct horse battery"}', "text/plain"),
    Body("form", b"email=a%40b.jp&password=x&title_ja=%00", "application/x-www-form-urlencoded"),
    Body("no_content_type", b'{"a": 1}', None),
    Body("empty_multipart", b"--xyz--\r\n", "multipart/form-data; boundary=xyz"),
    Body("multipart_without_boundary", b"garbage", "multipart/form-data"),
    Body(
        "multipart_without_file",
        b'--xyz\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--xyz--\r\n',
        "multipart/form-data; boundary=xyz",
    ),
    Body(
        "multipart_hostile_file",
        b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="\x00' + b"a" * 5_000 + b'.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\n\x00\x01\x02\r\n--xyz--\r\n",
        "multipart/form-data; boundary=xyz",
    ),
    Body(
        "multipart_empty_file",
        b'--xyz\r\nContent-Disposition: form-data; name="file"; filename=""\r\n\r\n\r\n--xyz--\r\n',
        "multipart/form-data; boundary=xyz",
    ),
    Body(
        "truncated_multipart",
        b'--xyz\r\nContent-Disposition: form-data; name="file"',
        "multipart/form-data; boundary=xyz",
    ),
    Body("xml", b"<a>1</a>", "application/xml"),
]

QUERIES = [
    "q=%00",
    "q=%E3%81%82%00",
    "q=" + "%E3%81%82" * 201,
    "q=%25%5F%5C",
    "limit=99999999999999999999999",
    "limit=1e309",
    "limit=-1",
    "cursor=%FF%FE%FD",
    "cursor=" + "A" * 5_000,
    "sort=%00",
    "sort=-" + "x" * 500,
    "prefecture=-0&prefecture=48&prefecture=NaN",
    "since=0001-01-01T00:00:00Z",
    "since=9999-12-31T23:59:59Z",
    "since=2026-13-45T99:99:99Z",
    "ticket=1e400&ticket_min=-1&ticket_max=NaN",
    "donor_organisation_id=%00&donation_yen=99999999999999999999999",
    "investor_id=%00&project_id=me",
    "status=" + "&status=".join(["funding"] * 300),
    "x=%C0%AF&%00=1",
    "mine=maybe&page=-1",
    "lm3_min=Infinity&lm3_max=-Infinity",
    "municipality=%EF%BC%93%EF%BC%91%EF%BC%92%EF%BC%90%EF%BC%92",
]

PATH_JUNK = ["%00", "x" * 2_000, "..%2F..%2Fetc%2Fpasswd", "%FF"]


def _ids(world: World) -> dict[str, str]:
    return {
        "project_id": str(world.projects["funding"]),
        "organisation_id": str(world.org_a.id),
        "profile_id": str(world.profiles["public"]),
        "living_sphere_id": str(world.sphere),
    }


def _paths(path: str, ids: dict[str, str]) -> Iterator[str]:
    """The route's path with real ids, with unknown ids, and (for str parameters) with junk."""

    def fill(choose: Any) -> str:
        return re.sub(r"\{(\w+)(?::(\w+))?\}", choose, path)

    yield fill(lambda m: ids.get(m.group(1), str(uuid.uuid4())))
    if "{" in path:
        yield fill(lambda m: str(uuid.uuid4()) if m.group(2) == "uuid" else "KY-LM3")
    if re.search(r"\{\w+:(str|path)\}", path):
        for junk in PATH_JUNK:
            yield fill(lambda m, junk=junk: junk if m.group(2) in ("str", "path") else str(uuid.uuid4()))


def _requests(app: Any, world: World) -> Iterator[tuple[str, str, dict[str, Any]]]:
    ids = _ids(world)
    for route in app.routes:
        methods = sorted(m for m in getattr(route, "methods", ()) if m not in ("HEAD", "OPTIONS"))
        for method in methods:
            for url in _paths(route.path, ids):
                for query in QUERIES if method == "GET" else QUERIES[:3]:
                    yield method, f"{url}?{query}", {}
                if method in ("GET", "DELETE"):
                    yield method, url, {"content": b'{"a": 1}', "headers": {"content-type": "text/plain"}}
                    continue
                for body in BODIES:
                    headers = {"content-type": body.content_type} if body.content_type else {}
                    yield method, url, {"content": body.content, "headers": headers}


async def test_no_malformed_request_to_any_route_is_a_5xx(client, world, app):
    tried = 0
    failures: list[str] = []
    for caller in ("anonymous", "admin"):
        auth = world.headers(caller)
        for method, url, kwargs in _requests(app, world):
            headers = {**kwargs.pop("headers", {}), **auth}
            response = await client.request(method, url, headers=headers, **kwargs)
            tried += 1
            if response.status_code >= 500:
                failures.append(f"{caller} {method} {url[:120]} → {response.status_code} {response.text[:200]}")
    print(f"\nbad inputs tried: {tried} / 5xx: {len(failures)}")
    assert tried >= 300
    assert failures == [], "\n".join(failures[:40])
