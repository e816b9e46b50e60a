"""API shapes for prefectures, municipalities and living spheres."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec

from service.types import MunicipalityCode, ShortText, Title


class PrefectureRead(msgspec.Struct):
    code: int
    name_ja: str
    name_en: str
    region_block: str


class MunicipalityRead(msgspec.Struct):
    code: str
    lg_code: str
    prefecture_code: int
    name_ja: str
    name_kana: str
    name_en: str
    lat: float
    lng: float


class LivingSphereCreate(msgspec.Struct, forbid_unknown_fields=True):
    name_ja: Title
    name_en: Title
    core_municipality_code: MunicipalityCode
    member_codes: Annotated[list[MunicipalityCode], msgspec.Meta(min_length=1, max_length=200)]
    description_ja: ShortText = ""
    description_en: ShortText = ""


class LivingSphereRead(msgspec.Struct):
    id: uuid.UUID
    name_ja: str
    name_en: str
    core_municipality_code: str
    member_codes: list[str]
    description_ja: str
    description_en: str
