"""Reference rows for prefectures and municipalities, read from the ``japancode`` package.

Source: japancode 0.1.0 (MIT, Kentaro Ozeki) — 47 prefectures and 1,916 municipalities
(including the wards of designated cities) with local-government codes and town-hall
coordinates. English municipality names are romanised from its kana readings.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from service.regions.romaji import municipality_romaji

#: The eight regional blocks (地方区分) by JIS prefecture code.
REGION_BLOCKS: dict[str, range | tuple[int, ...]] = {
    "hokkaido": (1,),
    "tohoku": range(2, 8),
    "kanto": range(8, 15),
    "chubu": range(15, 24),
    "kinki": range(24, 31),
    "chugoku": range(31, 36),
    "shikoku": range(36, 40),
    "kyushu_okinawa": range(40, 48),
}


def region_block(prefecture_code: int) -> str:
    for block, codes in REGION_BLOCKS.items():
        if prefecture_code in codes:
            return block
    raise ValueError(f"no prefecture {prefecture_code}")


def _load(name: str) -> list[dict[str, Any]]:
    data = resources.files("japancode").joinpath("data", name).read_text(encoding="utf-8")
    rows: list[dict[str, Any]] = json.loads(data)
    return rows


def prefecture_rows() -> list[dict[str, Any]]:
    return [
        {
            "code": int(row["pid"]),
            "name_ja": row["pref"],
            "name_en": row["pref_en"],
            "region_block": region_block(int(row["pid"])),
        }
        for row in _load("prefectures.json")
    ]


def municipality_rows() -> list[dict[str, Any]]:
    return [
        {
            "code": row["cid"].zfill(5),
            "lg_code": row["lgcode"].zfill(6),
            "prefecture_code": int(row["pid"]),
            "name_ja": row["city"].replace(" ", ""),
            "name_kana": row["citykana"],
            "name_en": municipality_romaji(row["citykana"]),
            "lat": float(row["lat"]),
            "lng": float(row["lng"]),
        }
        for row in _load("municipalities.json")
    ]
