"""Kyoso impact: pure, typed metric functions and the metric catalogue.

Every metric is a function with its formula, units and source in the docstring; impossible
inputs raise one :class:`ImpactInputError` naming the input::

    import impact

    impact.lm3(10_000, 8_000, 6_400)                      # 2.44
    impact.keynesian_multiplier(0.8, 0.25)                # 1.25
    impact.compute("KY-LM3", project_inputs)              # ComputedMetric(value, unit, breakdown)
    impact.compute_all(project_inputs)                    # every metric whose inputs are present
    impact.evaluate_rules(impact.FURUSATO_RULESET, facts) # EligibilityResult(eligible, checks)

Vectorised forms (``*_vec``) take numpy arrays of many projects and apply the same checks.
"""

from ._compute import ComputedMetric, compute, compute_all, inputs_for
from ._coverage import CoverageResult, HubChoice, coverage, coverage_vec, greedy_hubs, haversine_km
from ._errors import ImpactInputError
from ._inputs import INPUTS, InputSpec
from ._io import (
    RippleResult,
    leontief_inverse,
    output_multipliers,
    regional_ripple,
    regional_ripple_vec,
    technical_coefficients,
)
from ._local_energy import (
    LOCAL_ENERGY_ILLUSTRATIVE,
    LocalEnergyInputs,
    LocalEnergyResult,
    local_energy_circulation,
    local_energy_circulation_vec,
    local_energy_illustrative,
)
from ._multipliers import (
    Lm3Rounds,
    keynesian_multiplier,
    keynesian_multiplier_vec,
    lm3,
    lm3_from_shares,
    lm3_rounds,
    lm3_vec,
    retained_total,
    retained_total_vec,
)
from ._regional import (
    VALUE_CHAIN_STAGES,
    Jobs,
    RegionalValueAdded,
    StageValueAdded,
    ValueChainStage,
    circulation_rate,
    circulation_rate_vec,
    co2_avoided,
    co2_avoided_vec,
    energy_leakage_ratio,
    energy_leakage_ratio_vec,
    jobs,
    jobs_vec,
    regional_value_added,
    regional_value_added_vec,
)
from ._rules import (
    FURUSATO_RULESET,
    PUBLIC_MONEY_CAP,
    RULESETS,
    EligibilityCheck,
    EligibilityResult,
    Rule,
    Ruleset,
    evaluate_rules,
)
from ._score import (
    SCORE_COMPONENTS,
    PublicContributionScore,
    ScoreComponent,
    ScoreComponentSpec,
    public_contribution_score,
)
from ._sroi import DEFAULT_DISCOUNT_RATE, Outcome, Sensitivity, SroiResult, sroi, sroi_vec
from .catalogue import CATALOGUE, MetricDefinition, get_metric

__all__ = [
    "CATALOGUE",
    "DEFAULT_DISCOUNT_RATE",
    "FURUSATO_RULESET",
    "INPUTS",
    "LOCAL_ENERGY_ILLUSTRATIVE",
    "PUBLIC_MONEY_CAP",
    "RULESETS",
    "SCORE_COMPONENTS",
    "VALUE_CHAIN_STAGES",
    "ComputedMetric",
    "CoverageResult",
    "EligibilityCheck",
    "EligibilityResult",
    "HubChoice",
    "ImpactInputError",
    "InputSpec",
    "Jobs",
    "Lm3Rounds",
    "LocalEnergyInputs",
    "LocalEnergyResult",
    "MetricDefinition",
    "Outcome",
    "PublicContributionScore",
    "RegionalValueAdded",
    "RippleResult",
    "Rule",
    "Ruleset",
    "ScoreComponent",
    "ScoreComponentSpec",
    "Sensitivity",
    "SroiResult",
    "StageValueAdded",
    "ValueChainStage",
    "circulation_rate",
    "circulation_rate_vec",
    "co2_avoided",
    "co2_avoided_vec",
    "compute",
    "compute_all",
    "coverage",
    "coverage_vec",
    "energy_leakage_ratio",
    "energy_leakage_ratio_vec",
    "evaluate_rules",
    "get_metric",
    "greedy_hubs",
    "haversine_km",
    "inputs_for",
    "jobs",
    "jobs_vec",
    "keynesian_multiplier",
    "keynesian_multiplier_vec",
    "leontief_inverse",
    "lm3",
    "lm3_from_shares",
    "lm3_rounds",
    "lm3_vec",
    "local_energy_circulation",
    "local_energy_circulation_vec",
    "local_energy_illustrative",
    "output_multipliers",
    "public_contribution_score",
    "regional_ripple",
    "regional_ripple_vec",
    "regional_value_added",
    "regional_value_added_vec",
    "retained_total",
    "retained_total_vec",
    "sroi",
    "sroi_vec",
    "technical_coefficients",
]
