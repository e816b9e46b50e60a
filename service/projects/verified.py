"""A project's verified figures: the latest verified impact claim per metric.

Projects read them from the shared ``impact_claim`` table rather than through the claims domain,
which builds on projects: the project page and its 公共貢献 score count only these figures.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.models import ClaimStatus, ImpactClaim
from service.projects.schemas import VerifiedMetric


async def verified_metrics(session: AsyncSession, project_id: uuid.UUID) -> list[VerifiedMetric]:
    """The latest verified figure per metric: the only figures public views count."""
    rows = (
        await session.execute(
            select(ImpactClaim)
            .where(ImpactClaim.project_id == project_id, ImpactClaim.status == ClaimStatus.verified)
            .order_by(ImpactClaim.period_end.desc(), ImpactClaim.updated_at.desc())
        )
    ).scalars()
    latest: dict[str, VerifiedMetric] = {}
    for c in rows:
        latest.setdefault(c.metric_id, VerifiedMetric(c.metric_id, c.value, c.unit, c.period_start, c.period_end, c.id))
    return list(latest.values())
