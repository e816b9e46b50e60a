"""Investor profiles: what an investor wants, and whether project leads may find it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Numeric,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

from service.models.base import enum_check, enum_column, new_id, timestamp_column, utcnow
from service.models.enums import InvestorType, RiskTolerance


class InvestorProfile(SQLModel, table=True):
    __tablename__ = "investor_profile"
    __table_args__ = (
        enum_check("investor_type", InvestorType),
        enum_check("risk_tolerance", RiskTolerance),
        CheckConstraint("(owner_user_id IS NULL) <> (owner_organisation_id IS NULL)", name="one_owner"),
        CheckConstraint("ticket_min_yen > 0 AND ticket_min_yen <= ticket_max_yen", name="ticket_range"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    owner_user_id: uuid.UUID | None = Field(
        default=None, sa_column=Column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True, unique=True)
    )
    owner_organisation_id: uuid.UUID | None = Field(
        default=None, sa_column=Column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True, unique=True)
    )
    created_by: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    display_name_ja: str = Field(sa_column=Column(String(200), nullable=False))
    display_name_en: str = Field(sa_column=Column(String(200), nullable=False))
    investor_type: str = Field(sa_column=enum_column(InvestorType))
    sectors: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(String(32)), nullable=False))
    prefecture_codes: list[int] = Field(default_factory=list, sa_column=Column(ARRAY(SmallInteger), nullable=False))
    instruments: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(String(32)), nullable=False))
    ticket_min_yen: int = Field(sa_column=Column(BigInteger, nullable=False))
    ticket_max_yen: int = Field(sa_column=Column(BigInteger, nullable=False))
    target_return_pct: float | None = Field(default=None, sa_column=Column(Numeric(6, 2, asdecimal=False)))
    risk_tolerance: str = Field(sa_column=enum_column(RiskTolerance))
    impact_themes: list[str] = Field(default_factory=list, sa_column=Column(ARRAY(String(64)), nullable=False))
    thesis_ja: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    thesis_en: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    discoverable: bool = Field(default=True, sa_column=Column(Boolean, nullable=False, server_default=text("true")))
    is_demo: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=text("false")))
    #: Part of the illustrative synthetic demo market (not a real investor).
    is_synthetic: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=text("false")))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
