"""Organisations, users, memberships (roles), sessions, rate counters, sign-up requests, OIDC
identities and pending OIDC links."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Column, ForeignKey, Integer, SmallInteger, String, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from service.models.base import enum_check, enum_column, new_id, timestamp_column, utcnow
from service.models.enums import OrgKind, Role


class Organisation(SQLModel, table=True):
    __tablename__ = "organisation"
    __table_args__ = (enum_check("kind", OrgKind),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    kind: str = Field(sa_column=enum_column(OrgKind))
    name_ja: str = Field(sa_column=Column(String(200), nullable=False))
    name_en: str = Field(sa_column=Column(String(200), nullable=False))
    #: 法人番号: 13 digits with a leading check digit; absent for individuals.
    corporate_number: str | None = Field(default=None, sa_column=Column(String(13), unique=True))
    prefecture_code: int | None = Field(
        default=None, sa_column=Column(SmallInteger, ForeignKey("prefecture.code"), index=True)
    )
    municipality_code: str | None = Field(default=None, sa_column=Column(String(5), ForeignKey("municipality.code")))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class User(SQLModel, table=True):
    __tablename__ = "app_user"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    email: str = Field(sa_column=Column(String(254), nullable=False, unique=True))
    display_name: str = Field(sa_column=Column(String(200), nullable=False))
    #: argon2id hash; NULL for accounts that only sign in through OIDC.
    password_hash: str | None = Field(default=None, sa_column=Column(String(200)))
    is_active: bool = Field(default=True, sa_column=Column(Boolean, nullable=False, server_default=text("true")))
    preferred_language: str = Field(default="ja", sa_column=Column(String(2), nullable=False, server_default="ja"))
    #: When the address was proven to reach the owner (sign-up verification, a provider's verified
    #: claim, the demo loader); NULL for accounts made another way (tests, before issue 7).
    email_verified_at: datetime | None = Field(
        default=None, sa_column=timestamp_column(nullable=True, default_now=False)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class Membership(SQLModel, table=True):
    """A user acting for an organisation in one role."""

    __tablename__ = "membership"
    __table_args__ = (
        enum_check("role", Role),
        UniqueConstraint("user_id", "organisation_id", "role", name="uq_membership_user_org_role"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    user_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    organisation_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    role: str = Field(sa_column=enum_column(Role))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class AuthSession(SQLModel, table=True):
    """One sign-in. Tokens carry its id; logout revokes it; each login makes a new one."""

    __tablename__ = "auth_session"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    user_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    method: str = Field(sa_column=Column(String(16), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    expires_at: datetime = Field(sa_column=timestamp_column(default_now=False))
    revoked_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True, default_now=False))


class RateCounter(SQLModel, table=True):
    """One rate-limit counter (``scope`` such as ``login`` or ``signup``, ``key`` such as
    account+IP), kept in the database so every replica sees the same limit. Updated only by
    single ``INSERT ... ON CONFLICT DO UPDATE`` statements, so checking and counting are atomic."""

    __tablename__ = "rate_counter"

    scope: str = Field(sa_column=Column(String(32), primary_key=True))
    key: str = Field(sa_column=Column(String(400), primary_key=True))
    hits: int = Field(sa_column=Column(Integer, nullable=False))
    window_started_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    #: No attempt is evaluated before this time (the login backoff).
    blocked_until: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class SignupRequest(SQLModel, table=True):
    """A sign-up waiting for its address to be verified. The account is created from it only
    when the emailed token comes back, so an unverified sign-up never holds an address."""

    __tablename__ = "signup_request"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    email: str = Field(sa_column=Column(String(254), nullable=False, index=True))
    password_hash: str = Field(sa_column=Column(String(200), nullable=False))
    display_name: str = Field(sa_column=Column(String(200), nullable=False))
    preferred_language: str = Field(sa_column=Column(String(2), nullable=False))
    #: The organisation to found and the role in it, as sent (already validated).
    organisation: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    #: SHA-256 of the emailed token; the token itself is never stored here.
    token_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    expires_at: datetime = Field(sa_column=timestamp_column(default_now=False))
    used_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True, default_now=False))


class OIDCIdentity(SQLModel, table=True):
    __tablename__ = "oidc_identity"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_oidc_identity_issuer_subject"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    user_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    issuer: str = Field(sa_column=Column(String(300), nullable=False))
    subject: str = Field(sa_column=Column(String(300), nullable=False))
    #: The address the provider gave, as contact information only: never used to find an account.
    email: str | None = Field(default=None, sa_column=Column(String(254)))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class OIDCLinkPending(SQLModel, table=True):
    """An external identity offered to the account signed in in the same browser session; it
    becomes an :class:`OIDCIdentity` only when that session confirms it."""

    __tablename__ = "oidc_link_pending"

    session_id: uuid.UUID = Field(sa_column=Column(ForeignKey("auth_session.id", ondelete="CASCADE"), primary_key=True))
    user_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    issuer: str = Field(sa_column=Column(String(300), nullable=False))
    subject: str = Field(sa_column=Column(String(300), nullable=False))
    email: str | None = Field(default=None, sa_column=Column(String(254)))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class OIDCPending(SQLModel, table=True):
    """The first leg of an OIDC login, kept server-side so any replica can finish it."""

    __tablename__ = "oidc_pending"

    state: str = Field(sa_column=Column(String(128), primary_key=True))
    nonce: str = Field(sa_column=Column(String(128), nullable=False))
    code_verifier: str = Field(sa_column=Column(String(128), nullable=False))
    authorization_url: str = Field(sa_column=Column(String(2000), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
