"""Security review of issue #7: an external identity must never be an admin credential.

Found: the admin check was made only when a link was offered/confirmed, so an account linked
while it was an ordinary account (or an OIDC-only account) and promoted to admin afterwards, or
a link left by the old email auto-link, signed in as admin through the provider. Fixed: every
OIDC sign-in to an admin account is refused (403 ``oidc.link_admin_refused``), and migration
0010 deletes the legacy links of local accounts. Also here: a new OIDC account no longer takes
the provider's address (squatting), and its display name is cleaned like a local one.
"""

from __future__ import annotations

import msgspec
import pytest

from service.models.enums import Role
from service.types import Name
from tests.service.test_oidc_link import LINK, identities, local_account, sign_in_locally
from tests.support.oidc_app import oidc_client, oidc_login, provider

__all__ = ["oidc_client", "provider"]


async def test_linked_account_promoted_to_admin_signs_in_as_admin_via_oidc(
    oidc_client, provider, db, client, make_actor
):
    owner = await local_account(db, "hanako@example.jp")
    csrf = await sign_in_locally(oidc_client, "hanako@example.jp")
    provider.login_as(sub="hanako-at-idp", email="hanako@example.jp", name="花子")
    assert (await oidc_login(oidc_client)).headers["location"] == LINK
    assert (await oidc_client.post(LINK, headers={"X-CSRF-Token": csrf})).status_code == 201
    assert len(await identities(db, "hanako-at-idp")) == 1

    # Later an admin grants hanako the admin role through the ordinary API.
    admin = await make_actor(Role.admin)
    granted = await client.post(
        f"/api/v1/organisations/{admin.organisation.id}/members",
        json={"user_id": str(owner.id), "role": "admin"},
        headers=admin.headers,
    )
    assert granted.status_code == 201, granted.text

    # Whoever controls the provider account now gets an admin session, no password asked.
    oidc_client.cookies.clear()
    done = await oidc_login(oidc_client)
    me = (await oidc_client.get("/api/v1/auth/me")).json()
    # Desired: refused (or the link removed when the role was granted).
    assert not (done.status_code == 302 and "admin" in me.get("roles", [])), f"OIDC sign-in gave an admin session: {me}"
    assert done.status_code == 403
    assert done.json()["code"] == "oidc.link_admin_refused"
    assert (await oidc_client.get("/api/v1/auth/me")).status_code == 401


async def test_oidc_only_account_promoted_to_admin_signs_in_as_admin(oidc_client, provider, db, client, make_actor):
    provider.login_as(sub="new-at-idp", email="newbie@example.jp", name="新人")
    assert (await oidc_login(oidc_client)).status_code == 302
    me = (await oidc_client.get("/api/v1/auth/me")).json()
    admin = await make_actor(Role.admin)
    granted = await client.post(
        f"/api/v1/organisations/{admin.organisation.id}/members",
        json={"user_id": me["id"], "role": "admin"},
        headers=admin.headers,
    )
    assert granted.status_code == 201, granted.text
    oidc_client.cookies.clear()
    done = await oidc_login(oidc_client)
    me = (await oidc_client.get("/api/v1/auth/me")).json()
    assert not (done.status_code == 302 and "admin" in me.get("roles", [])), f"OIDC sign-in gave an admin session: {me}"
    assert done.status_code == 403
    assert done.json()["code"] == "oidc.link_admin_refused"


async def test_a_link_left_by_the_old_email_autolink_still_signs_in_as_admin(oidc_client, provider, db):
    """Before this change, a verified provider email equal to a local account's linked the
    identity to it (admin included) and stored an oidc_identity row. Migration 0005 keeps those
    rows, and resolve() signs any linked identity in, so a takeover made before the upgrade
    survives it. This row is exactly what 01ef8f7's _user_for_identity inserted."""
    from service.models import OIDCIdentity

    admin = await local_account(db, "admin@demo.kyoso.jp", role=Role.admin)
    db.add(OIDCIdentity(user_id=admin.id, issuer=provider.issuer, subject="attacker-1"))  # email NULL: legacy
    await db.commit()
    provider.login_as(sub="attacker-1", email="ADMIN@demo.kyoso.jp", name="Mallory", email_verified=True)
    done = await oidc_login(oidc_client)
    me = (await oidc_client.get("/api/v1/auth/me")).json()
    assert not (done.status_code == 302 and me.get("id") == str(admin.id)), f"legacy link signs in as admin: {me}"
    assert done.status_code == 403
    assert done.json()["code"] == "oidc.link_admin_refused"


async def test_a_provider_verified_address_squats_it_for_local_sign_up(oidc_client, provider, db, client):
    """oidc_accounts says providers differ in what "verified" means, so an email never links;
    a new OIDC account used to take the provider's address as its own (email_verified_at set),
    and the address's real owner could then never sign up. Now the account gets the synthetic
    address and the provider's is kept on the identity only."""
    from tests.support.accounts import PASSWORD, mails_to

    provider.login_as(sub="squatter", email="victim@example.jp", name="Eve", email_verified=True)
    assert (await oidc_login(oidc_client)).status_code == 302
    r = await client.post(
        "/api/v1/auth/signup", json={"email": "victim@example.jp", "password": PASSWORD, "display_name": "x"}
    )
    assert r.status_code == 202
    [mail] = await mails_to(db, "victim@example.jp")
    assert "token=" in mail.payload["text"], f"the real owner got: {mail.payload['subject']}"
    me = (await oidc_client.get("/api/v1/auth/me")).json()
    assert me["email"].endswith("@oidc.invalid")


async def test_an_ordinary_linked_account_still_signs_in(oidc_client, provider, db):
    """The admin refusal is about admins only: a linked ordinary account signs in as before."""
    provider.login_as(sub="plain-at-idp", email="plain@example.jp", name="普通")
    assert (await oidc_login(oidc_client)).status_code == 302
    oidc_client.cookies.clear()
    again = await oidc_login(oidc_client)
    assert again.status_code == 302
    assert (await oidc_client.get("/api/v1/auth/me")).json()["roles"] == []


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("\u202eevil\u202c 花子", "evil 花子"),  # bidi override removed
        ("ta\u200bro\ufeff", "taro"),  # zero-width removed
        ("  spaced \t out  ", "spaced out"),
        ("\u200b\u202e\u2066", None),  # nothing visible: neutral name
    ],
)
async def test_the_providers_display_name_is_cleaned_like_a_local_name(oidc_client, provider, given, shown):
    provider.login_as(sub="named", email=None, name=given)
    assert (await oidc_login(oidc_client)).status_code == 302
    name = (await oidc_client.get("/api/v1/auth/me")).json()["display_name"]
    if shown is None:
        assert name.startswith("user-")
    else:
        assert name == shown
    assert msgspec.json.decode(msgspec.json.encode({"n": name}), type=_Named).n == name  # a valid Name


class _Named(msgspec.Struct):
    n: Name
