"""An OIDC identity never takes over a local account by its email; it links only when the
account's owner, signed in in the same browser, confirms it (issue #7 §1)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.auth.passwords import hash_password
from service.models import Membership, OIDCIdentity, OIDCLinkPending, Organisation, User
from service.models.enums import OrgKind, Role
from tests.support.accounts import PASSWORD
from tests.support.oidc_app import oidc_client, oidc_login, provider

__all__ = ["oidc_client", "provider"]  # fixtures used by name below

LINK = "/api/v1/auth/oidc/link"


async def local_account(db, email: str, *, role: Role | None = None) -> User:
    user = User(email=email, display_name="ローカル 利用者", password_hash=hash_password(PASSWORD))
    db.add(user)
    await db.flush()
    if role is not None:
        org = Organisation(kind=OrgKind.company, name_ja="運営", name_en="Operator")
        db.add(org)
        await db.flush()
        db.add(Membership(user_id=user.id, organisation_id=org.id, role=role))
    await db.commit()
    return user


async def sign_in_locally(client, email: str) -> str:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["csrf_token"]


async def identities(db, subject: str) -> list[OIDCIdentity]:
    rows = await db.execute(select(OIDCIdentity).where(OIDCIdentity.subject == subject))
    return list(rows.scalars())


@pytest.mark.parametrize(
    "claimed", ["ADMIN@demo.kyoso.jp", "admin@demo.kyoso.jp", "Admin@Demo.Kyoso.JP", "ＡＤＭＩＮ@demo.kyoso.jp"]
)
async def test_a_verified_email_of_an_admin_does_not_sign_in_as_that_admin(oidc_client, provider, db, claimed):
    admin = await local_account(db, "admin@demo.kyoso.jp", role=Role.admin)
    provider.login_as(sub="attacker-1", email=claimed, name="Mallory", email_verified=True)
    done = await oidc_login(oidc_client)
    assert done.status_code == 302, done.text
    me = (await oidc_client.get("/api/v1/auth/me")).json()
    assert me["id"] != str(admin.id)
    assert me["roles"] == []
    assert me["email"] != "admin@demo.kyoso.jp"
    assert me["email"].endswith("@oidc.invalid")
    [identity] = await identities(db, "attacker-1")
    assert identity.user_id != admin.id
    assert identity.email == "admin@demo.kyoso.jp"  # kept as contact only


async def test_a_matching_email_of_an_ordinary_account_gets_a_new_account_without_roles(oidc_client, provider, db):
    owner = await local_account(db, "hanako@example.jp", role=Role.investor)
    provider.login_as(sub="someone-else", email="Hanako@Example.jp", name="Eve")
    assert (await oidc_login(oidc_client)).status_code == 302
    me = (await oidc_client.get("/api/v1/auth/me")).json()
    assert me["id"] != str(owner.id)
    assert me["roles"] == []
    # The owner still signs in with the password, as the only holder of the address.
    users = (await db.execute(select(User).where(User.email == "hanako@example.jp"))).scalars().all()
    assert [u.id for u in users] == [owner.id]


async def test_the_signed_in_owner_links_only_after_confirming(oidc_client, provider, db):
    owner = await local_account(db, "hanako@example.jp")
    csrf = await sign_in_locally(oidc_client, "hanako@example.jp")
    provider.login_as(sub="hanako-at-idp", email="hanako@example.jp", name="花子")
    done = await oidc_login(oidc_client)
    assert done.status_code == 302
    assert done.headers["location"] == LINK
    assert await identities(db, "hanako-at-idp") == []  # nothing linked yet
    me = (await oidc_client.get("/api/v1/auth/me")).json()
    assert me["id"] == str(owner.id)  # still the same local session
    offered = await oidc_client.get(LINK)
    assert offered.status_code == 200
    assert offered.json()["subject"] == "hanako-at-idp"
    without_csrf = await oidc_client.post(LINK)
    assert without_csrf.status_code == 403
    assert await identities(db, "hanako-at-idp") == []
    confirmed = await oidc_client.post(LINK, headers={"X-CSRF-Token": csrf})
    assert confirmed.status_code == 201, confirmed.text
    [identity] = await identities(db, "hanako-at-idp")
    assert identity.user_id == owner.id
    # From now on the identity signs in as the owner, from a browser signed in as nobody.
    oidc_client.cookies.clear()
    assert (await oidc_login(oidc_client)).status_code == 302
    assert (await oidc_client.get("/api/v1/auth/me")).json()["id"] == str(owner.id)


async def test_declining_links_nothing(oidc_client, provider, db):
    await local_account(db, "hanako@example.jp")
    csrf = await sign_in_locally(oidc_client, "hanako@example.jp")
    provider.login_as(sub="not-mine", email="other@example.jp")
    assert (await oidc_login(oidc_client)).headers["location"] == LINK
    declined = await oidc_client.delete(LINK, headers={"X-CSRF-Token": csrf})
    assert declined.status_code == 204
    assert (await oidc_client.get(LINK)).status_code == 404
    assert (await oidc_client.post(LINK, headers={"X-CSRF-Token": csrf})).status_code == 404
    assert await identities(db, "not-mine") == []


async def test_another_session_of_the_owner_cannot_confirm(oidc_client, provider, db, client):
    await local_account(db, "hanako@example.jp")
    await sign_in_locally(oidc_client, "hanako@example.jp")
    provider.login_as(sub="hanako-at-idp")
    assert (await oidc_login(oidc_client)).headers["location"] == LINK
    second = await client.post("/api/v1/auth/login", json={"email": "hanako@example.jp", "password": PASSWORD})
    token = second.json()["access_token"]
    other = await client.post(LINK, headers={"Authorization": f"Bearer {token}"})
    assert other.status_code == 404
    assert await identities(db, "hanako-at-idp") == []


async def test_an_admin_signed_in_is_never_offered_a_link(oidc_client, provider, db):
    await local_account(db, "admin@demo.kyoso.jp", role=Role.admin)
    await sign_in_locally(oidc_client, "admin@demo.kyoso.jp")
    provider.login_as(sub="admin-at-idp", email="admin@demo.kyoso.jp")
    refused = await oidc_login(oidc_client)
    assert refused.status_code == 403
    assert refused.json()["code"] == "oidc.link_admin_refused"
    assert (await db.execute(select(OIDCLinkPending))).scalars().all() == []
    assert await identities(db, "admin-at-idp") == []


async def test_an_admin_role_granted_after_the_offer_still_refuses_the_link(oidc_client, provider, db):
    owner = await local_account(db, "hanako@example.jp")
    csrf = await sign_in_locally(oidc_client, "hanako@example.jp")
    provider.login_as(sub="hanako-at-idp")
    assert (await oidc_login(oidc_client)).headers["location"] == LINK
    org = Organisation(kind=OrgKind.company, name_ja="運営", name_en="Operator")
    db.add(org)
    await db.flush()
    db.add(Membership(user_id=owner.id, organisation_id=org.id, role=Role.admin))
    await db.commit()
    refused = await oidc_client.post(LINK, headers={"X-CSRF-Token": csrf})
    assert refused.status_code == 403
    assert await identities(db, "hanako-at-idp") == []


async def test_an_identity_linked_to_a_disabled_account_is_refused(oidc_client, provider, db):
    assert (await oidc_login(oidc_client)).status_code == 302  # taro's account, linked
    [identity] = await identities(db, "oidc-user-1")
    user = await db.get(User, identity.user_id)
    user.is_active = False
    await db.commit()
    oidc_client.cookies.clear()
    refused = await oidc_login(oidc_client)
    assert refused.status_code == 401
    assert refused.json()["code"] == "auth.account_disabled"
