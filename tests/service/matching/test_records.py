"""Rows as matching records: a project's computed impact metrics reach its record (they feed the
model's impact-theme features), finite numbers only."""

from __future__ import annotations

from service.matching.records import impact_values, load_catalogue
from service.models.enums import Role
from tests.service.helpers import project_row


async def test_a_projects_computed_metrics_reach_its_record(db, make_actor):
    lead = await make_actor(Role.project_lead)
    metrics = {"KY-LM3": 2.15, "KY-JOBS": 12, "KY-CO2": -3.5}
    with_metrics = project_row(lead.organisation.id, lead.user.id, computed_metrics=metrics, lm3=2.15)
    without = project_row(lead.organisation.id, lead.user.id)
    db.add_all([with_metrics, without])
    await db.flush()
    records = {r.id: r for r in (await load_catalogue(db)).projects}
    assert records[str(with_metrics.id)].impact == {"KY-LM3": 2.15, "KY-JOBS": 12.0, "KY-CO2": -3.5}
    assert records[str(without.id)].impact == {}


def test_only_finite_numbers_become_impact_values():
    stored = {"KY-LM3": 1.8, "KY-SROI": float("nan"), "KY-NOTE": "n/a", "KY-FLAG": True, "KY-JOBS": 3}
    assert impact_values(stored) == {"KY-LM3": 1.8, "KY-JOBS": 3.0}
    assert impact_values(None) == {}
