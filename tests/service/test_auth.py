"""Local accounts: sign-up, login (Bearer and cookie), me, logout, rate limit, rotation, CSRF.

Sign-up's verification step and its timing are in test_signup*.py, login limits in
test_login_limits*.py."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.auth.principal import CSRF_COOKIE, SESSION_COOKIE
from service.models import AuthSession, User
from tests.support.accounts import PASSWORD, mails_to, signup
from tests.support.accounts import signup_verified as _signup_verified


@pytest.fixture
def signed_up(client, db):
    async def make(email="hanako@example.jp", **extra):
        return await _signup_verified(client, db, email, **extra)

    return make


async def login(client, email="hanako@example.jp", password=PASSWORD):
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password})


async def test_signup_stores_an_argon2id_hash_not_the_password(signed_up, db):
    response = await signed_up(
        organisation={
            "organisation": {"kind": "npo", "name_ja": "テストNPO", "name_en": "Test NPO"},
            "role": "project_lead",
        },
    )
    assert response.json()["roles"] == ["project_lead"]
    user = (await db.execute(select(User).where(User.email == "hanako@example.jp"))).scalar_one()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


async def test_signup_cannot_take_admin_or_bank_roles(client):
    response = await signup(
        client,
        organisation={"organisation": {"kind": "regional_bank", "name_ja": "銀行", "name_en": "Bank"}, "role": "bank"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "auth.role_not_self_service"


async def test_signing_up_again_with_a_taken_email_answers_alike_and_mails_the_owner(signed_up, client, db):
    await signed_up()
    first_mails = len(await mails_to(db, "hanako@example.jp"))
    again = await signup(client, email="HANAKO@example.jp")
    assert again.status_code == 202
    assert again.json()["status"] == "verification_sent"
    users = (await db.execute(select(User).where(User.email == "hanako@example.jp"))).scalars().all()
    assert len(users) == 1
    mails = await mails_to(db, "hanako@example.jp")
    assert len(mails) == first_mails + 1
    assert "token=" not in mails[-1].payload["text"]
    assert "ログイン" in mails[-1].payload["text"]


async def test_login_returns_a_bearer_token_that_me_accepts(client, signed_up):
    await signed_up()
    response = await login(client)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "hanako@example.jp"


async def test_login_sets_httponly_secure_session_cookie(client, signed_up):
    await signed_up()
    response = await login(client)
    cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith(f"{SESSION_COOKIE}="))
    assert "HttpOnly" in session_cookie
    assert "Secure" in session_cookie
    assert "SameSite=lax" in session_cookie or "SameSite=Lax" in session_cookie
    me = await client.get("/api/v1/auth/me")  # the client's cookie jar carries it
    assert me.status_code == 200


async def test_wrong_password_is_401_in_japanese_by_default(client, signed_up):
    await signed_up()
    response = await login(client, password="wrong password!!")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "auth.bad_credentials"
    assert "パスワード" in response.json()["detail"]


async def test_repeated_failures_are_rate_limited_even_with_the_right_password(client, settings, signed_up):
    await signed_up()
    for _ in range(settings.login_max_failures):
        assert (await login(client, password="wrong password!!")).status_code == 401
    blocked = await login(client)
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "auth.too_many_attempts"
    assert int(blocked.headers["retry-after"]) > 0


async def test_logout_revokes_the_token(client, db, signed_up):
    await signed_up()
    token = (await login(client)).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert (await client.post("/api/v1/auth/logout", headers=headers)).status_code == 204
    after = await client.get("/api/v1/auth/me", headers=headers)
    assert after.status_code == 401
    assert after.json()["code"] == "auth.session_ended"


async def test_login_rotates_the_session_id(client, db, signed_up):
    await signed_up()
    first = (await login(client)).json()["access_token"]
    second = (await login(client)).json()["access_token"]  # same browser: cookie from the first login
    assert first != second
    assert (await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {first}"})).status_code == 401
    assert (await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {second}"})).status_code == 200
    sessions = (await db.execute(select(AuthSession).order_by(AuthSession.created_at))).scalars().all()
    assert sessions[-2].revoked_at is not None
    assert sessions[-1].revoked_at is None


async def test_cookie_writes_need_the_csrf_header(client, signed_up):
    await signed_up()
    body = (await login(client)).json()
    without = await client.post("/api/v1/auth/logout")
    assert without.status_code == 403
    assert without.json()["code"] == "auth.csrf_failed"
    assert client.cookies.get(CSRF_COOKIE) == body["csrf_token"]
    with_header = await client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": body["csrf_token"]})
    assert with_header.status_code == 204


async def test_tampered_token_is_rejected(client, signed_up):
    await signed_up()
    token = (await login(client)).json()["access_token"]
    head, payload, signature = token.split(".")
    forged = f"{head}.{payload}.{signature[:-4]}AAAA"
    response = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    assert response.json()["code"] == "auth.invalid_token"


async def test_token_with_alg_none_is_rejected(client, signed_up):
    import base64
    import json

    await signed_up()
    token = (await login(client)).json()["access_token"]
    claims = token.split(".")[1]
    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode()).decode().rstrip("=")
    response = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {header}.{claims}."})
    assert response.status_code == 401


async def test_anonymous_me_is_401(client):
    response = await client.get("/api/v1/auth/me", headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert response.json()["detail"] == "You need to sign in."
