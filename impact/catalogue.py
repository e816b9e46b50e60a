"""The metric catalogue: every metric the platform shows, with id, names, unit, direction,
definition, source, Impact Management Project dimension, SDG targets and its named inputs.

Ids are IRIS+ ids (GIIN, IRIS+ 5.3) where one exists, else ``KY-…``::

    from impact.catalogue import CATALOGUE, get_metric
    m = get_metric("KY-LM3")
    m.name_ja, m.unit, m.inputs          # ("地域内乗数 LM3", "ratio", ("lm3_r1_yen", ...))
"""

from __future__ import annotations

from typing import Literal

import msgspec

from ._errors import ImpactInputError

ImpDimension = Literal["what", "who", "how_much", "contribution", "risk"]

IRIS = "GIIN, IRIS+ System 5.3 (iris.thegiin.org)"


class MetricDefinition(msgspec.Struct, frozen=True, kw_only=True):
    """One catalogue metric. ``higher_is_better`` gives the direction; ``inputs`` are required,
    ``optional_inputs`` have defaults; ``computable`` says whether :func:`impact.compute` can
    compute it from those inputs."""

    id: str
    name_ja: str
    name_en: str
    unit: str
    higher_is_better: bool
    definition_ja: str
    definition_en: str
    source: str
    imp_dimension: ImpDimension
    sdg_targets: tuple[str, ...]
    inputs: tuple[str, ...]
    optional_inputs: tuple[str, ...] = ()
    computable: bool = True


def _m(
    id: str,
    name_ja: str,
    name_en: str,
    unit: str,
    higher: bool,
    def_ja: str,
    def_en: str,
    source: str,
    dim: ImpDimension,
    sdgs: tuple[str, ...],
    inputs: tuple[str, ...],
    optional: tuple[str, ...] = (),
) -> MetricDefinition:
    return MetricDefinition(
        id=id,
        name_ja=name_ja,
        name_en=name_en,
        unit=unit,
        higher_is_better=higher,
        definition_ja=def_ja,
        definition_en=def_en,
        source=source,
        imp_dimension=dim,
        sdg_targets=sdgs,
        inputs=inputs,
        optional_inputs=optional,
    )


_NEF = "J. Sacks, The Money Trail, New Economics Foundation (2002)"
_METRICS = (
    _m(
        "PI4060",
        "サービス利用者数",
        "Client Individuals: Total",
        "persons",
        True,
        "報告期間にサービスを利用した個人の数。",
        "Number of unique individuals who were clients during the period.",
        IRIS,
        "who",
        ("10.2", "11.2"),
        ("clients_served",),
    ),
    _m(
        "PI6686",
        "サービス提供地域人口",
        "Service Area Population",
        "persons",
        True,
        "サービス提供地域に住む人口。",
        "Population living in the area the organisation serves.",
        IRIS,
        "who",
        ("11.a",),
        ("service_population",),
    ),
    _m(
        "PI8706",
        "販売電力量（合計）",
        "Energy Generated for Sale: Total",
        "kWh/yr",
        True,
        "販売用に発電・供給した電力量。",
        "Energy generated for sale during the period.",
        IRIS,
        "what",
        ("7.1",),
        ("energy_kwh",),
    ),
    _m(
        "PI5842",
        "販売電力量（再生可能）",
        "Energy Generated for Sale: Renewable",
        "kWh/yr",
        True,
        "販売用電力のうち再生可能エネルギー由来の量。",
        "Energy generated for sale from renewable sources.",
        IRIS,
        "what",
        ("7.2",),
        ("renewable_energy_kwh",),
    ),
    _m(
        "OI1479",
        "温室効果ガス排出量",
        "Greenhouse Gas Emissions of Products",
        "t-CO2e/yr",
        False,
        "供給電力量 × 自らの排出係数。",
        "Energy supplied × own emission factor.",
        IRIS + "; GHG Protocol Scope 2 Guidance (2015)",
        "how_much",
        ("13.2",),
        ("energy_kwh", "own_factor_kg_per_kwh"),
    ),
    _m(
        "OI4862",
        "温室効果ガス削減量",
        "Greenhouse Gas Emissions Reduced",
        "t-CO2e/yr",
        True,
        "供給電力量 ×（系統の排出係数 − 自らの排出係数）。",
        "Energy supplied × (grid factor − own factor).",
        IRIS + "; 環境省・経済産業省 電気事業者別排出係数",
        "contribution",
        ("13.2", "7.2"),
        ("energy_kwh", "grid_factor_kg_per_kwh"),
        ("own_factor_kg_per_kwh",),
    ),
    _m(
        "PI3687",
        "創出された雇用",
        "Jobs Created",
        "FTE",
        True,
        "投資後の雇用者数が投資前を上回った分。",
        "Increase in employees since the investment (0 if none).",
        IRIS,
        "how_much",
        ("8.5", "8.3"),
        ("jobs_before", "jobs_after"),
    ),
    _m(
        "PI5691",
        "維持された雇用",
        "Jobs Maintained",
        "FTE",
        True,
        "投資前からの雇用のうち維持されたもの（投資前・後の小さい方）。",
        "Employees before the investment who remain (the smaller of before and after).",
        IRIS,
        "how_much",
        ("8.5",),
        ("jobs_before", "jobs_after"),
    ),
    _m(
        "PI4874",
        "雇用者数（合計）",
        "Jobs Total",
        "FTE",
        True,
        "投資後の雇用者数。",
        "Employees after the investment.",
        IRIS,
        "how_much",
        ("8.5",),
        ("jobs_before", "jobs_after"),
    ),
    _m(
        "KY-LM3",
        "地域内乗数 LM3",
        "Local Multiplier 3",
        "ratio",
        True,
        "(R1 + R2 + R3) / R1：収入が域内で3ラウンドの間に生む支出の倍率。",
        "(R1 + R2 + R3) / R1: local spending over three rounds per yen of income.",
        _NEF,
        "how_much",
        ("8.3", "11.a"),
        ("lm3_r1_yen", "lm3_r2_yen", "lm3_r3_yen"),
    ),
    _m(
        "KY-LM3-SHARES",
        "地域内乗数 LM3（割合から）",
        "Local Multiplier 3 from shares",
        "ratio",
        True,
        "1 + s + w + s·s' + w·w'（仕入・賃金の域内割合と再支出割合から）。",
        "1 + s + w + s·s' + w·w' from local supplier/wage shares and re-spend shares.",
        _NEF,
        "how_much",
        ("8.3", "11.a"),
        ("local_supplier_share", "local_wage_share", "supplier_respend_share", "employee_respend_share"),
    ),
    _m(
        "KY-RETAINED",
        "域内に留まる支出総額（漏れバケツ）",
        "Total local spending (leaky bucket)",
        "JPY",
        True,
        "金額 ×(1 − rⁿ)/(1 − r)、ラウンド数省略時は 金額/(1 − r)。",
        "amount·(1 − rⁿ)/(1 − r); amount/(1 − r) with no round limit.",
        "NEF, Plugging the Leaks (2002)",
        "how_much",
        ("8.3",),
        ("retained_amount_yen", "retention_share"),
        ("retention_rounds",),
    ),
    _m(
        "KY-KEYNES",
        "地域ケインズ乗数",
        "Regional Keynesian multiplier",
        "ratio",
        True,
        "1 / (1 − 限界消費性向 × 域内支出割合 × (1 − 税率))。",
        "1 / (1 − mpc · local share · (1 − tax rate)).",
        "H. Armstrong & J. Taylor, Regional Economics and Policy (2000), ch. 2",
        "how_much",
        ("8.3",),
        ("mpc", "local_consumption_share"),
        ("tax_rate",),
    ),
    _m(
        "KY-RIPPLE",
        "経済波及効果",
        "Regional input–output ripple effect",
        "JPY",
        True,
        "域内需要 = 需要 × 自給率、[I − ŝA]⁻¹ による第1次波及と雇用者所得による第2次波及の合計。",
        "In-region demand = demand × self-sufficiency; first round [I − ŝA]⁻¹, second round via employee income.",
        "R. E. Miller & P. D. Blair, Input–Output Analysis (2009); 都道府県 産業連関表 波及効果の計算方法",
        "how_much",
        ("8.3",),
        ("io_coefficients", "io_final_demand_yen", "io_self_sufficiency"),
        ("io_employee_income_coefficients", "io_consumption_propensity", "io_consumption_structure"),
    ),
    _m(
        "KY-RVA",
        "地域の稼ぎ（地域付加価値）",
        "Regional value added",
        "JPY/yr",
        True,
        "域内出資者の税引後利益 + 域内在住従業員の可処分所得 + 自治体の税収。",
        "After-tax profit of local owners + disposable income of resident staff + local taxes.",
        "Hirschl et al., IÖW Schriftenreihe 196/10 (2010); 環境省 地域経済循環分析",
        "how_much",
        ("8.3", "7.2"),
        ("rva_profit_before_tax_yen", "rva_wages_yen"),
        (
            "rva_local_ownership_share",
            "rva_profit_tax_rate",
            "rva_resident_employee_share",
            "rva_employee_deduction_rate",
            "rva_local_tax_yen",
        ),
    ),
    _m(
        "KY-CIRCULATION",
        "地域経済循環率",
        "Regional economic circulation rate",
        "ratio",
        True,
        "生産（付加価値額）/ 分配（所得）。",
        "Production (value added) / income of residents.",
        "内閣府・経済産業省 RESAS 地域経済循環マップ",
        "what",
        ("8.3", "11.a"),
        ("regional_production_yen", "regional_income_yen"),
    ),
    _m(
        "KY-ENERGY-LEAKAGE",
        "エネルギー代金の域外流出率",
        "Energy payment leakage ratio",
        "ratio",
        False,
        "エネルギー代金の域外純流出額 / 域内総生産。",
        "Net energy payments leaving the region / GRP.",
        "環境省 地域経済循環分析",
        "what",
        ("7.2", "8.3"),
        ("net_energy_outflow_yen", "grp_yen"),
    ),
    _m(
        "KY-SROI",
        "社会的投資収益率 SROI",
        "Social return on investment",
        "ratio",
        True,
        "アウトカムの現在価値 / 投資額（死荷重・置換・寄与・逓減を控除、割引率 3.5%）。",
        "Present value of outcomes net of deadweight, displacement, attribution, drop-off / investment.",
        "Cabinet Office, A Guide to Social Return on Investment (2012)",
        "contribution",
        ("17.17",),
        ("sroi_outcomes", "sroi_investment_yen"),
        ("sroi_discount_rate",),
    ),
    _m(
        "KY-COVERAGE",
        "拠点到達圏の人口割合",
        "Population within reach of a hub",
        "ratio",
        True,
        "最寄り拠点まで閾値以内に住む人口の割合（1時間圏人口）。",
        "Share of population within the threshold of its nearest hub (population within one hour).",
        "国土交通省 国土形成計画（全国計画）2023、地域生活圏",
        "who",
        ("11.2", "9.1"),
        ("coverage_population", "coverage_points", "coverage_hubs", "coverage_threshold_km"),
    ),
    _m(
        "KY-LOCAL-ENERGY",
        "地域新電力の域内資金循環額",
        "Regional power company: money kept circulating",
        "JPY/yr",
        True,
        "R2 + R3（域内支出と受取人の域内再支出）。比較：域外電力会社の場合との差。",
        "R2 + R3 (local spending and recipients' local re-spend), compared with an outside utility.",
        _NEF + "; 環境省 地域経済循環分析",
        "contribution",
        ("7.2", "8.3", "11.a"),
        (
            "le_customer_payments_yen",
            "le_local_generation_share",
            "le_local_wage_share",
            "le_local_supplier_share",
            "le_local_dividend_share",
            "le_local_reinvestment_share",
            "le_respend_generation",
            "le_respend_wages",
            "le_respend_suppliers",
            "le_respend_dividends",
            "le_respend_reinvestment",
            "le_outside_utility_local_share",
            "le_outside_utility_respend_share",
        ),
    ),
    _m(
        "KY-RELATED-POP",
        "関係人口",
        "Related population",
        "persons",
        True,
        "域外に住みながら継続的に地域に関わる人の数。",
        "People connected to the region without living there.",
        "総務省「関係人口」ポータル",
        "who",
        ("11.a",),
        ("related_population",),
    ),
    _m(
        "KY-DUAL-RESIDENTS",
        "二地域居住者数",
        "Dual-region residents",
        "persons",
        True,
        "二つの地域に生活拠点を持つ人の数。",
        "People living in two regions.",
        "国土交通省 二地域居住促進法 (2024)",
        "who",
        ("11.a",),
        ("dual_residents",),
    ),
    _m(
        "KY-PUBLIC-CONTRIBUTION",
        "公共貢献スコア",
        "Public contribution score",
        "points (0–100)",
        True,
        "生活必需・過疎地域・広域性・地域の共同出資（と LM3）の加重点数。",
        "Weighted points for daily-life needs, depopulating areas, cross-border reach, local co-financing (and LM3).",
        "Kyoso 公共貢献 score (weights published in impact.SCORE_COMPONENTS)",
        "contribution",
        ("11.a", "17.17"),
        (
            "serves_daily_life_needs",
            "depopulating_population_share",
            "municipalities_served",
            "local_cofinancing_share",
        ),
        ("lm3_r1_yen", "lm3_r2_yen", "lm3_r3_yen"),
    ),
)

CATALOGUE: dict[str, MetricDefinition] = {m.id: m for m in _METRICS}
"""Metric id → definition, in display order."""


def get_metric(metric_id: str) -> MetricDefinition:
    """The definition of ``metric_id``; an unknown id raises :class:`ImpactInputError` (``metric_id``)."""
    try:
        return CATALOGUE[metric_id]
    except (KeyError, TypeError):
        raise ImpactInputError("metric_id", "impact.unknown_metric", repr(metric_id)) from None
