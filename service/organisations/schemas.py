"""API shapes for organisations and memberships."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from service.models.enums import OrgKind, Role
from service.types import MunicipalityCode, PrefectureCode, Title

CorporateNumber = Annotated[str, msgspec.Meta(pattern=r"^\d{13}$", description="法人番号 (13 digits)")]


class OrganisationCreate(msgspec.Struct, forbid_unknown_fields=True):
    kind: OrgKind
    name_ja: Title
    name_en: Title
    corporate_number: CorporateNumber | None = None
    prefecture_code: PrefectureCode | None = None
    municipality_code: MunicipalityCode | None = None


class OrganisationUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name_ja: Title | msgspec.UnsetType = msgspec.UNSET
    name_en: Title | msgspec.UnsetType = msgspec.UNSET
    corporate_number: CorporateNumber | msgspec.UnsetType | None = msgspec.UNSET
    prefecture_code: PrefectureCode | msgspec.UnsetType | None = msgspec.UNSET
    municipality_code: MunicipalityCode | msgspec.UnsetType | None = msgspec.UNSET


class OrganisationRead(msgspec.Struct):
    id: uuid.UUID
    kind: OrgKind
    name_ja: str
    name_en: str
    corporate_number: str | None
    prefecture_code: int | None
    municipality_code: str | None
    created_at: datetime


class MembershipCreate(msgspec.Struct, forbid_unknown_fields=True):
    user_id: uuid.UUID
    role: Role


class MembershipRead(msgspec.Struct):
    id: uuid.UUID
    user_id: uuid.UUID
    organisation_id: uuid.UUID
    role: Role
    created_at: datetime
