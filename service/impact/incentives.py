"""公共貢献 score and incentive eligibility of a project, from verified figures and project facts.

One function scores a project (:func:`contribution_facts` → ``impact.public_contribution_score``)
and everything shows its result: the stored ``KY-PUBLIC-CONTRIBUTION`` metric (lists and detail)
and ``GET /projects/{id}/public-contribution``. It counts daily-life needs from the project's
sector, municipalities served from its municipality codes, the depopulating share stated in its
inputs (else from an illustrative list, see ``depopulating.py``), local co-financing as stated in
its inputs, and LM3 only from a verified claim — stated LM3 rounds never count.
"""

from __future__ import annotations

from collections.abc import Mapping
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


#: The metric id the score is stored under in a project's ``computed_metrics``.
PUBLIC_CONTRIBUTION = "KY-PUBLIC-CONTRIBUTION"

#: What the score counts, said once: the API descriptions quote it.
SCORE_MEANING_EN = (
    "公共貢献 (public contribution), 0–100, one function for the list, the detail and "
    "/public-contribution: daily-life needs from the project's sector, municipal reach from its "
    "municipality codes, the depopulating share stated in impact_inputs (else from the illustrative "
    "list), local co-financing as stated in impact_inputs, and LM3 only from a verified claim — "
    "never from stated LM3 inputs."
)


def contribution_facts(project: Project, verified: Mapping[str, float]) -> tuple[dict[str, Any], dict[str, str]]:
    """The facts the 公共貢献 score counts for ``project`` and where each came from.

    The project's own record decides what it records (sector, municipalities); stated shares
    count as stated; LM3 counts only when verified (``verified``: metric id → verified value).
    """
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
    if inputs.get("depopulating_population_share") is not None:
        facts["depopulating_population_share"] = inputs["depopulating_population_share"]
        sources["depopulating_population_share"] = "impact_inputs"
    else:
        served = sum(1 for c in codes if c in DEPOPULATING_MUNICIPALITIES_ILLUSTRATIVE)
        facts["depopulating_population_share"] = served / len(codes) if codes else 0.0
        sources["depopulating_population_share"] = (
            f"share of served municipalities that are depopulating, unweighted ({DEPOPULATING_SOURCE})"
        )
    if inputs.get("local_cofinancing_share") is not None:
        facts["local_cofinancing_share"] = inputs["local_cofinancing_share"]
        sources["local_cofinancing_share"] = "impact_inputs"
    for metric_id in LM3_METRICS:
        if metric_id in verified:
            facts["lm3"] = verified[metric_id]
            sources["lm3"] = f"verified claim ({metric_id})"
            break
    return facts, sources


def _score(
    project: Project, verified: Mapping[str, float]
) -> tuple[impact.PublicContributionScore, dict[str, Any], dict[str, str]]:
    facts, sources = contribution_facts(project, verified)
    return impact.public_contribution_score(facts), facts, sources


def public_contribution_total(project: Project, verified: Mapping[str, float]) -> float:
    """The score's total: what ``computed_metrics["KY-PUBLIC-CONTRIBUTION"]`` stores."""
    return _score(project, verified)[0].total


def public_contribution(project: Project, verified: Mapping[str, float]) -> PublicContributionRead:
    """The score with every component's weight; ``verified`` maps metric id → verified value."""
    score, facts, sources = _score(project, verified)
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


__all__ = [
    "PUBLIC_CONTRIBUTION",
    "contribution_facts",
    "eligibility",
    "public_contribution",
    "public_contribution_total",
    "verified_by_metric",
]
