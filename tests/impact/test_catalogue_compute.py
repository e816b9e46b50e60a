"""The metric catalogue and the one compute entry point over flat project inputs."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

import impact
from impact._compute import _CALCULATORS
from impact.catalogue import CATALOGUE, MetricDefinition, get_metric

PROJECT: dict[str, Any] = {
    # One stored project: a regional power company with jobs and an LM3 survey.
    "clients_served": 10_450,
    "energy_kwh": 60_000_000,
    "renewable_energy_kwh": 20_000_000,
    "grid_factor_kg_per_kwh": 0.45,
    "own_factor_kg_per_kwh": 0.30,
    "jobs_before": 10,
    "jobs_after": 15,
    "lm3_r1_yen": 10_000,
    "lm3_r2_yen": 8_000,
    "lm3_r3_yen": 6_400,
}


def test_catalogue_uses_iris_ids_where_they_exist() -> None:
    for iris in ("PI4060", "PI6686", "PI8706", "PI5842", "OI1479", "OI4862", "PI3687", "PI5691", "PI4874"):
        assert "IRIS+" in CATALOGUE[iris].source
    assert all(k.startswith(("PI", "OI", "KY-")) for k in CATALOGUE)


def test_every_definition_is_complete_and_every_input_documented() -> None:
    for mid, m in CATALOGUE.items():
        assert m.id == mid
        assert all((m.name_ja, m.name_en, m.definition_ja, m.definition_en, m.source, m.unit))
        assert m.imp_dimension in ("what", "who", "how_much", "contribution", "risk")
        assert m.sdg_targets
        assert all(t.split(".")[0].isdigit() for t in m.sdg_targets)
        for name in (*m.inputs, *m.optional_inputs):
            spec = impact.INPUTS[name]
            assert all((spec.description_ja, spec.description_en, spec.unit))
        if m.computable:
            assert mid in _CALCULATORS


def test_catalogue_round_trips_through_json() -> None:
    m = get_metric("KY-LM3")
    assert msgspec.json.decode(msgspec.json.encode(m), type=MetricDefinition) == m


def test_one_project_dict_feeds_several_metrics() -> None:
    out = impact.compute_all(PROJECT)
    assert set(out) == {"PI4060", "PI8706", "PI5842", "OI1479", "OI4862", "PI3687", "PI5691", "PI4874", "KY-LM3"}
    assert out["KY-LM3"].value == pytest.approx(2.44)
    assert (out["PI3687"].value, out["PI5691"].value, out["PI4874"].value) == (5, 10, 15)
    # 60,000,000 kWh × (0.45 − 0.30) kg/kWh = 9,000,000 kg = 9,000 t; own emissions 18,000 t.
    assert out["OI4862"].value == pytest.approx(9_000)
    assert out["OI4862"].unit == "t-CO2e/yr"
    assert out["OI1479"].value == pytest.approx(18_000)
    assert out["PI4060"].value == 10_450


def test_compute_matches_the_functions_it_wraps() -> None:
    assert impact.compute("KY-KEYNES", {"mpc": 0.8, "local_consumption_share": 0.25}).value == pytest.approx(1.25)
    r = impact.compute("KY-RETAINED", {"retained_amount_yen": 10_000, "retention_share": 0.8, "retention_rounds": 3})
    assert r.value == pytest.approx(24_400)
    assert impact.compute(
        "KY-ENERGY-LEAKAGE", {"net_energy_outflow_yen": 61e8, "grp_yen": 1178e8}
    ).value == pytest.approx(0.0518, abs=5e-5)
    ripple = impact.compute(
        "KY-RIPPLE",
        {
            "io_coefficients": [[0.15, 0.25], [0.2, 0.05]],
            "io_final_demand_yen": [100, 0],
            "io_self_sufficiency": [1, 1],
        },
    )
    assert ripple.breakdown["multiplier"] == pytest.approx(1.5182, abs=5e-5)
    sroi = impact.compute(
        "KY-SROI",
        {
            "sroi_outcomes": [{"quantity": 10, "financial_proxy_yen": 100_000}],
            "sroi_investment_yen": 500_000,
            "sroi_discount_rate": 0,
        },
    )
    assert sroi.value == pytest.approx(2.0)  # 10 × 100,000 / 500,000
    cov = impact.compute(
        "KY-COVERAGE",
        {
            "coverage_population": [100, 200, 300, 400],
            "coverage_points": [[0, 0], [0, 1], [0, 2], [0, 3]],
            "coverage_hubs": [[0, 0]],
            "coverage_threshold_km": 150,
        },
    )
    assert cov.value == pytest.approx(0.3)


def test_compute_local_energy_from_flat_inputs_matches_the_model() -> None:
    le = impact.LOCAL_ENERGY_ILLUSTRATIVE
    flat = {f"le_{f}": getattr(le, f) for f in le.__struct_fields__ if f not in ("label", "sources")}
    r = impact.compute("KY-LOCAL-ENERGY", flat)
    assert r.value == pytest.approx(256.8e6)
    assert r.breakdown["lm3"] == pytest.approx(1.642)


def test_compute_public_contribution_uses_a_verified_lm3() -> None:
    facts = {
        "serves_daily_life_needs": True,
        "depopulating_population_share": 0.5,
        "municipalities_served": 3,
        "local_cofinancing_share": 0.25,
    }
    # 25 + 25·0.5 + 15 + 20·0.5 = 62.5 without LM3; LM3 2.44 ≥ 2 adds the full 15 → 77.5.
    assert impact.compute("KY-PUBLIC-CONTRIBUTION", facts).value == pytest.approx(62.5)
    with_lm3 = {**facts, "lm3_r1_yen": 10, "lm3_r2_yen": 8, "lm3_r3_yen": 6.4}
    assert impact.compute("KY-PUBLIC-CONTRIBUTION", with_lm3).value == pytest.approx(77.5)


def test_null_inputs_count_as_absent() -> None:
    assert "KY-LM3" not in impact.compute_all({"lm3_r1_yen": None, "jobs_before": 1, "jobs_after": 1})


def test_inputs_for_documents_required_and_optional() -> None:
    spec = impact.inputs_for("OI4862")
    assert spec["energy_kwh"]["required"] is True
    assert spec["own_factor_kg_per_kwh"]["required"] is False
    assert spec["energy_kwh"]["unit"] == "kWh/yr"


@pytest.mark.parametrize(
    ("metric_id", "inputs", "field", "code"),
    [
        ("KY-NOPE", {}, "metric_id", "impact.unknown_metric"),
        ("KY-LM3", {"lm3_r1_yen": 10, "lm3_r2_yen": 8}, "lm3_r3_yen", "impact.missing_input"),
        ("KY-LM3", {**PROJECT, "lm3_r4_yen": 1}, "lm3_r4_yen", "impact.unknown_input"),
        ("KY-LM3", {"lm3_r1_yen": "10", "lm3_r2_yen": 8, "lm3_r3_yen": 1}, "lm3_r1_yen", "impact.wrong_type"),
        ("KY-LM3", {"lm3_r1_yen": 10, "lm3_r2_yen": -8, "lm3_r3_yen": 1}, "lm3_r2_yen", "impact.negative_money"),
        ("KY-LM3", {"lm3_r1_yen": 10, "lm3_r2_yen": 11, "lm3_r3_yen": 1}, "r2", "impact.round_increases"),
        ("PI4060", {"clients_served": 1.5}, "clients_served", "impact.wrong_type"),
        ("PI4060", {"clients_served": True}, "clients_served", "impact.wrong_type"),
        ("KY-KEYNES", {"mpc": 1.2, "local_consumption_share": 0.2}, "mpc", "impact.share_out_of_range"),
        ("OI4862", {"energy_kwh": 1, "grid_factor_kg_per_kwh": 5}, "grid_factor_kg_per_kwh", "impact.out_of_range"),
        (
            "KY-RETAINED",
            {"retained_amount_yen": 1, "retention_share": 0.5, "retention_rounds": 0},
            "retention_rounds",
            "impact.out_of_range",
        ),
        (
            "KY-RIPPLE",
            {"io_coefficients": "A", "io_final_demand_yen": [1], "io_self_sufficiency": [1]},
            "io_coefficients",
            "impact.wrong_type",
        ),
        (
            "KY-RIPPLE",
            {"io_coefficients": [[0.1]], "io_final_demand_yen": [1], "io_self_sufficiency": [1.5]},
            "io_self_sufficiency",
            "impact.share_out_of_range",
        ),
        (
            "KY-SROI",
            {"sroi_outcomes": [{"quantity": "x", "financial_proxy_yen": 1}], "sroi_investment_yen": 1},
            "sroi_outcomes[0].quantity",
            "impact.wrong_type",
        ),
        ("KY-SROI", {"sroi_outcomes": [], "sroi_investment_yen": 1}, "sroi_outcomes", "impact.wrong_type"),
        (
            "KY-PUBLIC-CONTRIBUTION",
            {
                "serves_daily_life_needs": "yes",
                "depopulating_population_share": 0,
                "municipalities_served": 1,
                "local_cofinancing_share": 0,
            },
            "serves_daily_life_needs",
            "impact.wrong_type",
        ),
    ],
)
def test_bad_compute_inputs_raise_one_named_error(
    metric_id: str, inputs: dict[str, Any], field: str, code: str
) -> None:
    with pytest.raises(impact.ImpactInputError) as info:
        impact.compute(metric_id, inputs)
    assert (info.value.field, info.value.code) == (field, code)
    problem = info.value.to_dict()
    assert problem["field"] == field
    assert set(problem["message"]) == {"ja", "en"}


def test_compute_all_rejects_a_typo_instead_of_ignoring_it() -> None:
    with pytest.raises(impact.ImpactInputError) as info:
        impact.compute_all({**PROJECT, "jobs_afterr": 3})
    assert info.value.field == "jobs_afterr"
