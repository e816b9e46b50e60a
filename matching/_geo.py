"""Prefectures, the eight regional blocks and approximate centroids.

Centroids are the prefectural capitals' coordinates (close enough for a distance
feature; a project's own lat/lng is used when it has one)::

    from matching import block_of, prefecture_centroid

    block_of(3)              # 1 -> "東北"
    prefecture_centroid(13)  # (35.69, 139.69)
"""

from __future__ import annotations

import numpy as np

BLOCKS: tuple[str, ...] = ("北海道", "東北", "関東", "中部", "近畿", "中国", "四国", "九州沖縄")
BLOCK_LABELS_EN: tuple[str, ...] = (
    "Hokkaido",
    "Tohoku",
    "Kanto",
    "Chubu",
    "Kinki",
    "Chugoku",
    "Shikoku",
    "Kyushu-Okinawa",
)

# (JIS code, name ja, name en, capital lat, capital lng, block index)
PREFECTURES: tuple[tuple[int, str, str, float, float, int], ...] = (
    (1, "北海道", "Hokkaido", 43.06, 141.35, 0),
    (2, "青森県", "Aomori", 40.82, 140.74, 1),
    (3, "岩手県", "Iwate", 39.70, 141.15, 1),
    (4, "宮城県", "Miyagi", 38.27, 140.87, 1),
    (5, "秋田県", "Akita", 39.72, 140.10, 1),
    (6, "山形県", "Yamagata", 38.24, 140.36, 1),
    (7, "福島県", "Fukushima", 37.75, 140.47, 1),
    (8, "茨城県", "Ibaraki", 36.34, 140.45, 2),
    (9, "栃木県", "Tochigi", 36.57, 139.88, 2),
    (10, "群馬県", "Gunma", 36.39, 139.06, 2),
    (11, "埼玉県", "Saitama", 35.86, 139.65, 2),
    (12, "千葉県", "Chiba", 35.61, 140.12, 2),
    (13, "東京都", "Tokyo", 35.69, 139.69, 2),
    (14, "神奈川県", "Kanagawa", 35.45, 139.64, 2),
    (15, "新潟県", "Niigata", 37.90, 139.02, 3),
    (16, "富山県", "Toyama", 36.70, 137.21, 3),
    (17, "石川県", "Ishikawa", 36.59, 136.63, 3),
    (18, "福井県", "Fukui", 36.07, 136.22, 3),
    (19, "山梨県", "Yamanashi", 35.66, 138.57, 3),
    (20, "長野県", "Nagano", 36.65, 138.18, 3),
    (21, "岐阜県", "Gifu", 35.39, 136.72, 3),
    (22, "静岡県", "Shizuoka", 34.98, 138.38, 3),
    (23, "愛知県", "Aichi", 35.18, 136.91, 3),
    (24, "三重県", "Mie", 34.73, 136.51, 4),
    (25, "滋賀県", "Shiga", 35.00, 135.87, 4),
    (26, "京都府", "Kyoto", 35.02, 135.76, 4),
    (27, "大阪府", "Osaka", 34.69, 135.52, 4),
    (28, "兵庫県", "Hyogo", 34.69, 135.18, 4),
    (29, "奈良県", "Nara", 34.69, 135.83, 4),
    (30, "和歌山県", "Wakayama", 34.23, 135.17, 4),
    (31, "鳥取県", "Tottori", 35.50, 134.24, 5),
    (32, "島根県", "Shimane", 35.47, 133.05, 5),
    (33, "岡山県", "Okayama", 34.66, 133.93, 5),
    (34, "広島県", "Hiroshima", 34.40, 132.46, 5),
    (35, "山口県", "Yamaguchi", 34.19, 131.47, 5),
    (36, "徳島県", "Tokushima", 34.07, 134.56, 6),
    (37, "香川県", "Kagawa", 34.34, 134.04, 6),
    (38, "愛媛県", "Ehime", 33.84, 132.77, 6),
    (39, "高知県", "Kochi", 33.56, 133.53, 6),
    (40, "福岡県", "Fukuoka", 33.61, 130.42, 7),
    (41, "佐賀県", "Saga", 33.25, 130.30, 7),
    (42, "長崎県", "Nagasaki", 32.74, 129.87, 7),
    (43, "熊本県", "Kumamoto", 32.79, 130.74, 7),
    (44, "大分県", "Oita", 33.24, 131.61, 7),
    (45, "宮崎県", "Miyazaki", 31.91, 131.42, 7),
    (46, "鹿児島県", "Kagoshima", 31.56, 130.56, 7),
    (47, "沖縄県", "Okinawa", 26.21, 127.68, 7),
)
N_PREFECTURES = 47
PREFECTURE_BLOCK = np.array([p[5] for p in PREFECTURES], dtype=np.int64)
PREFECTURE_LATLNG = np.array([(p[3], p[4]) for p in PREFECTURES], dtype=np.float64)


def _check(code: int) -> int:
    if not 1 <= code <= N_PREFECTURES:
        raise ValueError(f"prefecture code must be a JIS code 1-47, got {code!r}")
    return code - 1


def block_of(prefecture: int) -> int:
    """Index into :data:`BLOCKS` of a prefecture's regional block."""
    return int(PREFECTURE_BLOCK[_check(prefecture)])


def block_name(prefecture: int) -> str:
    """Japanese name of a prefecture's regional block: ``block_name(47) == "九州沖縄"``."""
    return BLOCKS[block_of(prefecture)]


def prefecture_name(prefecture: int, lang: str = "ja") -> str:
    """``prefecture_name(13) == "東京都"``; ``lang="en"`` gives ``"Tokyo"``."""
    row = PREFECTURES[_check(prefecture)]
    return row[1] if lang == "ja" else row[2]


def prefecture_centroid(prefecture: int) -> tuple[float, float]:
    """Approximate (lat, lng) of the prefectural capital."""
    lat, lng = PREFECTURE_LATLNG[_check(prefecture)]
    return float(lat), float(lng)


def haversine_km(lat1: np.ndarray, lng1: np.ndarray, lat2: np.ndarray, lng2: np.ndarray) -> np.ndarray:
    """Great-circle distance in km; arrays broadcast."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lng2) - np.radians(lng1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))
