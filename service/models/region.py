"""Prefectures, municipalities (JIS X 0401/0402 codes) and living spheres (地域生活圏)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, ForeignKey, SmallInteger, String, Text
from sqlmodel import Field, SQLModel

from service.models.base import new_id, timestamp_column, utcnow


class Prefecture(SQLModel, table=True):
    __tablename__ = "prefecture"

    code: int = Field(sa_column=Column(SmallInteger, primary_key=True, autoincrement=False))
    name_ja: str = Field(sa_column=Column(String(16), nullable=False))
    name_en: str = Field(sa_column=Column(String(32), nullable=False))
    region_block: str = Field(sa_column=Column(String(16), nullable=False))


class Municipality(SQLModel, table=True):
    __tablename__ = "municipality"

    #: 5-digit JIS X 0402 code without the check digit, e.g. "31202" for 米子市.
    code: str = Field(sa_column=Column(String(5), primary_key=True))
    lg_code: str = Field(sa_column=Column(String(6), nullable=False, unique=True))
    prefecture_code: int = Field(
        sa_column=Column(SmallInteger, ForeignKey("prefecture.code"), nullable=False, index=True)
    )
    name_ja: str = Field(sa_column=Column(String(64), nullable=False))
    name_kana: str = Field(sa_column=Column(String(128), nullable=False))
    name_en: str = Field(sa_column=Column(String(128), nullable=False))
    lat: float
    lng: float


class LivingSphere(SQLModel, table=True):
    __tablename__ = "living_sphere"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    name_ja: str = Field(sa_column=Column(String(128), nullable=False, unique=True))
    name_en: str = Field(sa_column=Column(String(128), nullable=False))
    core_municipality_code: str = Field(sa_column=Column(String(5), ForeignKey("municipality.code"), nullable=False))
    description_ja: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    description_en: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class LivingSphereMember(SQLModel, table=True):
    __tablename__ = "living_sphere_member"

    living_sphere_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("living_sphere.id", ondelete="CASCADE"), primary_key=True)
    )
    municipality_code: str = Field(
        sa_column=Column(String(5), ForeignKey("municipality.code"), primary_key=True, index=True)
    )
