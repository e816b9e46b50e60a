"""Sign-up with email verification, answered alike for new and taken addresses.

``request`` does the same work on both paths (validate, hash the password, write one outbox
mail), so neither the answer nor its timing says whether an address has an account. A new
address gets a single-use, expiring token by mail and no account yet; ``verify`` turns the
token, together with the password chosen at sign-up, into the account. A taken address gets a
"someone tried to sign up" mail instead.

Why the password at verification: anyone can sign up with someone else's address and a password
of their own (pre-hijacking). If the token alone created the account, the address's owner,
following a genuine-looking mail, would activate an account whose password the attacker knows.
With the password required, only whoever chose it can finish; a wrong one gets the same 422 as
a bad token, so the answer does not say which of the two was wrong.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.mails import already_registered_mail, verification_mail
from service.auth.messages import MESSAGES
from service.auth.passwords import hash_password, verify_password
from service.auth.schemas import SignupRequest, VerifyEmailRequest
from service.errors import Conflict, Forbidden, InvalidInput
from service.models import Membership, User
from service.models import SignupRequest as PendingSignup
from service.models.base import utcnow
from service.models.enums import Role
from service.organisations.schemas import OrganisationCreate
from service.organisations.service import OrganisationService
from service.outbox import MAIL, enqueue

VERIFICATION_TTL = timedelta(hours=24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def grantable_on_signup(role: Role) -> bool:
    """Self-service sign-up may take these roles for the organisation it creates."""
    return role in (Role.investor, Role.project_lead)


class SignupService:
    def __init__(self, session: AsyncSession, *, public_url: str) -> None:
        self.session = session
        self.public_url = public_url

    async def _check_organisation(self, data: SignupRequest) -> None:
        """Validate the organisation to found exactly as creating it would, then undo it."""
        if data.organisation is None:
            return
        if not grantable_on_signup(data.organisation.role):
            raise MESSAGES.error(Forbidden, "auth.role_not_self_service")
        savepoint = await self.session.begin_nested()
        try:
            await OrganisationService(self.session).create(data.organisation.organisation)
        except InvalidInput as exc:
            raise exc.nested_in("organisation.organisation") from None
        finally:
            await savepoint.rollback()

    async def request(self, email: str, data: SignupRequest) -> None:
        """``email`` is already normalised (service.auth.emails)."""
        await self._check_organisation(data)
        password_hash = hash_password(data.password)  # on both paths: the timing must not differ
        existing = (await self.session.execute(select(User).where(User.email == email))).scalar_one_or_none()
        if existing is not None:
            mail = already_registered_mail(
                to=existing.email, lang=existing.preferred_language, public_url=self.public_url
            )
            await enqueue(self.session, MAIL, mail)
            return
        token = secrets.token_urlsafe(32)
        organisation = None
        if data.organisation is not None:
            organisation = msgspec.to_builtins(data.organisation)
        self.session.add(
            PendingSignup(
                email=email,
                password_hash=password_hash,
                display_name=data.display_name,
                preferred_language=data.preferred_language,
                organisation=organisation,
                token_hash=token_hash(token),
                expires_at=utcnow() + VERIFICATION_TTL,
            )
        )
        hours = int(VERIFICATION_TTL.total_seconds() // 3600)
        mail = verification_mail(
            to=email, lang=data.preferred_language, token=token, public_url=self.public_url, hours=hours
        )
        await enqueue(self.session, MAIL, mail)

    async def verify(self, data: VerifyEmailRequest) -> User:
        """Create the account of a pending sign-up; the token works once, before it expires, and
        only with the password given at sign-up."""
        pending = (
            await self.session.execute(
                select(PendingSignup).where(PendingSignup.token_hash == token_hash(data.token)).with_for_update()
            )
        ).scalar_one_or_none()
        now = utcnow()
        usable = pending is not None and pending.used_at is None and pending.expires_at > now
        # Hashed on every path (a dummy hash when there is no usable sign-up), so neither the
        # answer nor its timing tells a bad token from a wrong password.
        password_ok = verify_password(pending.password_hash if usable and pending else None, data.password)
        if pending is None or not usable or not password_ok:
            raise MESSAGES.invalid("token", "auth.verification_invalid")
        pending.used_at = now
        if await self.session.scalar(select(User.id).where(User.email == pending.email)) is not None:
            # Verified twice through two sign-ups, or taken meanwhile by an OIDC account.
            raise MESSAGES.field_error(Conflict, "email", "auth.email_taken")
        user = User(
            email=pending.email,
            display_name=pending.display_name,
            password_hash=pending.password_hash,
            preferred_language=pending.preferred_language,
            email_verified_at=now,
        )
        self.session.add(user)
        await self.session.flush()
        if pending.organisation is not None:
            org_in = msgspec.convert(pending.organisation["organisation"], OrganisationCreate)
            try:
                org = await OrganisationService(self.session).create(org_in)
            except InvalidInput as exc:
                raise exc.nested_in("organisation.organisation") from None
            role = Role(pending.organisation["role"])
            self.session.add(Membership(user_id=user.id, organisation_id=org.id, role=role))
            await self.session.flush()
        return user
