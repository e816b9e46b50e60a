"""Vocabulary for synthetic texts: per-sector keywords in ja and en, and filler."""

from __future__ import annotations

import numpy as np

SECTOR_WORDS: dict[str, tuple[list[str], list[str]]] = {
    "mobility": (
        ["デマンド交通", "コミュニティバス", "ライドシェア", "乗合タクシー"],
        ["demand bus", "ride sharing", "MaaS", "rural transit"],
    ),
    "medical_care": (
        ["オンライン診療", "診療所", "訪問看護", "医師確保"],
        ["telemedicine", "clinic", "home nursing", "rural doctors"],
    ),
    "elderly_care": (
        ["訪問介護", "見守り", "デイサービス", "介護人材"],
        ["home care", "elderly watch", "day service", "care workers"],
    ),
    "retail": (
        ["移動販売", "買い物支援", "商店街", "小さな拠点"],
        ["mobile store", "grocery access", "shopping street", "village store"],
    ),
    "energy": (
        ["太陽光発電", "小水力", "地域新電力", "バイオマス"],
        ["solar power", "micro hydro", "local utility", "biomass"],
    ),
    "vacant_houses": (
        ["空き家改修", "古民家", "移住促進", "二地域居住"],
        ["vacant house renovation", "old folk house", "relocation", "dual living"],
    ),
    "education": (
        ["学習支援", "地域学校", "リカレント教育", "探究学習"],
        ["tutoring", "local school", "reskilling", "project learning"],
    ),
    "childcare": (
        ["保育園", "子育て支援", "放課後児童", "病児保育"],
        ["nursery", "parent support", "after school", "sick child care"],
    ),
    "snow_removal": (
        ["除雪", "雪下ろし", "融雪", "豪雪地帯"],
        ["snow clearing", "roof snow", "snow melting", "heavy snow area"],
    ),
    "agriculture": (
        ["スマート農業", "耕作放棄地", "六次産業化", "農福連携"],
        ["smart farming", "abandoned farmland", "food processing", "farm welfare"],
    ),
    "tourism": (
        ["観光まちづくり", "農泊", "インバウンド", "古民家宿"],
        ["tourism DMO", "farm stay", "inbound visitors", "heritage inn"],
    ),
    "disaster_resilience": (
        ["防災", "避難所", "減災", "災害備蓄"],
        ["disaster prevention", "evacuation", "mitigation", "emergency stock"],
    ),
    "digital": (
        ["デジタル化", "地域DX", "データ連携", "遠隔サービス"],
        ["digitalisation", "local DX", "data platform", "remote services"],
    ),
}
STAGE_WORDS = (
    ("構想段階の事業", "idea"),
    ("実証事業", "pilot"),
    ("運営中の事業", "operating project"),
    ("拡大中の事業", "scaling project"),
)
_FILLER_JA = ["地域の暮らしを支える", "住民と協働", "持続可能な運営", "地元企業と連携", "自治体と協定", "若者の雇用"]
_FILLER_EN = ["community led", "sustainable operation", "local partners", "municipal agreement", "youth jobs"]


def filler(rng: np.random.Generator, lang: str) -> str:
    words = _FILLER_JA if lang == "ja" else _FILLER_EN
    return ("、" if lang == "ja" else ", ").join(rng.choice(words, 2, replace=False).tolist())
