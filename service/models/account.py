"""Organisations, users, memberships (roles), sessions, login attempts, OIDC identities."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Index, SmallInteger, String, UniqueConstraint, text
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


class LoginAttempt(SQLModel, table=True):
    """Failed password logins, kept in the database so every replica sees the same limit."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_email_at", "email", "at"),
        Index("ix_login_attempt_ip_at", "ip", "at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    email: str = Field(sa_column=Column(String(254), nullable=False))
    ip: str = Field(sa_column=Column(String(64), nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class OIDCIdentity(SQLModel, table=True):
    __tablename__ = "oidc_identity"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_oidc_identity_issuer_subject"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    user_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    issuer: str = Field(sa_column=Column(String(300), nullable=False))
    subject: str = Field(sa_column=Column(String(300), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class OIDCPending(SQLModel, table=True):
    """The first leg of an OIDC login, kept server-side so any replica can finish it."""

    __tablename__ = "oidc_pending"

    state: str = Field(sa_column=Column(String(128), primary_key=True))
    nonce: str = Field(sa_column=Column(String(128), nullable=False))
    code_verifier: str = Field(sa_column=Column(String(128), nullable=False))
    authorization_url: str = Field(sa_column=Column(String(2000), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
