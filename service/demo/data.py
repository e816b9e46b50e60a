"""The demo records. Facts come from ../shared/DEMO_FACTS.md (MLIT seed documents, award
bodies, press); every amount or name we invented says "illustrative" / 「想定」 beside it.
Municipalities are named (prefecture code, name) and resolved to JIS codes at load time.
"""

from __future__ import annotations

from typing import Any

ILLUSTRATIVE_JA = "※金額・条件はデモ用の想定値です（公表値ではありません）。"
ILLUSTRATIVE_EN = "Amounts and terms are illustrative demo values, not published figures."

ORGANISATIONS: list[dict[str, Any]] = [
    {
        "key": "local_energy",
        "kind": "company",
        "name_ja": "ローカルエナジー株式会社",
        "name_en": "Local Energy Co., Ltd.",
        "place": (31, "米子市"),
    },
    {"key": "meets", "kind": "company", "name_ja": "ミーツ株式会社", "name_en": "Meets Inc.", "place": (1, "厚真町")},
    {
        "key": "kirari",
        "kind": "npo",
        "name_ja": "特定非営利活動法人きらりよしじまネットワーク",
        "name_en": "NPO Kirari Yoshijima Network",
        "place": (6, "川西町"),
    },
    {
        "key": "ina",
        "kind": "local_management_corp",
        "name_ja": "伊那市新産業技術推進協議会",
        "name_en": "Ina City New Industrial Technology Council",
        "place": (20, "伊那市"),
    },
    {
        "key": "aict",
        "kind": "local_management_corp",
        "name_ja": "一般社団法人AiCTコンソーシアム",
        "name_en": "AiCT Consortium",
        "place": (7, "会津若松市"),
    },
    {
        "key": "mitoyo",
        "kind": "company",
        "name_ja": "地域交通の運営カンパニー（三豊市 SPC）",
        "name_en": "Regional transport operating company (Mitoyo SPC)",
        "place": (37, "三豊市"),
    },
    # Investors: the names below are invented for the demo.
    {
        "key": "bank",
        "kind": "regional_bank",
        "name_ja": "さんいん協創銀行（デモ・架空）",
        "name_en": "San'in Kyoso Bank (demo, fictional)",
        "place": (31, "米子市"),
    },
    {
        "key": "public",
        "kind": "public_financier",
        "name_ja": "地域まちづくりファンド機構（デモ・架空）",
        "name_en": "Regional Town Development Fund Organisation (demo, fictional)",
        "place": (13, None),
    },
    {
        "key": "fund",
        "kind": "fund",
        "name_ja": "地域共創インパクトファンド（デモ・架空）",
        "name_en": "Regional Co-creation Impact Fund (demo, fictional)",
        "place": (13, None),
    },
    {
        "key": "company",
        "kind": "company",
        "name_ja": "みらい電機株式会社（デモ・架空）",
        "name_en": "Mirai Electric Corp. (demo, fictional)",
        "place": (27, None),
    },
    {
        "key": "operator",
        "kind": "company",
        "name_ja": "共創運営事務局",
        "name_en": "Kyoso operations",
        "place": (13, None),
    },
]

USERS: list[dict[str, Any]] = [
    {"email": "admin@demo.kyoso.jp", "display_name": "運営 審査担当 (Admin)", "memberships": [("operator", "admin")]},
    {
        "email": "lead@demo.kyoso.jp",
        "display_name": "地域 プロジェクト責任者 (Project lead)",
        "memberships": [(k, "project_lead") for k in ("local_energy", "meets", "kirari", "ina", "aict", "mitoyo")],
    },
    {"email": "bank@demo.kyoso.jp", "display_name": "協創銀行 融資担当 (Bank)", "memberships": [("bank", "bank")]},
    {
        "email": "investor@demo.kyoso.jp",
        "display_name": "共創 花子 (Investor)",
        "memberships": [("fund", "investor"), ("company", "investor"), ("public", "investor")],
    },
]

SPHERES: list[dict[str, Any]] = [
    {
        "name_ja": "米子・境港生活圏（デモ）",
        "name_en": "Yonago–Sakaiminato living sphere (demo)",
        "core": (31, "米子市"),
        "members": [
            (31, "米子市"),
            (31, "境港市"),
            (31, "日吉津村"),
            (31, "大山町"),
            (31, "南部町"),
            (31, "伯耆町"),
            (32, "松江市"),
            (32, "安来市"),
        ],
        "description_ja": "中海を囲む米子市を中心とした圏域（構成はデモ用の想定）。",
        "description_en": "The area around Nakaumi centred on Yonago (membership illustrative).",
    },
    {
        "name_ja": "東胆振生活圏（デモ）",
        "name_en": "East Iburi living sphere (demo)",
        "core": (1, "苫小牧市"),
        "members": [(1, "苫小牧市"), (1, "厚真町"), (1, "安平町"), (1, "むかわ町")],
        "description_ja": "苫小牧市を核とする圏域（構成はデモ用の想定）。",
        "description_en": "Centred on Tomakomai (illustrative).",
    },
    {
        "name_ja": "置賜生活圏（デモ）",
        "name_en": "Okitama living sphere (demo)",
        "core": (6, "長井市"),
        "members": [(6, "長井市"), (6, "南陽市"), (6, "川西町"), (6, "飯豊町"), (6, "白鷹町")],
        "description_ja": "置賜地域の一部（構成はデモ用の想定）。",
        "description_en": "Part of Okitama (illustrative).",
    },
    {
        "name_ja": "上伊那生活圏（デモ）",
        "name_en": "Kami-Ina living sphere (demo)",
        "core": (20, "伊那市"),
        "members": [(20, "伊那市"), (20, "箕輪町"), (20, "南箕輪村"), (20, "宮田村")],
        "description_ja": "伊那市を核とする圏域（構成はデモ用の想定）。",
        "description_en": "Centred on Ina (illustrative).",
    },
    {
        "name_ja": "会津生活圏（デモ）",
        "name_en": "Aizu living sphere (demo)",
        "core": (7, "会津若松市"),
        "members": [(7, "会津若松市"), (7, "喜多方市"), (7, "磐梯町"), (7, "会津美里町")],
        "description_ja": "会津若松市を核とする圏域（構成はデモ用の想定）。",
        "description_en": "Centred on Aizuwakamatsu (illustrative).",
    },
    {
        "name_ja": "三豊・観音寺生活圏（デモ）",
        "name_en": "Mitoyo–Kanonji living sphere (demo)",
        "core": (37, "三豊市"),
        "members": [(37, "三豊市"), (37, "観音寺市"), (37, "多度津町")],
        "description_ja": "三豊市を核とする圏域（構成はデモ用の想定）。",
        "description_en": "Centred on Mitoyo (illustrative).",
    },
]

PROJECTS: list[dict[str, Any]] = [
    {
        "org": "local_energy",
        "status": "funding",
        "sector": "energy",
        "instrument": "equity",
        "stage": "operating",
        "places": [(31, "米子市"), (31, "境港市")],
        "title_ja": "ローカルエナジー：地域でお金が回る電力事業の拡張",
        "title_en": "Local Energy: growing a power business that keeps money in the region",
        "summary_ja": "米子市・境港市と地元企業5社が出資する第三セクターの地域新電力。地域の電源（クリーンセンターの廃棄物バイオマス、太陽光19か所、地熱、小水力）を地域の需要家へ届け、電気代を地域内で循環させる。災害時は避難所の蓄電池が非常用電源になる。",
        "summary_en": "A third-sector retail power company owned by Yonago, Sakaiminato and five local firms. Local sources (waste biomass, 19 solar sites, geothermal, small hydro) serve local customers so electricity money circulates in the region; shelter batteries are emergency power in disasters.",
        "body_ja": "2015年12月設立、2016年4月小売開始。公共施設約450か所、ケーブルテレビ経由で約1万の家庭・事業所に供給（西部鳥取の約1割の世帯、新エネ大賞 FY2020）。需給調整を自社で行い5人の雇用を生む。下水消化ガス発電を開発中。本募集は需給管理と地域電源の増強資金（想定）。"
        + ILLUSTRATIVE_JA,
        "body_en": "Founded 2015-12, retail since 2016-04. Supplies ~450 public facilities and ~10,000 homes and businesses through the local cable-TV company (about one in ten households in western Tottori; New Energy Award FY2020). In-house balancing created 5 jobs; sewage digestion-gas power in development. This raise (illustrative) funds balancing and more local generation. "
        + ILLUSTRATIVE_EN,
        "funding_target_yen": 300_000_000,
        "min_ticket_yen": 1_000_000,
        "ret": (2.0, 4.0),
        "term_months": 84,
    },
    {
        "org": "meets",
        "status": "vetted",
        "sector": "retail",
        "instrument": "revenue_share",
        "stage": "scaling",
        "places": [(1, "厚真町")],
        "title_ja": "ミーツ × コープさっぽろ：買い物・高齢化・防災をワンストップで",
        "title_en": "Meets × Co-op Sapporo: shopping, ageing and disaster response, one stop",
        "summary_ja": "厚真町発のゼブラ企業が、高齢化・買い物難民・災害対応といった地域の困りごとをソーシャルビジネスとしてワンストップで解決。生協と連携し全道へ展開。",
        "summary_en": "A zebra company from Atsuma solving local troubles — ageing, shopping refugees, disaster response — one stop as a social business, spreading across Hokkaido with the co-op.",
        "body_ja": "移動販売と生活支援の拠点整備（想定）。" + ILLUSTRATIVE_JA,
        "body_en": "Mobile shops and daily-life support hubs (illustrative). " + ILLUSTRATIVE_EN,
        "funding_target_yen": 50_000_000,
        "min_ticket_yen": 100_000,
        "ret": (1.0, 3.0),
        "term_months": 60,
    },
    {
        "org": "kirari",
        "status": "funding",
        "sector": "snow_removal",
        "instrument": "donation",
        "stage": "operating",
        "places": [(6, "川西町")],
        "title_ja": "きらりよしじま：全戸加入の地域運営組織による除雪・移動・食の支え合い",
        "title_en": "Kirari Yoshijima: snow removal, mobility and meals run by a community every household joins",
        "summary_ja": "吉島地区の全世帯が加入するNPOが地域経営の主体として、除雪支援、移動支援、地域食堂・子ども食堂、移動販売、有償ボランティア、農地を活かした都市との交流を担う。",
        "summary_en": "An NPO every household in Yoshijima joins runs the community: snow-removal help, mobility help, a community dining room and children's cafeteria, mobile sales, paid volunteers, farmland exchange with cities.",
        "body_ja": "除雪機の更新と有償ボランティアの運営費（想定）。" + ILLUSTRATIVE_JA,
        "body_en": "Renewing snow blowers and paid-volunteer operations (illustrative). " + ILLUSTRATIVE_EN,
        "funding_target_yen": 8_000_000,
        "min_ticket_yen": 10_000,
        "ret": (0.0, 0.0),
        "term_months": 24,
    },
    {
        "org": "ina",
        "status": "vetted",
        "sector": "medical_care",
        "instrument": "social_impact_bond",
        "stage": "pilot",
        "places": [(20, "伊那市")],
        "title_ja": "伊那市モバイルクリニック：医療を運ぶ公民連携のテストベッド",
        "title_en": "Ina mobile clinic: a public–private test bed that brings care to patients",
        "summary_ja": "伊那市新産業技術推進協議会が民間技術を地域課題に活かすテストベッドとして、オンライン診療車両（モバイルクリニック）で中山間地の医療アクセスを支える。",
        "summary_en": "Ina's public–private platform brings private technology to regional problems as a test bed: a mobile clinic vehicle with online consultations for hilly, remote districts.",
        "body_ja": "車両増台と運行の成果連動型資金（想定）。" + ILLUSTRATIVE_JA,
        "body_en": "More vehicles and operations, paid by results (illustrative). " + ILLUSTRATIVE_EN,
        "funding_target_yen": 40_000_000,
        "min_ticket_yen": 500_000,
        "ret": (0.0, 3.5),
        "term_months": 36,
    },
    {
        "org": "aict",
        "status": "vetted",
        "sector": "digital",
        "instrument": "corporate_furusato",
        "stage": "operating",
        "places": [(7, "会津若松市")],
        "title_ja": "会津若松＋：都市OSで食・農、観光、ヘルスケアをつなぐ",
        "title_en": "Aizuwakamatsu+: a city OS linking food and farming, tourism and healthcare",
        "summary_ja": "(一社)AiCTコンソーシアムが公益性と事業継続性を両立する地域マネジメント主体として、デジタル基盤（都市OS）上で食・農業、観光、ヘルスケアのサービスを提供する。",
        "summary_en": "The AiCT Consortium, a regional management body balancing public interest and business continuity, runs food/agriculture, tourism and healthcare services on a shared city OS.",
        "body_ja": "企業版ふるさと納税による新サービス開発（想定）。" + ILLUSTRATIVE_JA,
        "body_en": "New services funded by corporate hometown-tax donations (illustrative). " + ILLUSTRATIVE_EN,
        "funding_target_yen": 100_000_000,
        "min_ticket_yen": 100_000,
        "ret": (0.0, 0.0),
        "term_months": 36,
    },
    {
        "org": "mitoyo",
        "status": "funding",
        "sector": "mobility",
        "instrument": "equity",
        "stage": "operating",
        "places": [(37, "三豊市")],
        "title_ja": "三豊市 地域交通の運営カンパニー：定額乗り放題のAIオンデマンド交通",
        "title_en": "Mitoyo regional transport company: flat-rate, unlimited AI on-demand rides",
        "summary_ja": "域内外の12社が出資したSPCが、スマホアプリのAIオンデマンド交通を定額乗り放題で運行し、他の生活サービスと一体で提供する。",
        "summary_en": "An SPC funded by 12 companies from inside and outside the region runs app-based AI on-demand transport with flat-rate unlimited rides, bundled with other daily-life services.",
        "body_ja": "車両と配車システムの増強（想定）。" + ILLUSTRATIVE_JA,
        "body_en": "More vehicles and dispatch capacity (illustrative). " + ILLUSTRATIVE_EN,
        "funding_target_yen": 120_000_000,
        "min_ticket_yen": 500_000,
        "ret": (1.5, 5.0),
        "term_months": 72,
    },
]

INVESTORS: list[dict[str, Any]] = [
    {
        "owner": "user:investor@demo.kyoso.jp",
        "investor_type": "individual",
        "display_name_ja": "共創 花子（個人・デモ）",
        "display_name_en": "Hanako Kyoso (individual, demo)",
        "sectors": ["mobility", "snow_removal", "elderly_care"],
        "prefecture_codes": [6, 31],
        "instruments": ["equity", "donation"],
        "ticket": (10_000, 500_000),
        "target_return_pct": 1.0,
        "risk_tolerance": "medium",
        "impact_themes": ["daily_life", "depopulation"],
        "thesis_ja": "生まれ故郷の暮らしを支える事業を応援したい。",
        "thesis_en": "I back projects that keep my home region's daily life going.",
    },
    {
        "owner": "org:company",
        "investor_type": "company",
        "display_name_ja": "みらい電機（企業・デモ）",
        "display_name_en": "Mirai Electric (company, demo)",
        "sectors": ["digital", "energy", "medical_care"],
        "prefecture_codes": [],
        "instruments": ["corporate_furusato", "donation", "equity"],
        "ticket": (100_000, 30_000_000),
        "target_return_pct": None,
        "risk_tolerance": "medium",
        "impact_themes": ["decarbonisation", "digital"],
        "thesis_ja": "本社所在地外の地域再生計画に企業版ふるさと納税で貢献する。",
        "thesis_en": "We give corporate hometown-tax donations to certified plans outside our head-office city.",
    },
    {
        "owner": "org:bank",
        "investor_type": "regional_bank",
        "display_name_ja": "さんいん協創銀行（地銀・デモ）",
        "display_name_en": "San'in Kyoso Bank (regional bank, demo)",
        "sectors": ["energy", "mobility", "retail"],
        "prefecture_codes": [31, 32],
        "instruments": ["loan", "equity"],
        "ticket": (10_000_000, 500_000_000),
        "target_return_pct": 1.5,
        "risk_tolerance": "low",
        "impact_themes": ["regional_circulation"],
        "thesis_ja": "山陰の地域内経済循環を高める事業に協調融資で参加する。",
        "thesis_en": "We join syndicated loans for projects that raise money circulation in San'in.",
    },
    {
        "owner": "org:public",
        "investor_type": "public_financier",
        "display_name_ja": "地域まちづくりファンド機構（公的・デモ）",
        "display_name_en": "Regional Town Development Fund Org. (public, demo)",
        "sectors": ["vacant_houses", "tourism", "mobility"],
        "prefecture_codes": [],
        "instruments": ["equity", "loan"],
        "ticket": (50_000_000, 100_000_000),
        "target_return_pct": 1.0,
        "risk_tolerance": "medium",
        "impact_themes": ["pump_priming"],
        "thesis_ja": "呼び水として事業費の2/3を上限に出資し、地域金融機関の融資を呼び込む。",
        "thesis_en": "Pump-priming equity capped at 2/3 of project cost, drawing in regional bank loans.",
    },
    {
        "owner": "org:fund",
        "investor_type": "fund",
        "display_name_ja": "地域共創インパクトファンド（ファンド・デモ）",
        "display_name_en": "Regional Co-creation Impact Fund (fund, demo)",
        "sectors": ["energy", "medical_care", "mobility", "digital"],
        "prefecture_codes": [],
        "instruments": ["equity", "revenue_share", "social_impact_bond"],
        "ticket": (5_000_000, 100_000_000),
        "target_return_pct": 4.0,
        "risk_tolerance": "high",
        "impact_themes": ["regional_circulation", "health"],
        "thesis_ja": "地域生活圏の基盤サービスに長期の忍耐資本を提供する。",
        "thesis_en": "Patient capital for the basic services of regional living spheres.",
    },
]

# ── impact (issue 3) ─────────────────────────────────────────────────────────────────────────
# ILLUSTRATIVE impact inputs per demo project (by organisation key), stored with
# impact_label = "illustrative". ローカルエナジー's come from impact.LOCAL_ENERGY_ILLUSTRATIVE (its
# sources are listed there); the others are plausible round numbers, not published figures.


def _local_energy_inputs() -> dict[str, Any]:
    import msgspec

    import impact

    fields = msgspec.structs.asdict(impact.LOCAL_ENERGY_ILLUSTRATIVE)
    return {f"le_{k}": v for k, v in fields.items() if k not in ("label", "sources")}


IMPACT_INPUTS: dict[str, dict[str, Any]] = {
    "local_energy": {**_local_energy_inputs(), "clients_served": 10_450},
    "meets": {
        "local_supplier_share": 0.35,
        "local_wage_share": 0.25,
        "supplier_respend_share": 0.4,
        "employee_respend_share": 0.5,
        "clients_served": 1_200,
        "local_cofinancing_share": 0.3,
    },
    "kirari": {"jobs_before": 4, "jobs_after": 7, "clients_served": 700, "local_cofinancing_share": 0.6},
    "mitoyo": {
        "lm3_r1_yen": 80_000_000,
        "lm3_r2_yen": 44_000_000,
        "lm3_r3_yen": 18_000_000,
        "clients_served": 3_000,
        "local_cofinancing_share": 0.5,
    },
}

#: One verified claim so public figures are not empty. The customer count is published
#: (公共施設 約450 + 家庭・事業所 約1万, 新エネ大賞 FY2020); the claim itself is demo data.
DEMO_CLAIM: dict[str, Any] = {
    "org": "local_energy",
    "metric_id": "PI4060",
    "value": 10_450,
    "period": ("2020-04-01", "2021-03-31"),
    "boundary": "ローカルエナジーの小売供給先（米子市・境港市ほか）/ retail customers of Local Energy",
    "method": "契約数の集計（デモ: 新エネ大賞 FY2020 の公表値 約450施設 + 約1万件）/ contract count (demo, published figures)",
    "baseline": "2016年4月の小売開始時 0 件 / zero at retail start, April 2016",
    "evidence_name": "customers-fy2020-demo.csv",
    "evidence_csv": "category,count,source\n"
    "public_facilities,450,新エネ大賞 FY2020 (approx.)\n"
    "households_and_businesses,10000,新エネ大賞 FY2020 (approx.)\n",
}
