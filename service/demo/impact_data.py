"""Demo impact inputs and one verified demo claim. The inputs are illustrative (each demo project
says so through ``impact_label``); the claimed customer count is a published approximate figure.
"""

from __future__ import annotations

from typing import Any


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
