"""Benchmark: every impact metric for 100,000 generated projects, vectorised vs a Python loop.

Run with ``uv run python tests/bench/bench_impact.py [n_projects]``. Both paths run in the same
process on the same generated inputs; the script checks they agree and prints both times and
the ratio per metric. The loop calls the public scalar functions one project at a time, exactly
as a naive caller would (``sroi`` therefore also computes its sensitivity table each time).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import impact

Array = np.ndarray[Any, np.dtype[np.float64]]
CHANNEL_FIELDS = (
    ("local_generation_share", "respend_generation"),
    ("local_wage_share", "respend_wages"),
    ("local_supplier_share", "respend_suppliers"),
    ("local_dividend_share", "respend_dividends"),
    ("local_reinvestment_share", "respend_reinvestment"),
)
RVA_FIELDS = (
    "profit_before_tax_yen",
    "local_ownership_share",
    "profit_tax_rate",
    "wages_yen",
    "resident_employee_share",
    "employee_deduction_rate",
    "local_tax_yen",
)
SROI_FIELDS = ("quantity", "financial_proxy_yen", "deadweight", "displacement", "attribution", "drop_off", "years")
# One illustrative 4-sector prefectural table (agriculture, manufacturing, energy, services) shared by all projects.
IO_A = np.array(
    [[0.10, 0.05, 0.00, 0.02], [0.15, 0.30, 0.10, 0.08], [0.02, 0.03, 0.05, 0.02], [0.10, 0.12, 0.15, 0.20]]
)
IO_S = np.array([0.6, 0.3, 0.5, 0.8])
IO_W = np.array([0.15, 0.20, 0.12, 0.40])
IO_H = np.array([0.10, 0.25, 0.05, 0.60])


def generate(n: int, seed: int = 20240401) -> dict[str, Array]:
    """Plausible random inputs for ``n`` projects (yen amounts, shares, head counts, places)."""
    rng = np.random.default_rng(seed)
    g: dict[str, Array] = {}
    g["r1"] = rng.uniform(1e6, 1e9, n)
    g["r2"] = g["r1"] * rng.uniform(0, 1, n)
    g["r3"] = g["r2"] * rng.uniform(0, 1, n)
    g["retention"], g["rounds"] = rng.uniform(0, 0.95, n), rng.integers(1, 30, n).astype(float)
    g["mpc"], g["local_share"], g["tax"] = rng.uniform(0.5, 0.95, n), rng.uniform(0, 1, n), rng.uniform(0, 0.4, n)
    g["jobs_before"], g["jobs_after"] = rng.integers(0, 200, n).astype(float), rng.integers(0, 200, n).astype(float)
    g["kwh"], g["grid"], g["own"] = rng.uniform(0, 1e8, n), rng.uniform(0.3, 0.6, n), rng.uniform(0, 0.3, n)
    g["production"], g["income"] = rng.uniform(1e10, 1e12, n), rng.uniform(1e10, 1e12, n)
    g["outflow"], g["grp"] = rng.uniform(0, 1e10, n), rng.uniform(1e10, 1e12, n)
    g["rva"] = np.stack(
        [
            rng.uniform(-1e7, 1e8, n),
            rng.uniform(0, 1, n),
            rng.uniform(0, 0.4, n),
            rng.uniform(0, 1e8, n),
            rng.uniform(0, 1, n),
            rng.uniform(0, 0.35, n),
            rng.uniform(0, 1e6, n),
        ]
    )
    m = 3
    g["sroi"] = np.stack(
        [
            rng.uniform(0, 500, (n, m)),
            rng.uniform(0, 2e5, (n, m)),
            rng.uniform(0, 0.5, (n, m)),
            rng.uniform(0, 0.3, (n, m)),
            rng.uniform(0, 0.5, (n, m)),
            rng.uniform(0, 0.5, (n, m)),
            rng.integers(1, 6, (n, m)).astype(float),
        ]
    )
    g["investment"] = rng.uniform(1e6, 1e9, n)
    g["le_r1"] = rng.uniform(1e7, 5e9, n)
    g["le_shares"] = rng.dirichlet(np.ones(7), n)[:, :5]
    g["le_respend"] = rng.uniform(0, 1, (n, 5))
    g["le_cf"], g["le_cfr"] = rng.uniform(0, 0.1, n), rng.uniform(0, 1, n)
    g["demand"] = rng.uniform(0, 1e8, (n, 4))
    areas, hubs = 10, 2
    g["pop"] = rng.integers(0, 20_000, (n, areas)).astype(float)
    center = np.stack([rng.uniform(31, 44, n), rng.uniform(130, 145, n)], axis=1)[:, np.newaxis, :]
    g["points"] = center + rng.normal(0, 0.3, (n, areas, 2))
    g["hubs"] = center + rng.normal(0, 0.2, (n, hubs, 2))
    g["threshold"] = rng.uniform(10, 60, n)
    return g


def _outcomes(g: dict[str, Array], i: int) -> list[impact.Outcome]:
    return [
        impact.Outcome(
            **{
                k: (int(g["sroi"][c, i, o]) if k == "years" else float(g["sroi"][c, i, o]))
                for c, k in enumerate(SROI_FIELDS)
            }
        )
        for o in range(g["sroi"].shape[2])
    ]


def _local_energy(g: dict[str, Array], i: int) -> impact.LocalEnergyInputs:
    fields: dict[str, Any] = {}
    for c, (share, respend) in enumerate(CHANNEL_FIELDS):
        fields[share], fields[respend] = float(g["le_shares"][i, c]), float(g["le_respend"][i, c])
    return impact.LocalEnergyInputs(
        customer_payments_yen=float(g["le_r1"][i]),
        outside_utility_local_share=float(g["le_cf"][i]),
        outside_utility_respend_share=float(g["le_cfr"][i]),
        **fields,
    )


def _stage(g: dict[str, Array], i: int) -> impact.ValueChainStage:
    return impact.ValueChainStage(stage="operator", **{k: float(g["rva"][c, i]) for c, k in enumerate(RVA_FIELDS)})


_RIPPLE: dict[str, Any] = {
    "employee_income_coefficients": IO_W,
    "consumption_propensity": 0.7,
    "consumption_structure": IO_H,
}

# metric id → (vectorised over all projects, scalar for project i)
METRICS: dict[str, tuple[Callable[[dict[str, Array]], Array], Callable[[dict[str, Array], int], float]]] = {
    "KY-LM3": (
        lambda g: impact.lm3_vec(g["r1"], g["r2"], g["r3"]),
        lambda g, i: impact.lm3(g["r1"][i], g["r2"][i], g["r3"][i]),
    ),
    "KY-RETAINED": (
        lambda g: impact.retained_total_vec(g["r1"], g["retention"], g["rounds"]),
        lambda g, i: impact.retained_total(g["r1"][i], g["retention"][i], int(g["rounds"][i])),
    ),
    "KY-KEYNES": (
        lambda g: impact.keynesian_multiplier_vec(g["mpc"], g["local_share"], g["tax"]),
        lambda g, i: impact.keynesian_multiplier(g["mpc"][i], g["local_share"][i], g["tax"][i]),
    ),
    "PI3687": (
        lambda g: impact.jobs_vec(g["jobs_before"], g["jobs_after"])[0],
        lambda g, i: impact.jobs(g["jobs_before"][i], g["jobs_after"][i]).created,
    ),
    "PI5691": (
        lambda g: impact.jobs_vec(g["jobs_before"], g["jobs_after"])[1],
        lambda g, i: impact.jobs(g["jobs_before"][i], g["jobs_after"][i]).maintained,
    ),
    "PI4874": (
        lambda g: impact.jobs_vec(g["jobs_before"], g["jobs_after"])[2],
        lambda g, i: impact.jobs(g["jobs_before"][i], g["jobs_after"][i]).total,
    ),
    "OI4862": (
        lambda g: impact.co2_avoided_vec(g["kwh"], g["grid"], g["own"]),
        lambda g, i: impact.co2_avoided(g["kwh"][i], g["grid"][i], g["own"][i]),
    ),
    "KY-CIRCULATION": (
        lambda g: impact.circulation_rate_vec(g["production"], g["income"]),
        lambda g, i: impact.circulation_rate(g["production"][i], g["income"][i]),
    ),
    "KY-ENERGY-LEAKAGE": (
        lambda g: impact.energy_leakage_ratio_vec(g["outflow"], g["grp"]),
        lambda g, i: impact.energy_leakage_ratio(g["outflow"][i], g["grp"][i]),
    ),
    "KY-RVA": (
        lambda g: impact.regional_value_added_vec(*g["rva"]),
        lambda g, i: impact.regional_value_added([_stage(g, i)]).total_yen,
    ),
    "KY-SROI": (
        lambda g: impact.sroi_vec(*g["sroi"], investment=g["investment"])[1],
        lambda g, i: impact.sroi(_outcomes(g, i), g["investment"][i]).ratio,
    ),
    "KY-LOCAL-ENERGY": (
        lambda g: impact.local_energy_circulation_vec(
            g["le_r1"], g["le_shares"], g["le_respend"], g["le_cf"], g["le_cfr"]
        )["retained_yen"],
        lambda g, i: impact.local_energy_circulation(_local_energy(g, i)).retained_yen,
    ),
    "KY-RIPPLE": (
        lambda g: impact.regional_ripple_vec(IO_A, g["demand"], IO_S, **_RIPPLE)["total"],
        lambda g, i: impact.regional_ripple(IO_A, g["demand"][i], IO_S, **_RIPPLE).total,
    ),
    "KY-COVERAGE": (
        lambda g: impact.coverage_vec(g["pop"], g["points"], g["hubs"], g["threshold"]),
        lambda g, i: impact.coverage(g["pop"][i], g["threshold"][i], points=g["points"][i], hubs=g["hubs"][i]).share,
    ),
}


def run(n: int = 100_000) -> dict[str, tuple[float, float, bool]]:
    """Per metric: (vectorised seconds, loop seconds, agree)."""
    g = generate(n)
    out = {}
    for key, (vec, scalar) in METRICS.items():
        start = time.perf_counter()
        many = vec(g)
        vec_s = time.perf_counter() - start
        start = time.perf_counter()
        one = np.array([scalar(g, i) for i in range(n)])
        loop_s = time.perf_counter() - start
        out[key] = (vec_s, loop_s, bool(np.allclose(many, one, rtol=1e-9, atol=1e-9)))
    return out


def main(n: int = 100_000) -> int:
    results = run(n)
    print(f"impact benchmark: {n:,} generated projects, {len(results)} metrics, numpy {np.__version__}")
    print(f"| {'metric':<18} | {'vectorised (s)':>14} | {'Python loop (s)':>15} | {'speed-up':>9} | agree |")
    print(f"|{'-' * 20}|{'-' * 15}:|{'-' * 16}:|{'-' * 10}:|-------|")
    for key, (vec_s, loop_s, ok) in results.items():
        agree = "yes" if ok else "NO"
        print(f"| {key:<18} | {vec_s:>14.4f} | {loop_s:>15.2f} | {loop_s / vec_s:>8.0f}× | {agree:<5} |")
    vec_total = sum(r[0] for r in results.values())
    loop_total = sum(r[1] for r in results.values())
    print(f"| {'all':<18} | {vec_total:>14.4f} | {loop_total:>15.2f} | {loop_total / vec_total:>8.0f}× |       |")
    bad = [k for k, r in results.items() if not r[2]]
    print("agreement:", "every metric agrees (rtol 1e-9)" if not bad else f"MISMATCH in {bad}")
    print("vectorised set within 1 s:", "yes" if vec_total <= 1.0 else "no")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
