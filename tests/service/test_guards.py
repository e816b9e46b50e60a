"""Role guards (service/auth/guards.py) answer with the same problems the handlers' own checks did:
401 without a valid sign-in, 403 ``auth.role_required`` without the role, 403 ``auth.csrf_failed``
for a cookie write without its token — before the body is read or anything is written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from service.auth.guards import requires_role
from service.auth.principal import CSRF_HEADER, SESSION_COOKIE
from service.auth.tokens import TokenCodec
from service.models import Organisation
from service.models.enums import Role
from tests.conftest import TEST_SECRET

API = "/api/v1"
NEW_ORG = {"kind": "company", "name_ja": "新しい組織", "name_en": "New organisation"}


async def _organisations(db) -> int:
    return (await db.execute(select(func.count()).select_from(Organisation))).scalar_one()


def _cookie(actor, csrf: bool) -> dict[str, str]:
    headers = {"Cookie": f"{SESSION_COOKIE}={actor.token}"}
    if csrf:
        headers[CSRF_HEADER] = TokenCodec(TEST_SECRET).csrf_token(actor.session_id)
    return headers


async def test_a_guarded_cookie_write_needs_its_csrf_token(client, db, make_actor):
    admin = await make_actor(Role.admin)
    before = await _organisations(db)
    refused = await client.post(f"{API}/organisations", json=NEW_ORG, headers=_cookie(admin, csrf=False))
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "auth.csrf_failed"
    assert await _organisations(db) == before
    allowed = await client.post(f"{API}/organisations", json=NEW_ORG, headers=_cookie(admin, csrf=True))
    assert allowed.status_code == 201, allowed.text


async def test_a_guarded_cookie_read_needs_no_csrf_token(client, make_actor):
    admin = await make_actor(Role.admin)
    response = await client.get(f"{API}/vetting/queue", headers=_cookie(admin, csrf=False))
    assert response.status_code == 200, response.text


async def test_a_bad_token_on_a_guarded_endpoint_is_the_tokens_own_401(client):
    response = await client.get(f"{API}/admin/audit", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401, response.text
    assert response.json()["code"] == "auth.invalid_token"


@pytest.mark.parametrize(("language", "detail"), [("ja", "この操作には次の役割が必要です: admin"), ("en", None)])
async def test_the_guard_refuses_before_reading_the_body(client, make_actor, language, detail):
    investor = await make_actor(Role.investor)
    # An invalid body: a handler's own check would have answered 422 first.
    response = await client.post(
        f"{API}/organisations",
        json={"kind": "nonsense"},
        headers={**investor.headers, "Accept-Language": language},
    )
    assert response.status_code == 403, response.text
    assert response.json()["code"] == "auth.role_required"
    assert response.json()["detail"] == (detail or "This needs one of these roles: admin")


def test_a_role_guard_names_at_least_one_role():
    with pytest.raises(ValueError, match="at least one role"):
        requires_role()
    assert requires_role(Role.admin, Role.bank).__name__ == "requires_role(admin, bank)"
