"""A project's verified figures, as the project page shows them.

The query lives with impact (:func:`service.impact.service.latest_verified_claims`), which the
project's stored 公共貢献 score also counts, so the page and the score read the same figures.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from service.impact.service import latest_verified_claims
from service.projects.schemas import VerifiedMetric


async def verified_metrics(session: AsyncSession, project_id: uuid.UUID) -> list[VerifiedMetric]:
    """The latest verified figure per metric: the only figures public views count."""
    return [
        VerifiedMetric(c.metric_id, c.value, c.unit, c.period_start, c.period_end, c.id)
        for c in await latest_verified_claims(session, project_id)
    ]
