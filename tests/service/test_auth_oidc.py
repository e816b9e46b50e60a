"""OIDC login through the service against a real local provider (Authlib AuthorizationServer)."""

from __future__ import annotations

from sqlalchemy import select

from service.models import OIDCIdentity, User
from tests.support.oidc_app import oidc_client, provider, start_login

__all__ = ["oidc_client", "provider"]  # fixtures used by name below


async def test_full_oidc_login_creates_the_user_and_a_session(oidc_client, db, provider):
    code, state = await start_login(oidc_client)
    done = await oidc_client.get("/api/v1/auth/oidc/callback", params={"code": code, "state": state})
    assert done.status_code == 302, done.text
    assert done.headers["location"] == "/"
    me = await oidc_client.get("/api/v1/auth/me")
    assert me.status_code == 200, me.text
    # The account never takes the provider's address (it could be somebody else's): a synthetic
    # one; the provider's is kept on the identity as contact only.
    assert me.json()["email"].endswith("@oidc.invalid")
    link = (await db.execute(select(OIDCIdentity).where(OIDCIdentity.subject == "oidc-user-1"))).scalar_one()
    assert link.issuer == provider.issuer
    assert link.email == "taro@example.jp"
    user = await db.get(User, link.user_id)
    assert user.password_hash is None
    assert user.email == me.json()["email"]


async def test_second_login_reuses_the_linked_account(oidc_client, db):
    for _ in range(2):
        code, state = await start_login(oidc_client)
        assert (
            await oidc_client.get("/api/v1/auth/oidc/callback", params={"code": code, "state": state})
        ).status_code == 302
    links = (await db.execute(select(OIDCIdentity).where(OIDCIdentity.subject == "oidc-user-1"))).scalars().all()
    assert len(links) == 1
    users = (await db.execute(select(User).where(User.id == links[0].user_id))).scalars().all()
    assert len(users) == 1
    assert await db.scalar(select(User.id).where(User.email == "taro@example.jp")) is None


async def test_forged_state_is_refused(oidc_client):
    code, _ = await start_login(oidc_client)
    response = await oidc_client.get("/api/v1/auth/oidc/callback", params={"code": code, "state": "forged"})
    assert response.status_code == 401
    assert response.json()["code"] == "oidc.state_mismatch"


async def test_replayed_callback_is_refused(oidc_client):
    code, state = await start_login(oidc_client)
    assert (
        await oidc_client.get("/api/v1/auth/oidc/callback", params={"code": code, "state": state})
    ).status_code == 302
    # The pending login is consumed: the same callback (code and state) cannot sign in twice.
    oidc_client.cookies.set("kyoso_oidc_state", state, domain="testserver", path="/api/v1/auth/oidc")
    again = await oidc_client.get("/api/v1/auth/oidc/callback", params={"code": code, "state": state})
    assert again.status_code == 401


async def test_wrong_nonce_is_refused(oidc_client, provider):
    provider.override_nonce = "not-the-nonce-we-sent"
    code, state = await start_login(oidc_client)
    response = await oidc_client.get("/api/v1/auth/oidc/callback", params={"code": code, "state": state})
    assert response.status_code == 401
    assert response.json()["code"] == "oidc.nonce_mismatch"


async def test_foreign_signing_key_is_refused(oidc_client, provider):
    provider.sign_with_foreign_key = True
    code, state = await start_login(oidc_client)
    response = await oidc_client.get("/api/v1/auth/oidc/callback", params={"code": code, "state": state})
    assert response.status_code == 401
    assert response.json()["code"] == "oidc.invalid_id_token"


async def test_oidc_endpoints_are_404_when_not_configured(client):
    response = await client.get("/api/v1/auth/oidc/login")
    assert response.status_code == 404
