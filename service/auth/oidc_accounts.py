"""Which account an OIDC sign-in is, and linking an external identity to an existing account.

The rule: an identity already linked signs in as its account, unless that account is an admin
(below). An unlinked identity never takes
over an account because of a matching email, not even a provider-verified one (providers differ
in what "verified" means, and case or look-alike variants once matched). It gets a new account
with no roles, or, when the browser is already signed in locally, a *pending link* that the
signed-in owner must confirm (``POST /api/v1/auth/oidc/link`` with the CSRF header).

Admin accounts are never linked, not even when confirmed: an admin's sign-in would become as
weak as the weaker of its password and the provider account, and an admin is the one account
an attacker most wants. Admins sign in with their password. The same check is made at every
sign-in, not only when linking: an account linked while it was an ordinary one and promoted
later, an OIDC-only account made admin, or a link written by the old email auto-link (removed
by migration 0010 for local accounts) never gives an admin session through the provider.

A new account never takes the provider's address, "verified" or not: it gets a synthetic
address (``fallback_email``) so that the address's real owner can still sign up with it; the
provider's address is kept on the identity (``oidc_identity.email``) as contact only. Its
display name is cleaned like a local one (:func:`service.types.clean_name`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.emails import EmailRefused, normalise_email
from service.auth.messages import MESSAGES
from service.auth.principal import Principal
from service.auth.schemas import OIDCLinkView
from service.errors import Conflict, DomainError, Forbidden, Unauthenticated
from service.models import Membership, OIDCIdentity, OIDCLinkPending, User
from service.models.base import utcnow
from service.models.enums import Role
from service.types import clean_name, neutral_name

LINK_TTL = timedelta(minutes=10)


class NoPendingLink(DomainError):
    status_code = 404


@dataclass(frozen=True, slots=True)
class ExternalIdentity:
    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None

    @property
    def usable_email(self) -> str | None:
        """The provider's address in normal form, if verified there and acceptable here."""
        if not self.email or not self.email_verified:
            return None
        try:
            return normalise_email(self.email)
        except EmailRefused:
            return None

    @property
    def fallback_email(self) -> str:
        return f"{uuid.uuid5(uuid.NAMESPACE_URL, self.issuer + '#' + self.subject).hex}@oidc.invalid"


@dataclass(frozen=True, slots=True)
class SignIn:
    user: User


@dataclass(frozen=True, slots=True)
class LinkOffered:
    """The browser's signed-in account is asked to confirm the link; nobody new is signed in."""


async def _is_admin(session: AsyncSession, user_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(Membership.id).where(Membership.user_id == user_id, Membership.role == Role.admin).limit(1)
    )
    return found is not None


class OIDCAccounts:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def resolve(self, identity: ExternalIdentity, signed_in: Principal | None) -> SignIn | LinkOffered:
        """What a verified OIDC callback does. ``signed_in`` is the local account whose session
        cookie came with the callback, if any."""
        link = (
            await self.session.execute(
                select(OIDCIdentity).where(
                    OIDCIdentity.issuer == identity.issuer, OIDCIdentity.subject == identity.subject
                )
            )
        ).scalar_one_or_none()
        if link is not None:
            user = await self.session.get(User, link.user_id)
            if user is None or not user.is_active:
                raise MESSAGES.error(Unauthenticated, "auth.account_disabled")
            if await _is_admin(self.session, user.id):
                raise MESSAGES.error(Forbidden, "oidc.link_admin_refused")
            return SignIn(user)
        if signed_in is not None:
            await self._offer_link(identity, signed_in)
            return LinkOffered()
        return SignIn(await self._new_account(identity))

    async def _new_account(self, identity: ExternalIdentity) -> User:
        user = User(
            # Never the provider's address: whoever controls a provider account could otherwise
            # take any address a provider calls verified away from its real owner.
            email=identity.fallback_email,
            display_name=clean_name(identity.name) or clean_name(identity.email) or neutral_name(identity.subject),
            password_hash=None,
            email_verified_at=None,
        )
        self.session.add(user)
        await self.session.flush()
        self.session.add(
            OIDCIdentity(user_id=user.id, issuer=identity.issuer, subject=identity.subject, email=identity.usable_email)
        )
        await self.session.flush()
        return user

    async def _offer_link(self, identity: ExternalIdentity, owner: Principal) -> None:
        if owner.is_admin:
            raise MESSAGES.error(Forbidden, "oidc.link_admin_refused")
        values = {
            "session_id": owner.session_id,
            "user_id": owner.user_id,
            "issuer": identity.issuer,
            "subject": identity.subject,
            "email": identity.usable_email,
            "created_at": utcnow(),
        }
        statement = insert(OIDCLinkPending).values(**values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["session_id"], set_={k: v for k, v in values.items() if k != "session_id"}
            )
        )

    async def _pending(self, owner: Principal) -> OIDCLinkPending:
        pending = await self.session.get(OIDCLinkPending, owner.session_id, with_for_update=True)
        if pending is None or pending.user_id != owner.user_id or pending.created_at < utcnow() - LINK_TTL:
            raise MESSAGES.error(NoPendingLink, "oidc.no_pending_link")
        return pending

    async def pending(self, owner: Principal) -> OIDCLinkView:
        pending = await self._pending(owner)
        return OIDCLinkView(issuer=pending.issuer, subject=pending.subject, email=pending.email)

    async def confirm(self, owner: Principal) -> OIDCLinkView:
        pending = await self._pending(owner)
        view = OIDCLinkView(issuer=pending.issuer, subject=pending.subject, email=pending.email)
        await self.session.delete(pending)
        if await _is_admin(self.session, owner.user_id):  # the role may have come after the offer
            raise MESSAGES.error(Forbidden, "oidc.link_admin_refused")
        taken = await self.session.scalar(
            select(OIDCIdentity.id).where(OIDCIdentity.issuer == view.issuer, OIDCIdentity.subject == view.subject)
        )
        if taken is not None:
            raise MESSAGES.error(Conflict, "oidc.identity_taken")
        self.session.add(
            OIDCIdentity(user_id=owner.user_id, issuer=view.issuer, subject=view.subject, email=view.email)
        )
        await self.session.flush()
        return view

    async def decline(self, owner: Principal) -> None:
        await self._pending(owner)
        await self.session.execute(delete(OIDCLinkPending).where(OIDCLinkPending.session_id == owner.session_id))
