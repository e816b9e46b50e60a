"""Answers the fuzzer does not provoke, checked against the document by hand: a broken Bearer token
on public operations, the multipart parts of an evidence upload, a sign-up for a role an admin
grants, and an interaction recorded twice."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from service.errors import PROBLEM_JSON
from service.models.enums import Role
from tests.contract.world import seed
from tests.support.accounts import signup

API = "/api/v1"
CSV = b"month,kwh\n2025-04,120\n"


async def _document(client: Any) -> dict[str, Any]:
    document: dict[str, Any] = (await client.get("/schema/openapi.json")).json()
    return document


async def test_a_broken_bearer_token_is_a_documented_401_on_public_operations(client):
    document = await _document(client)
    public = [
        path
        for path, item in document["paths"].items()
        if "{" not in path and item.get("get", {}).get("security") == []
    ]
    assert len(public) > 5
    for path in public:
        answer = await client.get(path, headers={"Authorization": "Bearer not-a-token"})
        assert answer.status_code == 401, (path, answer.text)
        assert answer.headers["content-type"] == PROBLEM_JSON
        assert answer.json()["code"] == "auth.invalid_token"
        assert "401" in document["paths"][path]["get"]["responses"], path
        anonymous = await client.get(path)  # without the token: answered (OIDC is not configured here)
        assert anonymous.status_code == (404 if path.startswith(f"{API}/auth/oidc/") else 200), (path, anonymous.text)


def _multipart(parts: list[tuple[str, str | None, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + content + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.fixture
async def upload(client, make_actor):
    actors = {name: await make_actor(role) for name, role in [("lead", Role.project_lead), ("admin", Role.admin)]}
    actors["investor"] = await make_actor(Role.investor)
    ids = await seed(client, actors)

    async def send(parts: list[tuple[str, str | None, bytes]]) -> Any:
        body, content_type = _multipart(parts)
        headers = {**actors["lead"].headers, "content-type": content_type, "accept-language": "en"}
        return await client.post(f"{API}/claims/{ids['claim_id']}/evidence", content=body, headers=headers)

    return send


async def test_the_upload_the_document_describes_is_stored(upload):
    stored = await upload([("file", "meter.csv", CSV)])
    assert stored.status_code == 201, stored.text
    assert stored.json()["media_type"] == "text/csv"


@pytest.mark.parametrize(
    ("parts", "status", "field", "code"),
    [
        # additionalProperties: false — another part is refused and named, as an unknown JSON field is.
        ([("file", "meter.csv", CSV), ("note", None, b"April")], 400, "note", "validation.unknown_field"),
        ([("file", "meter.csv", CSV), ("file2", "more.csv", CSV)], 400, "file2", "validation.unknown_field"),
        # A part without a filename is a text field, not a file.
        ([("file", None, CSV)], 400, "file", "validation.invalid"),
        # A text part that is not UTF-8 cannot be read: 400, never a 500.
        ([("file", "meter.csv", CSV), ("note", None, b"\x89PNG\x97")], 400, "body", "request.malformed"),
        ([], 422, "file", "evidence.missing_file"),
    ],
)
async def test_other_uploads_are_refused_naming_the_part(upload, parts, status, field, code):
    refused = await upload(parts)
    assert refused.status_code == status, refused.text
    assert refused.headers["content-type"] == PROBLEM_JSON
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [(field, code)]


async def test_a_sign_up_for_a_role_an_admin_grants_is_a_documented_403(client):
    document = await _document(client)
    organisation = {"name_ja": "テスト銀行", "name_en": "Test Bank", "kind": "regional_bank", "prefecture_code": "31"}
    answer = await signup(client, "bank@example.jp", organisation={"role": "bank", "organisation": organisation})
    assert answer.status_code == 403, answer.text
    assert answer.json()["code"] == "auth.role_not_self_service"
    assert "403" in document["paths"][f"{API}/auth/signup"]["post"]["responses"]


async def test_an_interaction_sent_twice_is_recorded_once_and_answered_200(client, make_actor):
    document = await _document(client)
    actors = {name: await make_actor(role) for name, role in [("lead", Role.project_lead), ("admin", Role.admin)]}
    actors["investor"] = await make_actor(Role.investor)
    ids = await seed(client, actors)
    event = {"id": str(uuid.uuid4()), "investor_id": ids["profile_id"], "project_id": ids["project_id"], "kind": "view"}
    first = await client.post(f"{API}/events", json=event, headers=actors["investor"].headers)
    again = await client.post(f"{API}/events", json=event, headers=actors["investor"].headers)
    assert (first.status_code, again.status_code) == (201, 200), (first.text, again.text)
    assert again.json() == first.json()
    assert {"200", "201"} <= set(document["paths"][f"{API}/events"]["post"]["responses"])
