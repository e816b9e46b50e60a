"""Sign-up answers alike for new and taken addresses, verifies the address, and is limited per IP
(issue #7 §1: a taken email answered 409 in 3 ms, a new one 201 in 180 ms)."""

from __future__ import annotations

import dataclasses
import statistics
import time
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from service.app import create_app
from service.auth.passwords import hash_password
from service.models import Membership, SignupRequest, User
from service.models.base import utcnow
from tests.support.accounts import PASSWORD, mails_to, signup, token_in, verification_token

VERIFY = "/api/v1/auth/verify-email"


async def login(client, email="hanako@example.jp", password=PASSWORD):
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password})


async def existing_user(db, email="taken@example.jp", lang="ja") -> User:
    user = User(email=email, display_name="既存", password_hash=hash_password(PASSWORD), preferred_language=lang)
    db.add(user)
    await db.commit()
    return user


async def test_new_and_taken_addresses_get_the_same_answer(client, db):
    await existing_user(db)
    new = await signup(client, "fresh@example.jp")
    taken = await signup(client, "taken@example.jp")
    assert new.status_code == taken.status_code == 202
    assert new.headers["content-type"] == taken.headers["content-type"]
    strip = lambda body: {k: v for k, v in body.items() if k != "email"}  # noqa: E731
    assert strip(new.json()) == strip(taken.json())
    assert new.json()["email"] == "fresh@example.jp"
    assert taken.json()["email"] == "taken@example.jp"
    # Each path leaves exactly one mail, and only the new address has a pending sign-up.
    assert len(await mails_to(db, "fresh@example.jp")) == 1
    assert len(await mails_to(db, "taken@example.jp")) == 1
    pending = (await db.execute(select(SignupRequest.email))).scalars().all()
    assert pending == ["fresh@example.jp"]


async def test_both_paths_take_about_the_same_time(client, db):
    """Both paths hash the password (argon2 dominates); a loose ratio, not a tight timing."""
    await existing_user(db)

    async def timed(email: str) -> float:
        started = time.perf_counter()
        response = await signup(client, email)
        assert response.status_code == 202
        return time.perf_counter() - started

    new_times, taken_times = [], []
    for n in range(5):  # interleaved, so a busy moment of the machine hits both alike
        new_times.append(await timed(f"fresh-{n}@example.jp"))
        taken_times.append(await timed("taken@example.jp"))
    new_median, taken_median = statistics.median(new_times), statistics.median(taken_times)
    print(f"\nsign-up median: new {new_median * 1000:.1f} ms, taken {taken_median * 1000:.1f} ms")
    assert 0.5 < new_median / taken_median < 2.0


async def test_a_new_account_signs_in_only_after_verifying_its_address(client, db):
    assert (await signup(client)).status_code == 202
    assert (await login(client)).status_code == 401
    assert await db.scalar(select(User.id).where(User.email == "hanako@example.jp")) is None
    token = await verification_token(db, "hanako@example.jp")
    verified = await client.post(VERIFY, json={"token": token, "password": PASSWORD})
    assert verified.status_code == 201, verified.text
    assert verified.json()["email"] == "hanako@example.jp"
    assert verified.json()["roles"] == []
    user = (await db.execute(select(User).where(User.email == "hanako@example.jp"))).scalar_one()
    assert user.email_verified_at is not None
    assert user.password_hash.startswith("$argon2id$")
    assert (await login(client)).status_code == 200


async def test_the_token_works_once_and_is_stored_only_as_a_hash(client, db):
    await signup(client)
    token = await verification_token(db, "hanako@example.jp")
    stored = (await db.execute(select(SignupRequest.token_hash))).scalar_one()
    assert token not in stored
    assert (await client.post(VERIFY, json={"token": token, "password": PASSWORD})).status_code == 201
    again = await client.post(VERIFY, json={"token": token, "password": PASSWORD})
    assert again.status_code == 422
    assert again.json()["code"] == "auth.verification_invalid"
    assert again.json()["errors"][0]["field"] == "token"


async def test_a_wrong_password_is_answered_like_a_bad_token_and_leaves_the_token_usable(client, db):
    await signup(client)
    token = await verification_token(db, "hanako@example.jp")
    wrong = await client.post(VERIFY, json={"token": token, "password": "not-the-one-chosen"})
    unknown = await client.post(VERIFY, json={"token": "b" * 43, "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 422
    assert wrong.json()["code"] == unknown.json()["code"] == "auth.verification_invalid"
    assert wrong.json()["errors"] == unknown.json()["errors"]  # no oracle: which of the two was wrong
    assert await db.scalar(select(User.id).where(User.email == "hanako@example.jp")) is None
    # A typo does not burn the token: the right password still finishes the sign-up.
    assert (await client.post(VERIFY, json={"token": token, "password": PASSWORD})).status_code == 201


async def test_an_expired_token_is_refused(client, db):
    await signup(client)
    token = await verification_token(db, "hanako@example.jp")
    await db.execute(update(SignupRequest).values(expires_at=utcnow() - timedelta(seconds=1)))
    await db.commit()
    refused = await client.post(VERIFY, json={"token": token, "password": PASSWORD}, headers={"Accept-Language": "en"})
    assert refused.status_code == 422
    assert "expired" in refused.json()["errors"][0]["message"]["en"]
    assert await db.scalar(select(User.id).where(User.email == "hanako@example.jp")) is None


async def test_a_taken_address_is_told_someone_tried_in_its_own_language(client, db):
    await existing_user(db, lang="en")
    await signup(client, "taken@example.jp", preferred_language="ja")
    [mail] = await mails_to(db, "taken@example.jp")
    assert mail.payload["subject"] == "[Kyoso] Someone tried to sign up with your address"
    assert "token=" not in mail.payload["text"]


@pytest.mark.parametrize(
    ("lang", "subject"), [("ja", "【Kyoso】メールアドレスの確認"), ("en", "[Kyoso] Confirm your email address")]
)
async def test_the_verification_mail_is_in_the_chosen_language(client, db, lang, subject):
    await signup(client, preferred_language=lang)
    [mail] = await mails_to(db, "hanako@example.jp")
    assert mail.payload["subject"] == subject
    assert token_in(mail.payload["text"])


async def test_the_organisation_is_founded_only_on_verification(client, db):
    npo = {"kind": "npo", "name_ja": "テストNPO", "name_en": "Test NPO"}
    organisation = {"organisation": npo, "role": "project_lead"}
    assert (await signup(client, organisation=organisation)).status_code == 202
    assert (await db.execute(select(Membership))).scalars().all() == []
    token = await verification_token(db, "hanako@example.jp")
    verified = await client.post(VERIFY, json={"token": token, "password": PASSWORD})
    assert verified.json()["roles"] == ["project_lead"]
    assert verified.json()["memberships"][0]["organisation_name_ja"] == "テストNPO"


async def test_two_signups_of_one_address_make_one_account(client, db):
    await signup(client)
    await signup(client)
    first, second = (token_in(m.payload["text"]) for m in await mails_to(db, "hanako@example.jp"))
    assert (await client.post(VERIFY, json={"token": second, "password": PASSWORD})).status_code == 201
    late = await client.post(VERIFY, json={"token": first, "password": PASSWORD})
    assert late.status_code == 409
    assert late.json()["code"] == "auth.email_taken"
    assert len((await db.execute(select(User).where(User.email == "hanako@example.jp"))).scalars().all()) == 1


async def test_signup_is_limited_per_client_ip(app, db, settings, session_maker):
    limited_app = create_app(
        dataclasses.replace(settings, signup_max_per_ip=3),
        session_maker=session_maker,
        read_session_maker=app.state.read_session_maker,
    )

    def from_ip(ip: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=limited_app, client=(ip, 1))
        return httpx.AsyncClient(transport=transport, base_url="https://testserver")

    async with from_ip("203.0.113.9") as busy, from_ip("192.0.2.1") as other:
        for n in range(3):
            assert (await signup(busy, f"bulk-{n}@example.jp")).status_code == 202
        limited = await signup(busy, "bulk-9@example.jp")
        assert limited.status_code == 429
        assert limited.json()["code"] == "auth.too_many_signups"
        assert 0 < int(limited.headers["retry-after"]) <= 3600
        assert (await signup(other, "elsewhere@example.jp")).status_code == 202
    assert await mails_to(db, "bulk-9@example.jp") == []


@pytest.mark.parametrize(
    ("email", "code"),
    [
        ("hanako\u200b@example.jp", "email.invisible_characters"),
        ("\u202eadmin@demo.kyoso.jp", "email.invisible_characters"),
        ("аdmin@demo.kyoso.jp", "email.mixed_scripts"),  # Cyrillic а
        ("admin@example..jp", "email.invalid"),
    ],
)
async def test_look_alike_addresses_are_refused_naming_the_field(client, db, email, code):
    response = await signup(client, email)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == code
    assert body["errors"][0]["field"] == "email"
    assert body["errors"][0]["message"]["ja"]
    assert body["errors"][0]["message"]["en"]
    assert (await db.execute(select(SignupRequest))).scalars().all() == []
    assert (await login(client, email)).json()["code"] == code  # login uses the same function


async def test_a_full_width_variant_is_the_same_address(client, db):
    await existing_user(db, "admin@demo.kyoso.jp")
    response = await signup(client, "ＡＤＭＩＮ@demo.kyoso.jp")
    assert response.json()["email"] == "admin@demo.kyoso.jp"
    assert (await db.execute(select(SignupRequest))).scalars().all() == []  # taken: a notice, no token
    assert (await login(client, "ＡＤＭＩＮ@Demo.Kyoso.jp")).status_code == 200
