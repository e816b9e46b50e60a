"""A small synthetic market written into the test database, for matching tests.

The records come from :func:`matching.synthetic_market`; their municipalities are mapped to
real ones (the first municipality of each prefecture) so the rows satisfy the foreign keys.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import matching
from service.matching.records import profile_row, project_row
from service.models import InteractionEvent, Municipality, Organisation, User
from service.models.enums import OrgKind


@dataclass
class Market:
    lead_org: Organisation
    lead_user: User
    projects: dict[str, uuid.UUID] = field(default_factory=dict)
    investors: dict[str, uuid.UUID] = field(default_factory=dict)
    owners: dict[str, uuid.UUID] = field(default_factory=dict)
    n_events: int = 0


async def seed_market(
    db: AsyncSession,
    *,
    n_investors: int = 60,
    n_projects: int = 60,
    seed: int = 3,
    with_events: bool = True,
    mean_views: int = 15,
) -> Market:
    synthetic = matching.synthetic_market(
        n_investors=n_investors, n_projects=n_projects, seed=seed, mean_views=mean_views
    )
    first_muni: dict[int, str] = dict(
        (
            await db.execute(
                select(Municipality.prefecture_code, func.min(Municipality.code)).group_by(Municipality.prefecture_code)
            )
        ).all()
    )
    lead_user = User(email=f"lead-{uuid.uuid4().hex[:8]}@example.jp", display_name="合成 リード")
    lead_org = Organisation(kind=OrgKind.local_management_corp, name_ja="合成市場の運営者", name_en="Synthetic lead")
    db.add_all([lead_user, lead_org])
    await db.flush()
    market = Market(lead_org=lead_org, lead_user=lead_user)
    rows: list[object] = []
    for p in synthetic.projects:
        row = project_row(
            p,
            organisation_id=lead_org.id,
            created_by=lead_user.id,
            municipality_code=first_muni[p.prefecture],
            titles=(f"合成案件 {p.id}", f"Synthetic project {p.id}"),
            summaries=(p.text[:900] or "合成", p.text[:900] or "synthetic"),
            expected_return_pct=(1.0, 4.0),
            backdate=True,
        )
        market.projects[p.id] = row.id
        rows.append(row)
    for inv in synthetic.investors:
        owner = User(email=f"inv-{uuid.uuid4().hex[:10]}@example.jp", display_name=f"合成投資家 {inv.id}")
        db.add(owner)
        await db.flush()
        row = profile_row(
            inv,
            owner_id=owner.id,
            display_names=(f"合成投資家 {inv.id}", f"Synthetic investor {inv.id}"),
            thesis_ja=inv.thesis,
            backdate=True,
        )
        market.investors[inv.id] = row.id
        market.owners[inv.id] = owner.id
        rows.append(row)
    db.add_all(rows)
    await db.flush()
    if with_events:
        db.add_all(
            InteractionEvent(
                investor_profile_id=market.investors[e.investor_id],
                project_id=market.projects[e.project_id],
                kind=e.kind,
                at=e.at,
            )
            for e in synthetic.events
        )
        market.n_events = len(synthetic.events)
        await db.flush()
    return market


async def learnable_market(db: AsyncSession) -> Market:
    """A market on which the learned model wins its held-out split, for tests of what follows a
    win. On the default 60 × 60 the split holds about ten test investors and the verdict is noise;
    at 300 × 80 it holds about 60, and with default parameters the model beats both baselines on
    this seed but loses to popularity on seeds 1, 2, 5 and 7 (measured: issue 12 stays open)."""
    return await seed_market(db, n_investors=300, n_projects=80, mean_views=20, seed=4)
