"""Security review of issue #7: sign-up pre-hijacking and IPv6 address rotation past the login
backoff and the sign-up limit (both fixed: verify-email asks for the sign-up's password; rate
limits count an IPv6 client's /64)."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from service.auth.passwords import hash_password
from service.auth.throttle import login_key
from service.models import User
from service.net import rate_limit_bucket
from tests.support.accounts import PASSWORD, mails_to, token_in

LOGIN_URL = "/api/v1/auth/login"


def browser(app, ip: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 50000))
    return httpx.AsyncClient(transport=transport, base_url="https://testserver")


async def test_attacker_chosen_password_cannot_be_activated_by_the_victims_mailbox(client, db):
    """Mallory signs up with Hanako's address and Mallory's password. Hanako signs up too (or
    just follows the "thank you for signing up" link). The first mail is Mallory's sign-up; its
    token alone no longer creates the account: verify-email wants the password chosen at sign-up,
    which Hanako does not know. (Before the fix the API was ``{token}`` and the account was
    created with Mallory's password; the test now sends what the changed API asks for.)"""
    victim = "hanako@example.jp"
    attacker_password = "mallory-knows-this-1"
    r = await client.post(
        "/api/v1/auth/signup", json={"email": victim, "password": attacker_password, "display_name": "山田 花子"}
    )
    assert r.status_code == 202
    r = await client.post(
        "/api/v1/auth/signup", json={"email": victim, "password": PASSWORD, "display_name": "山田 花子"}
    )
    assert r.status_code == 202
    mails = await mails_to(db, victim)
    assert len(mails) == 2
    # Both mails look the same; the victim follows the first one, with her own password.
    refused = await client.post(
        "/api/v1/auth/verify-email", json={"token": token_in(mails[0].payload["text"]), "password": PASSWORD}
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "auth.verification_invalid"
    assert await db.scalar(select(User.id).where(User.email == victim)) is None
    # Her own mail works with her own password; the account carries her password, not Mallory's.
    verified = await client.post(
        "/api/v1/auth/verify-email", json={"token": token_in(mails[1].payload["text"]), "password": PASSWORD}
    )
    assert verified.status_code == 201, verified.text
    own = await client.post(LOGIN_URL, json={"email": victim, "password": PASSWORD})
    mallory = await client.post(LOGIN_URL, json={"email": victim, "password": attacker_password})
    assert own.status_code == 200
    assert mallory.status_code == 401
    # Mallory's own token is spent in vain now: the address has its account.
    late = await client.post(
        "/api/v1/auth/verify-email", json={"token": token_in(mails[0].payload["text"]), "password": attacker_password}
    )
    assert late.status_code == 409


async def test_ipv6_address_rotation_within_one_64_beats_the_backoff(app, db):
    """settings fixture: login_max_failures=3. One attacker with one /64 (what any IPv6 host gets)
    guesses without ever waiting: the key is the full 128-bit address."""
    db.add(User(email="hanako@example.jp", display_name="山田 花子", password_hash=hash_password(PASSWORD)))
    await db.commit()
    statuses = []
    # Same source address: after 3 free attempts, 429.
    async with browser(app, "2001:db8:1:2::1") as one:
        for _ in range(6):
            statuses.append(
                (await one.post(LOGIN_URL, json={"email": "hanako@example.jp", "password": "x" * 12})).status_code
            )
    assert 429 in statuses
    rotated = []
    for i in range(30):
        async with browser(app, f"2001:db8:1:2::{i + 100:x}") as c:
            rotated.append(
                (await c.post(LOGIN_URL, json={"email": "hanako@example.jp", "password": "x" * 12})).status_code
            )
    assert 429 in rotated, f"30 guesses from one /64, statuses: {sorted(set(rotated))}"


async def test_ipv6_address_rotation_beats_the_signup_limit(app, db, settings):
    """signup_max_per_ip (default 10 an hour) is also keyed on the full 128-bit address: one
    /64 sends unlimited sign-ups, e.g. "someone tried to sign up" mails to a victim's address."""
    limit = settings.signup_max_per_ip
    statuses = []
    for i in range(limit + 10):
        async with browser(app, f"2001:db8:1:2::{i + 1:x}") as c:
            r = await c.post(
                "/api/v1/auth/signup", json={"email": "victim@example.jp", "password": PASSWORD, "display_name": "x"}
            )
            statuses.append(r.status_code)
    assert 429 in statuses, f"{len(statuses)} sign-ups from one /64 (limit {limit}): {sorted(set(statuses))}"


async def test_a_different_64_is_counted_apart(app, db):
    """The bucket is the /64, not more: a neighbouring network is not blocked by one attacker."""
    db.add(User(email="hanako@example.jp", display_name="山田 花子", password_hash=hash_password(PASSWORD)))
    await db.commit()
    for i in range(6):
        async with browser(app, f"2001:db8:1:2::{i + 1:x}") as c:
            await c.post(LOGIN_URL, json={"email": "hanako@example.jp", "password": "x" * 12})
    async with browser(app, "2001:db8:1:3::1") as neighbour:
        r = await neighbour.post(LOGIN_URL, json={"email": "hanako@example.jp", "password": PASSWORD})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    ("address", "bucket"),
    [
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("[2001:db8:1:2::1]:443", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("203.0.113.7", "203.0.113.7"),
        ("unknown", "unknown"),
        ("2001:db8:1:2::/64", "2001:db8:1:2::/64"),  # already a bucket: unchanged
    ],
)
def test_rate_limit_buckets(address, bucket):
    assert rate_limit_bucket(address) == bucket
    assert login_key("a@example.jp", address) == f"a@example.jp|{bucket}"
