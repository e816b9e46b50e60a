"""API shapes for sign-up, login and the caller's own account."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from service.models.enums import Role
from service.organisations.schemas import OrganisationCreate
from service.types import NO_NUL, Email, Name

Password = Annotated[str, msgspec.Meta(min_length=12, max_length=128, description="12–128 characters")]
DisplayName = Name


class SignupOrganisation(msgspec.Struct, forbid_unknown_fields=True):
    organisation: OrganisationCreate
    role: Role


class SignupRequest(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: Password
    display_name: DisplayName
    preferred_language: Annotated[str, msgspec.Meta(pattern="^(ja|en)$")] = "ja"
    #: Optionally found an organisation and act for it as investor or project lead.
    organisation: SignupOrganisation | None = None


class SignupAccepted(msgspec.Struct):
    """The same answer whether the address is new or taken: the next step is in the mailbox."""

    status: str
    email: str
    detail_ja: str
    detail_en: str


class VerifyEmailRequest(msgspec.Struct, forbid_unknown_fields=True):
    """The emailed token and the password chosen at sign-up: a mailbox alone cannot activate an
    account someone else signed up for with this address and their own password."""

    token: Annotated[str, msgspec.Meta(min_length=16, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


class LoginRequest(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(min_length=1, max_length=254, pattern=NO_NUL)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


class MembershipView(msgspec.Struct):
    organisation_id: uuid.UUID
    organisation_name_ja: str
    organisation_name_en: str
    role: Role


class Me(msgspec.Struct):
    id: uuid.UUID
    email: str
    display_name: str
    preferred_language: str
    roles: list[Role]
    memberships: list[MembershipView]


class LoginResponse(msgspec.Struct):
    access_token: str
    token_type: str
    expires_at: datetime
    csrf_token: str
    user: Me


class OIDCLinkView(msgspec.Struct):
    """An external identity linked, or waiting to be linked, to the signed-in account."""

    issuer: str
    subject: str
    email: str | None
