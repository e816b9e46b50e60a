"""API shapes for investor profiles."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from service.models.enums import Instrument, InvestorType, RiskTolerance, Role, Sector
from service.types import NO_NUL, Percent, PositiveYen, PrefectureCode, ShortText, Title

Theme = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=NO_NUL)]
Sectors = Annotated[list[Sector], msgspec.Meta(max_length=13)]
Prefectures = Annotated[list[PrefectureCode], msgspec.Meta(max_length=47)]
Instruments = Annotated[list[Instrument], msgspec.Meta(max_length=6)]
Themes = Annotated[list[Theme], msgspec.Meta(max_length=20)]


class InvestorProfileCreate(msgspec.Struct, forbid_unknown_fields=True):
    display_name_ja: Title
    display_name_en: Title
    investor_type: InvestorType
    ticket_min_yen: PositiveYen
    ticket_max_yen: PositiveYen
    risk_tolerance: RiskTolerance
    #: Owned by this organisation (you must act for it as investor or bank); omit for a personal profile.
    organisation_id: uuid.UUID | None = None
    sectors: Sectors = msgspec.field(default_factory=list)
    prefecture_codes: Prefectures = msgspec.field(default_factory=list)
    instruments: Instruments = msgspec.field(default_factory=list)
    target_return_pct: Percent | None = None
    impact_themes: Themes = msgspec.field(default_factory=list)
    thesis_ja: ShortText = ""
    thesis_en: ShortText = ""
    discoverable: bool = True


class InvestorProfileUpdate(msgspec.Struct, forbid_unknown_fields=True):
    display_name_ja: Title | msgspec.UnsetType = msgspec.UNSET
    display_name_en: Title | msgspec.UnsetType = msgspec.UNSET
    investor_type: InvestorType | msgspec.UnsetType = msgspec.UNSET
    ticket_min_yen: PositiveYen | msgspec.UnsetType = msgspec.UNSET
    ticket_max_yen: PositiveYen | msgspec.UnsetType = msgspec.UNSET
    risk_tolerance: RiskTolerance | msgspec.UnsetType = msgspec.UNSET
    sectors: Sectors | msgspec.UnsetType = msgspec.UNSET
    prefecture_codes: Prefectures | msgspec.UnsetType = msgspec.UNSET
    instruments: Instruments | msgspec.UnsetType = msgspec.UNSET
    target_return_pct: Percent | msgspec.UnsetType | None = msgspec.UNSET
    impact_themes: Themes | msgspec.UnsetType = msgspec.UNSET
    thesis_ja: ShortText | msgspec.UnsetType = msgspec.UNSET
    thesis_en: ShortText | msgspec.UnsetType = msgspec.UNSET
    discoverable: bool | msgspec.UnsetType = msgspec.UNSET


class InvestorProfileRead(msgspec.Struct):
    id: uuid.UUID
    owner_user_id: uuid.UUID | None
    owner_organisation_id: uuid.UUID | None
    display_name_ja: str
    display_name_en: str
    investor_type: InvestorType
    sectors: list[Sector]
    prefecture_codes: list[int]
    instruments: list[Instrument]
    ticket_min_yen: int
    ticket_max_yen: int
    target_return_pct: float | None
    risk_tolerance: RiskTolerance
    impact_themes: list[str]
    thesis_ja: str
    thesis_en: str
    discoverable: bool
    created_at: datetime
    updated_at: datetime
    is_synthetic: Annotated[
        bool, msgspec.Meta(description="Part of the illustrative synthetic demo market, not a real investor")
    ] = False


class IndividualInvestorRead(msgspec.Struct):
    """The caller as an individual investor: its personal organisation (kind ``individual``), the
    investor role it holds there, and its personal investor profile once it has made one."""

    organisation_id: uuid.UUID
    role: Role
    profile_id: uuid.UUID | None
