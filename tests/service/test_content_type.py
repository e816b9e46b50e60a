"""Every endpoint that takes a JSON body takes only JSON (issue 7, login-CSRF): a body a browser
can send cross-site without a preflight (text/plain, a form, multipart) is a 415 problem, found
by walking the app's routes so a new endpoint is covered the day it is added."""

from __future__ import annotations

import re
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from service.app import create_app
from service.models import AuthSession, RateCounter
from service.request_checks import is_json_media_type
from service.settings import Settings
from tests.conftest import TEST_SECRET
from tests.service.conftest import shared_world_fixtures

connection, app, world = shared_world_fixtures()


def _json_body_routes() -> list[tuple[str, str]]:
    """(method, path) of every handler with a ``data`` parameter not declared as a form."""
    listing = create_app(Settings(data_dir=Path(tempfile.gettempdir()), secret_key=TEST_SECRET))
    found = []
    for route in listing.routes:
        for handler in getattr(route, "route_handlers", []):
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is None:
                continue
            media_type = getattr(data.kwarg_definition, "media_type", None)
            if media_type is not None and "form" in str(getattr(media_type, "value", media_type)):
                continue  # multipart uploads are not JSON endpoints
            for method in sorted(handler.http_methods):
                found.append((method, route.path))
                if handler.resolve_guards():
                    GUARDED.add((method, route.path))
    return sorted(found)


#: Routes whose guards refuse an anonymous caller (401) before the request's body is looked at.
GUARDED: set[tuple[str, str]] = set()
JSON_ROUTES = _json_body_routes()
BODY = b'{"email": "someone@example.jp", "password": "correct horse battery"}'
NOT_JSON = {
    "text_plain": "text/plain",
    "text_plain_utf8": "text/plain; charset=utf-8",
    "form": "application/x-www-form-urlencoded",
    "multipart": "multipart/form-data; boundary=xyz",
    "xml": "application/xml",
    "json_lookalike": "application/jsonx",
    "text_json": "text/json",
}


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), path)


def test_the_walk_finds_the_json_endpoints():
    paths = {p for _, p in JSON_ROUTES}
    assert "/api/v1/auth/login" in paths
    assert "/api/v1/projects" in paths
    assert "/api/v1/impact/calculate" in paths
    assert not any("evidence" in p for p in paths)
    assert len(JSON_ROUTES) >= 15


@pytest.mark.parametrize("content_type", list(NOT_JSON.values()), ids=list(NOT_JSON))
@pytest.mark.parametrize(("method", "path"), JSON_ROUTES, ids=[f"{m} {p}" for m, p in JSON_ROUTES])
async def test_a_json_endpoint_refuses_other_media_types_with_415(client, world, method, path, content_type):
    for caller in ("anonymous", "admin"):
        response = await client.request(
            method, _url(path), content=BODY, headers={**world.headers(caller), "content-type": content_type}
        )
        if caller == "anonymous" and (method, path) in GUARDED:
            # A guard answers first: the body of an anonymous caller is never read.
            assert response.status_code == 401, (caller, response.text)
            continue
        assert response.status_code == 415, (caller, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert problem["code"] == "request.unsupported_media_type"
        assert problem["errors"][0]["field"] == "content-type"
        assert problem["errors"][0]["message"]["ja"]
        assert problem["errors"][0]["message"]["en"]


@pytest.mark.parametrize(("method", "path"), JSON_ROUTES, ids=[f"{m} {p}" for m, p in JSON_ROUTES])
async def test_a_body_without_a_content_type_is_415(client, world, method, path):
    # httpx adds no Content-Type for raw content.
    response = await client.request(method, _url(path), content=BODY, headers=world.headers("admin"))
    assert response.status_code == 415, response.text


async def test_a_form_encoded_login_is_415_not_malformed_json(client):
    response = await client.post("/api/v1/auth/login", data={"email": "a@example.jp", "password": "x"})
    assert response.status_code == 415, response.text
    assert "JSON" in response.json()["errors"][0]["message"]["en"] or response.json()["detail"]


async def test_a_cross_site_text_plain_login_signs_nobody_in(client, db):
    """Login-CSRF: a page elsewhere posting text/plain to /auth/login must not get a session."""
    signup = {"email": "victim@example.jp", "password": "correct horse battery", "display_name": "被害者"}
    created = await client.post("/api/v1/auth/signup", json=signup)
    assert created.status_code in (200, 201, 202), created.text
    sessions = (await db.execute(select(func.count()).select_from(AuthSession))).scalar_one()
    attempts = (await db.execute(select(func.count()).select_from(RateCounter))).scalar_one()
    body = b'{"email": "victim@example.jp", "password": "correct horse battery"}'
    response = await client.post("/api/v1/auth/login", content=body, headers={"content-type": "text/plain"})
    assert response.status_code == 415, response.text
    assert "set-cookie" not in response.headers
    assert (await db.execute(select(func.count()).select_from(AuthSession))).scalar_one() == sessions
    assert (await db.execute(select(func.count()).select_from(RateCounter))).scalar_one() == attempts


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON", "application/ld+json"]
)
async def test_json_and_json_suffix_types_are_accepted(client, content_type):
    response = await client.post(
        "/api/v1/auth/login", content=BODY, headers={"content-type": content_type, "Accept-Language": "en"}
    )
    assert response.status_code == 401, response.text  # judged on its content, not refused for its type


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("application/json", True),
        ("application/problem+json", True),
        ("application/vnd.kyoso.v1+json; charset=utf-8", True),
        ("application/json-seq", False),
        ("text/plain", False),
        ("", False),
        (None, False),
    ],
)
def test_json_media_types(value, ok):
    assert is_json_media_type(value) is ok
