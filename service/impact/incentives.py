"""公共貢献 score and incentive eligibility of a project, from verified figures and project facts.

The score reads, for each component, the verified metric where there is one, then the project's
own facts: daily-life needs from its sector, depopulating share from its municipalities (an
illustrative list, see ``depopulating.py``) unless its inputs state it, municipalities served from
its municipality codes, local co-financing from its inputs, and LM3 only from a verified claim.
"""

from __future__ import annotations

from typing import Any

import impact
from service.errors import InvalidInput
from service.impact.depopulating import DEPOPULATING_MUNICIPALITIES_ILLUSTRATIVE
from service.impact.depopulating import SOURCE as DEPOPULATING_SOURCE
from service.impact.schemas import (
    EligibilityCheckRead,
    EligibilityRead,
    PublicContributionRead,
    RulesetResultRead,
    ScoreComponentRead,
)
from service.models import Organisation, Project
from service.models.enums import Instrument, Sector

#: Sectors that provide an everyday necessity (買物・移動・医療・介護・エネルギー・除雪・子育て・教育・防災).
DAILY_LIFE_SECTORS = frozenset(
    {
        Sector.mobility,
        Sector.medical_care,
        Sector.elderly_care,
        Sector.retail,
        Sector.energy,
        Sector.childcare,
        Sector.education,
        Sector.snow_removal,
        Sector.disaster_resilience,
    }
)
#: Instruments through which the donor receives no economic return.
NO_RETURN_INSTRUMENTS = frozenset({Instrument.donation, Instrument.corporate_furusato})
#: LM3 metrics whose verified value feeds the score's circulation component.
LM3_METRICS = ("KY-LM3", "KY-LM3-SHARES")


def public_contribution(project: Project, verified: dict[str, float]) -> PublicContributionRead:
    """The score with every component's weight; ``verified`` maps metric id → verified value."""
    inputs = project.impact_inputs or {}
    codes = list(project.municipality_codes)
    facts: dict[str, Any] = {
        "serves_daily_life_needs": project.sector in DAILY_LIFE_SECTORS,
        "municipalities_served": len(codes),
    }
    sources: dict[str, str] = {
        "serves_daily_life_needs": f"sector = {project.sector}",
        "municipalities_served": f"municipality_codes ({len(codes)}; prefectures {list(project.prefecture_codes)})",
    }
    if "depopulating_population_share" in inputs:
        facts["depopulating_population_share"] = inputs["depopulating_population_share"]
        sources["depopulating_population_share"] = "impact_inputs"
    else:
        served = sum(1 for c in codes if c in DEPOPULATING_MUNICIPALITIES_ILLUSTRATIVE)
        facts["depopulating_population_share"] = served / len(codes) if codes else 0.0
        sources["depopulating_population_share"] = (
            f"share of served municipalities that are depopulating, unweighted ({DEPOPULATING_SOURCE})"
        )
    if "local_cofinancing_share" in inputs:
        facts["local_cofinancing_share"] = inputs["local_cofinancing_share"]
        sources["local_cofinancing_share"] = "impact_inputs"
    for metric_id in LM3_METRICS:
        if metric_id in verified:
            facts["lm3"] = verified[metric_id]
            sources["lm3"] = f"verified claim ({metric_id})"
            break
    score = impact.public_contribution_score(facts)
    return PublicContributionRead(
        project_id=project.id,
        total=score.total,
        components=[
            ScoreComponentRead(
                c.id, c.label_ja, c.label_en, c.weight, c.raw, c.points, c.explanation_ja, c.explanation_en
            )
            for c in score.components
        ],
        facts=facts,
        fact_sources=sources,
    )


def eligibility(
    project: Project, donor: Organisation, donation_yen: int, public_funds_yen: int | None
) -> EligibilityRead:
    """企業版ふるさと納税 and the public-money cap, each check explained in ja/en.

    The donor must be headquartered outside every municipality the project serves: when its
    head office is in one of them, that one is compared (and the check fails). The cap compares
    public money (default: the donation itself, which reaches the project through the
    municipality) with the project cost (its funding target).
    """
    codes = list(project.municipality_codes)
    donor_code = donor.municipality_code
    project_code = donor_code if donor_code in codes else (codes[0] if codes else None)
    facts = {
        "in_certified_regional_plan": bool(project.certified_regional_plan),
        "donor_head_office_municipality_code": donor_code,
        "project_municipality_code": project_code,
        "donation_yen": donation_yen,
        "donor_receives_economic_return": project.instrument not in NO_RETURN_INSTRUMENTS,
        "public_funds_yen": donation_yen if public_funds_yen is None else public_funds_yen,
        "project_cost_yen": project.funding_target_yen,
    }
    results = []
    for ruleset in (impact.FURUSATO_RULESET, impact.PUBLIC_MONEY_CAP):
        try:
            outcome = impact.evaluate_rules(ruleset, facts)
        except impact.ImpactInputError as exc:  # a fact of the wrong type: name it
            raise InvalidInput.for_field(exc.field, exc.code, exc.message_ja, exc.message_en) from None
        results.append(
            RulesetResultRead(
                ruleset_id=ruleset.id,
                name_ja=ruleset.name_ja,
                name_en=ruleset.name_en,
                source=ruleset.source,
                eligible=outcome.eligible,
                checks=[
                    EligibilityCheckRead(
                        c.rule_id,
                        c.label_ja,
                        c.label_en,
                        c.passed,
                        c.actual,
                        c.expected,
                        c.explanation_ja,
                        c.explanation_en,
                        c.detail_ja,
                        c.detail_en,
                    )
                    for c in outcome.checks
                ],
            )
        )
    return EligibilityRead(
        project_id=project.id,
        donor_organisation_id=donor.id,
        donation_yen=donation_yen,
        eligible=all(r.eligible for r in results),
        rulesets=results,
    )


def verified_by_metric(rows: list[Any]) -> dict[str, float]:
    """Latest verified value per metric from rows of (metric_id, value), newest first."""
    out: dict[str, float] = {}
    for row in rows:
        out.setdefault(row.metric_id, float(row.value))
    return out


__all__ = ["eligibility", "public_contribution", "verified_by_metric"]
