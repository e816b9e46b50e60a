"""One entry point computing any catalogue metric from a flat mapping of named inputs."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import msgspec

from . import _coverage, _io, _local_energy, _multipliers, _regional, _score, _sroi
from ._check import check_input
from ._errors import ImpactInputError
from ._inputs import INPUTS
from .catalogue import CATALOGUE, get_metric


class ComputedMetric(msgspec.Struct, frozen=True):
    """A computed metric: ``value`` in ``unit``; ``breakdown`` holds the intermediate figures
    (JSON-ready: numbers, strings, lists)."""

    metric_id: str
    value: float
    unit: str
    breakdown: dict[str, Any]


_Calc = Callable[[dict[str, Any]], tuple[float, dict[str, Any]]]


def _identity(name: str) -> _Calc:
    return lambda x: (float(x[name]), {})


def _jobs(part: str) -> _Calc:
    def calc(x: dict[str, Any]) -> tuple[float, dict[str, Any]]:
        j = _multipliers_jobs(x)
        return getattr(j, part), msgspec.structs.asdict(j)

    return calc


def _multipliers_jobs(x: dict[str, Any]) -> _regional.Jobs:
    return _regional.jobs(x["jobs_before"], x["jobs_after"])


def _lm3(x: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    r1, r2, r3 = x["lm3_r1_yen"], x["lm3_r2_yen"], x["lm3_r3_yen"]
    return _multipliers.lm3(r1, r2, r3), {"r1_yen": r1, "r2_yen": r2, "r3_yen": r3}


def _lm3_shares(x: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    r = _multipliers.lm3_rounds(
        1.0, x["local_supplier_share"], x["local_wage_share"], x["supplier_respend_share"], x["employee_respend_share"]
    )
    return r.lm3, {"r2_per_yen": r.r2_yen, "r3_per_yen": r.r3_yen}


def _retained(x: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    rounds = x.get("retention_rounds")
    total = _multipliers.retained_total(
        x["retained_amount_yen"], x["retention_share"], None if rounds is None else int(rounds)
    )
    amount = x["retained_amount_yen"]
    return total, {"rounds": rounds, "multiplier": total / amount if amount else None}


def _keynes(x: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    return _multipliers.keynesian_multiplier(x["mpc"], x["local_consumption_share"], x.get("tax_rate", 0.0)), {}


def _ripple(x: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    r = _io.regional_ripple(
        x["io_coefficients"],
        x["io_final_demand_yen"],
        x["io_self_sufficiency"],
        employee_income_coefficients=x.get("io_employee_income_coefficients"),
        consumption_propensity=x.get("io_consumption_propensity"),
        consumption_structure=x.get("io_consumption_structure"),
    )
    return r.total, {
        k: r.__getattribute__(k)
        for k in ("direct", "first_indirect", "second_indirect", "multiplier", "employee_income")
    }


def _rva(x: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    stage = _regional.ValueChainStage(
        stage="operation_maintenance",
        profit_before_tax_yen=x["rva_profit_before_tax_yen"],
        local_ownership_share=x.get("rva_local_ownership_share", 1.0),
        profit_tax_rate=x.get("rva_profit_tax_rate", 0.0),
        wages_yen=x["rva_wages_yen"],
        resident_employee_share=x.get("rva_resident_employee_share", 1.0),
        employee_deduction_rate=x.get("rva_employee_deduction_rate", 0.0),
        local_tax_yen=x.get("rva_local_tax_yen", 0.0),
    )
    r = _regional.regional_value_added([stage])
    return r.total_yen, {
        "after_tax_profit_yen": r.after_tax_profit_yen,
        "disposable_income_yen": r.disposable_income_yen,
        "local_tax_yen": r.local_tax_yen,
    }


def _circulation(x: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    return _regional.circulation_rate(x["regional_production_yen"], x["regional_income_yen"]), {}


def _leakage(x: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    return _regional.energy_leakage_ratio(x["net_energy_outflow_yen"], x["grp_yen"]), {}


def _ghg(x: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    return x["energy_kwh"] * x["own_factor_kg_per_kwh"] / 1000.0, {}


def _ghg_reduced(x: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    kg = _regional.co2_avoided(x["energy_kwh"], x["grid_factor_kg_per_kwh"], x.get("own_factor_kg_per_kwh", 0.0))
    return kg / 1000.0, {"kg_co2": kg}


def _sroi_calc(x: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    r = _sroi.sroi(
        x["sroi_outcomes"], x["sroi_investment_yen"], x.get("sroi_discount_rate", _sroi.DEFAULT_DISCOUNT_RATE)
    )
    return r.ratio, {
        "present_value_yen": r.present_value_yen,
        "net_ratio": r.net_ratio,
        "most_sensitive": r.most_sensitive,
        "sensitivity": [msgspec.structs.asdict(s) for s in r.sensitivity],
    }


def _coverage_calc(x: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    r = _coverage.coverage(
        x["coverage_population"], x["coverage_threshold_km"], points=x["coverage_points"], hubs=x["coverage_hubs"]
    )
    return r.share, {"covered_population": r.covered_population, "total_population": r.total_population}


def _local_energy_calc(x: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    fields = {f: x[f"le_{f}"] for f in _local_energy.LocalEnergyInputs.__struct_fields__ if f"le_{f}" in x}
    r = _local_energy.local_energy_circulation(_local_energy.LocalEnergyInputs(**fields, label="project"))
    return r.retained_yen, {
        "lm3": r.lm3,
        "r1_yen": r.r1_yen,
        "r2_yen": r.r2_yen,
        "r3_yen": r.r3_yen,
        "counterfactual_lm3": r.counterfactual_lm3,
        "counterfactual_retained_yen": r.counterfactual_retained_yen,
        "additional_retained_yen": r.additional_retained_yen,
    }


def _public_contribution(x: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    facts = dict(x)
    if all(k in x for k in ("lm3_r1_yen", "lm3_r2_yen", "lm3_r3_yen")):
        facts["lm3"] = _multipliers.lm3(x["lm3_r1_yen"], x["lm3_r2_yen"], x["lm3_r3_yen"])
    s = _score.public_contribution_score(facts)
    return s.total, {c.id: {"weight": c.weight, "raw": c.raw, "points": c.points} for c in s.components}


_CALCULATORS: dict[str, _Calc] = {
    "PI4060": _identity("clients_served"),
    "PI6686": _identity("service_population"),
    "PI8706": _identity("energy_kwh"),
    "PI5842": _identity("renewable_energy_kwh"),
    "OI1479": _ghg,
    "OI4862": _ghg_reduced,
    "PI3687": _jobs("created"),
    "PI5691": _jobs("maintained"),
    "PI4874": _jobs("total"),
    "KY-LM3": _lm3,
    "KY-LM3-SHARES": _lm3_shares,
    "KY-RETAINED": _retained,
    "KY-KEYNES": _keynes,
    "KY-RIPPLE": _ripple,
    "KY-RVA": _rva,
    "KY-CIRCULATION": _circulation,
    "KY-ENERGY-LEAKAGE": _leakage,
    "KY-SROI": _sroi_calc,
    "KY-COVERAGE": _coverage_calc,
    "KY-LOCAL-ENERGY": _local_energy_calc,
    "KY-RELATED-POP": _identity("related_population"),
    "KY-DUAL-RESIDENTS": _identity("dual_residents"),
    "KY-PUBLIC-CONTRIBUTION": _public_contribution,
}


def _checked_inputs(inputs: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(inputs, Mapping):
        raise ImpactInputError("inputs", "impact.wrong_type", "expected an object of named inputs")
    # ``None`` means "not given", as a JSON null in a stored project would.
    return {name: check_input(name, value) for name, value in inputs.items() if value is not None}


def _run(metric_id: str, checked: dict[str, Any]) -> ComputedMetric:
    metric = get_metric(metric_id)
    for name in metric.inputs:
        if name not in checked:
            raise ImpactInputError(name, "impact.missing_input")
    wanted = {k: checked[k] for k in (*metric.inputs, *metric.optional_inputs) if k in checked}
    value, breakdown = _CALCULATORS[metric_id](wanted)
    if not math.isfinite(value):
        # Finite inputs can still overflow (1e308 yen ÷ a small leak); JSON has no infinity.
        raise ImpactInputError(metric.inputs[0], "impact.out_of_range", "the result is not a finite number")
    return ComputedMetric(metric_id=metric_id, value=float(value), unit=metric.unit, breakdown=breakdown)


def compute(metric_id: str, inputs: Mapping[str, Any]) -> ComputedMetric:
    """Compute one catalogue metric from a flat mapping of named inputs (see :data:`impact.INPUTS`).

    Inputs other metrics use are ignored; an input name nobody uses, a missing required input,
    or a value of the wrong type or range raises :class:`ImpactInputError` naming it.

    >>> compute("PI3687", {"jobs_before": 10, "jobs_after": 15}).value
    5.0
    """
    return _run(metric_id, _checked_inputs(inputs))


def compute_all(inputs: Mapping[str, Any]) -> dict[str, ComputedMetric]:
    """Every catalogue metric whose required inputs are all present, by metric id.

    >>> sorted(compute_all({"jobs_before": 10, "jobs_after": 15}))
    ['PI3687', 'PI4874', 'PI5691']
    """
    checked = _checked_inputs(inputs)
    return {
        mid: _run(mid, checked)
        for mid, m in CATALOGUE.items()
        if m.computable and all(name in checked for name in m.inputs)
    }


def inputs_for(metric_id: str) -> dict[str, Any]:
    """Specs of the inputs a metric reads, as JSON-ready dicts with a ``required`` flag."""
    m = get_metric(metric_id)
    return {
        n: {**msgspec.structs.asdict(INPUTS[n]), "required": n in m.inputs} for n in (*m.inputs, *m.optional_inputs)
    }
