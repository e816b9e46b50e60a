"""Named inputs of the catalogue metrics: one flat vocabulary, so one project's stored JSON
object feeds every metric whose inputs it holds."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal

import msgspec

from . import _validate as v
from ._errors import ImpactInputError

InputKind = Literal["yen", "share", "number", "count", "bool", "vector", "matrix", "points", "outcomes"]


class InputSpec(msgspec.Struct, frozen=True):
    """One named input: its kind (how it is checked), unit, bounds and ja/en description.

    ``minimum``/``maximum`` bound scalar kinds (``None`` = unbounded); list kinds hold JSON arrays.
    """

    name: str
    kind: InputKind
    unit: str
    minimum: float | None
    maximum: float | None
    description_ja: str
    description_en: str


_INF = None
_ROWS: tuple[tuple[str, InputKind, str, float | None, float | None, str, str], ...] = (
    ("clients_served", "count", "persons", 0, _INF, "サービスを利用した個人の数", "individuals who used the service"),
    ("service_population", "count", "persons", 0, _INF, "サービス提供地域の人口", "population of the service area"),
    (
        "related_population",
        "count",
        "persons",
        0,
        _INF,
        "関係人口（継続的に関わる域外の人の数）",
        "people connected to the region without living there",
    ),
    ("dual_residents", "count", "persons", 0, _INF, "二地域居住者の数", "people living in two regions"),
    (
        "energy_kwh",
        "number",
        "kWh/yr",
        0,
        _INF,
        "販売用に発電・供給した電力量（年間）",
        "energy generated for sale per year",
    ),
    (
        "renewable_energy_kwh",
        "number",
        "kWh/yr",
        0,
        _INF,
        "うち再生可能エネルギー（年間）",
        "of which renewable, per year",
    ),
    (
        "grid_factor_kg_per_kwh",
        "number",
        "kg-CO2/kWh",
        0,
        2,
        "代替される系統電力の排出係数",
        "emission factor of the grid power displaced",
    ),
    (
        "own_factor_kg_per_kwh",
        "number",
        "kg-CO2/kWh",
        0,
        2,
        "自らの供給電力の排出係数",
        "emission factor of own supply",
    ),
    ("jobs_before", "number", "FTE", 0, _INF, "投資前の雇用者数（常勤換算）", "employees before the investment (FTE)"),
    ("jobs_after", "number", "FTE", 0, _INF, "投資後の雇用者数（常勤換算）", "employees after the investment (FTE)"),
    ("lm3_r1_yen", "yen", "JPY/yr", 0, _INF, "LM3 第1ラウンド：事業の収入", "LM3 round 1: the organisation's income"),
    (
        "lm3_r2_yen",
        "yen",
        "JPY/yr",
        0,
        _INF,
        "LM3 第2ラウンド：域内での支出（仕入・域内在住者の賃金）",
        "LM3 round 2: spent locally (suppliers, local staff)",
    ),
    (
        "lm3_r3_yen",
        "yen",
        "JPY/yr",
        0,
        _INF,
        "LM3 第3ラウンド：受取人の域内再支出",
        "LM3 round 3: recipients' local re-spend",
    ),
    (
        "local_supplier_share",
        "share",
        "ratio",
        0,
        1,
        "収入のうち域内の仕入先への支払割合",
        "share of income paid to local suppliers",
    ),
    (
        "local_wage_share",
        "share",
        "ratio",
        0,
        1,
        "収入のうち域内在住者への賃金割合",
        "share of income paid as local wages",
    ),
    (
        "supplier_respend_share",
        "share",
        "ratio",
        0,
        1,
        "仕入先が域内で再支出する割合",
        "share suppliers re-spend locally",
    ),
    (
        "employee_respend_share",
        "share",
        "ratio",
        0,
        1,
        "従業員が域内で再支出する割合",
        "share employees re-spend locally",
    ),
    ("retained_amount_yen", "yen", "JPY", 0, _INF, "域内に投入される金額", "amount injected into the region"),
    ("retention_share", "share", "ratio", 0, 1, "各ラウンドで域内に留まる割合", "share retained locally at each round"),
    (
        "retention_rounds",
        "count",
        "rounds",
        1,
        _INF,
        "計算するラウンド数（省略時は無限）",
        "rounds to count (infinite if absent)",
    ),
    ("mpc", "share", "ratio", 0, 1, "限界消費性向", "marginal propensity to consume"),
    (
        "local_consumption_share",
        "share",
        "ratio",
        0,
        1,
        "消費のうち域内で支出される割合",
        "share of consumption spent locally",
    ),
    ("tax_rate", "share", "ratio", 0, 1, "所得に対する税率", "tax rate on income"),
    (
        "io_coefficients",
        "matrix",
        "ratio",
        0,
        _INF,
        "投入係数行列 A（部門×部門）",
        "input coefficient matrix A (sector × sector)",
    ),
    ("io_final_demand_yen", "vector", "JPY", 0, _INF, "部門別の最終需要増加額", "new final demand by sector"),
    (
        "io_self_sufficiency",
        "vector",
        "ratio",
        0,
        1,
        "部門別の域内自給率（1 − 移輸入率）",
        "self-sufficiency by sector (1 − import share)",
    ),
    (
        "io_employee_income_coefficients",
        "vector",
        "ratio",
        0,
        1,
        "部門別の雇用者所得係数",
        "employee income per unit of output, by sector",
    ),
    (
        "io_consumption_propensity",
        "share",
        "ratio",
        0,
        1,
        "消費転換係数（雇用者所得のうち消費に回る割合）",
        "share of employee income consumed",
    ),
    (
        "io_consumption_structure",
        "vector",
        "ratio",
        0,
        1,
        "家計消費の部門別構成比",
        "household consumption by sector (shares)",
    ),
    ("rva_profit_before_tax_yen", "number", "JPY/yr", _INF, _INF, "事業者の税引前利益", "operator's pre-tax profit"),
    (
        "rva_local_ownership_share",
        "share",
        "ratio",
        0,
        1,
        "利益のうち域内の出資者に帰属する割合",
        "share of profit owned in the region",
    ),
    ("rva_profit_tax_rate", "share", "ratio", 0, 1, "利益に対する税率", "tax rate on profit"),
    ("rva_wages_yen", "yen", "JPY/yr", 0, _INF, "人件費（総額）", "gross payroll"),
    (
        "rva_resident_employee_share",
        "share",
        "ratio",
        0,
        1,
        "域内在住の従業員への賃金割合",
        "share of payroll to residents",
    ),
    (
        "rva_employee_deduction_rate",
        "share",
        "ratio",
        0,
        1,
        "所得税・社会保険料の控除率",
        "income tax and social contributions, share of gross pay",
    ),
    ("rva_local_tax_yen", "yen", "JPY/yr", 0, _INF, "域内自治体の税収", "taxes received by local municipalities"),
    (
        "regional_production_yen",
        "yen",
        "JPY/yr",
        0,
        _INF,
        "地域の生産（付加価値額）",
        "value added produced in the region",
    ),
    ("regional_income_yen", "yen", "JPY/yr", 0, _INF, "地域住民の所得（分配）", "income received by residents"),
    (
        "net_energy_outflow_yen",
        "yen",
        "JPY/yr",
        0,
        _INF,
        "エネルギー代金の域外への純流出額",
        "net energy payments leaving",
    ),
    ("grp_yen", "yen", "JPY/yr", 0, _INF, "域内総生産", "gross regional product"),
    ("sroi_outcomes", "outcomes", "list", _INF, _INF, "SROI のアウトカム一覧", "SROI outcomes (impact map rows)"),
    ("sroi_investment_yen", "yen", "JPY", 0, _INF, "SROI の投資額", "SROI investment"),
    ("sroi_discount_rate", "share", "ratio", 0, 1, "割引率（省略時 3.5%）", "discount rate (3.5 % if absent)"),
    ("coverage_population", "vector", "persons", 0, _INF, "地区ごとの人口", "population by area"),
    ("coverage_points", "points", "deg", _INF, _INF, "地区の緯度・経度", "area latitude/longitude"),
    ("coverage_hubs", "points", "deg", _INF, _INF, "拠点の緯度・経度", "hub latitude/longitude"),
    ("coverage_threshold_km", "number", "km", 0, _INF, "到達圏の距離", "reach threshold"),
    ("le_customer_payments_yen", "yen", "JPY/yr", 0, _INF, "電力料金の支払総額（R1）", "customer payments (R1)"),
    ("le_local_generation_share", "share", "ratio", 0, 1, "域内電源からの調達割合", "share paid to local generators"),
    ("le_local_wage_share", "share", "ratio", 0, 1, "域内在住者への賃金割合", "share paid as local wages"),
    ("le_local_supplier_share", "share", "ratio", 0, 1, "域内の仕入先への支払割合", "share paid to local suppliers"),
    (
        "le_local_dividend_share",
        "share",
        "ratio",
        0,
        1,
        "域内株主・自治体への配当割合",
        "share paid as local dividends",
    ),
    ("le_local_reinvestment_share", "share", "ratio", 0, 1, "域内サービスへの再投資割合", "share reinvested locally"),
    ("le_respend_generation", "share", "ratio", 0, 1, "発電事業者の域内再支出割合", "generators' local re-spend"),
    ("le_respend_wages", "share", "ratio", 0, 1, "従業員の域内再支出割合", "employees' local re-spend"),
    ("le_respend_suppliers", "share", "ratio", 0, 1, "仕入先の域内再支出割合", "suppliers' local re-spend"),
    (
        "le_respend_dividends",
        "share",
        "ratio",
        0,
        1,
        "配当受取人の域内再支出割合",
        "dividend recipients' local re-spend",
    ),
    (
        "le_respend_reinvestment",
        "share",
        "ratio",
        0,
        1,
        "再投資先の域内再支出割合",
        "reinvestment recipients' re-spend",
    ),
    (
        "le_outside_utility_local_share",
        "share",
        "ratio",
        0,
        1,
        "域外電力会社の域内支出割合（比較）",
        "outside utility's local share (counterfactual)",
    ),
    (
        "le_outside_utility_respend_share",
        "share",
        "ratio",
        0,
        1,
        "比較ケースの域内再支出割合",
        "counterfactual recipients' re-spend",
    ),
    (
        "serves_daily_life_needs",
        "bool",
        "flag",
        _INF,
        _INF,
        "日常生活に必要なサービスを提供する",
        "serves daily-life needs",
    ),
    (
        "depopulating_population_share",
        "share",
        "ratio",
        0,
        1,
        "受益者のうち過疎市町村に住む割合",
        "share of people served living in depopulating municipalities",
    ),
    ("municipalities_served", "count", "municipalities", 0, _INF, "対象とする市町村の数", "municipalities served"),
    (
        "local_cofinancing_share",
        "share",
        "ratio",
        0,
        1,
        "資金のうち地域の主体（自治体・地銀・地元企業）の割合",
        "share of funding from local actors",
    ),
)

INPUTS: dict[str, InputSpec] = {r[0]: InputSpec(*r) for r in _ROWS}
"""Every input name a catalogue metric reads, with its spec."""


def check_input(name: str, value: Any) -> Any:
    """Validate one named input by its spec; returns the value in its computing form."""
    spec = INPUTS.get(name)
    if spec is None:
        raise ImpactInputError(name, "impact.unknown_input")
    kind = spec.kind
    if kind == "bool":
        if not isinstance(value, bool):
            raise ImpactInputError(name, "impact.wrong_type", f"expected true/false, got {type(value).__name__}")
        return value
    if kind == "outcomes":
        return _outcomes(name, value)
    if kind in ("vector", "matrix", "points"):
        if not isinstance(value, list | tuple) or not value:
            raise ImpactInputError(name, "impact.wrong_type", "expected a non-empty list")
        arr = v.array(name, value, ndim=1 if kind == "vector" else 2)
        if kind != "points":
            _bounds(name, spec, float(arr.min()), float(arr.max()))
        return arr
    if kind == "count":
        out: float = v.integer(name, value, minimum=int(spec.minimum or 0))
    else:
        out = v.money(name, value) if kind == "yen" else v.number(name, value)
    if kind == "share":
        v.share(name, out)
    _bounds(name, spec, out, out)
    return out


def _bounds(name: str, spec: InputSpec, low: float, high: float) -> None:
    if spec.minimum is not None and low < spec.minimum:
        code = "impact.negative_money" if spec.kind == "yen" else "impact.out_of_range"
        raise ImpactInputError(name, code, f"{low:g} < {spec.minimum:g}")
    if spec.maximum is not None and not math.isinf(spec.maximum) and high > spec.maximum:
        code = "impact.share_out_of_range" if spec.unit == "ratio" else "impact.out_of_range"
        raise ImpactInputError(name, code, f"{high:g} > {spec.maximum:g}")


def _outcomes(name: str, value: Any) -> list[Any]:
    from ._sroi import Outcome  # local: _sroi is heavier and only this input kind needs it

    if not isinstance(value, list | tuple) or not value:
        raise ImpactInputError(name, "impact.wrong_type", "expected a non-empty list of outcomes")
    out = []
    for i, item in enumerate(value):
        if isinstance(item, Outcome):
            out.append(item)
            continue
        if not isinstance(item, Mapping):
            raise ImpactInputError(f"{name}[{i}]", "impact.wrong_type", "expected an object")
        try:
            out.append(msgspec.convert(dict(item), Outcome, strict=True))
        except msgspec.ValidationError as exc:
            # msgspec ends its message with "- at `$.quantity`": name the outcome's field too.
            text = str(exc)
            path = text.rpartition("at `$")[2].rstrip("`") if "at `$" in text else ""
            raise ImpactInputError(f"{name}[{i}]{path}", "impact.wrong_type", str(exc)) from exc
    return out
