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
from service.models import InteractionEvent, InvestorProfile, Municipality, Organisation, Project, User
from service.models.enums import OrgKind

LISTED = {"vetted", "funding", "funded", "closed"}


@dataclass
class Market:
    lead_org: Organisation
    lead_user: User
    projects: dict[str, uuid.UUID] = field(default_factory=dict)
    investors: dict[str, uuid.UUID] = field(default_factory=dict)
    owners: dict[str, uuid.UUID] = field(default_factory=dict)
    n_events: int = 0


async def seed_market(
    db: AsyncSession, *, n_investors: int = 60, n_projects: int = 60, seed: int = 3, with_events: bool = True
) -> Market:
    synthetic = matching.synthetic_market(n_investors=n_investors, n_projects=n_projects, seed=seed, mean_views=15)
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
        row = Project(
            organisation_id=lead_org.id,
            created_by=lead_user.id,
            title_ja=f"合成案件 {p.id}",
            title_en=f"Synthetic project {p.id}",
            summary_ja=p.text[:900] or "合成",
            summary_en=p.text[:900] or "synthetic",
            sector=p.sector,
            instrument=p.instrument,
            stage=p.stage,
            status=p.status if p.status in LISTED else "funding",
            municipality_codes=[first_muni[p.prefecture]],
            prefecture_codes=[p.prefecture],
            funding_target_yen=max(p.funding_target_yen, p.min_ticket_yen),
            min_ticket_yen=p.min_ticket_yen,
            expected_return_min_pct=1.0,
            expected_return_max_pct=4.0,
            term_months=36,
            created_at=p.created_at,
            updated_at=p.created_at,
        )
        market.projects[p.id] = row.id
        rows.append(row)
    for inv in synthetic.investors:
        owner = User(email=f"inv-{uuid.uuid4().hex[:10]}@example.jp", display_name=f"合成投資家 {inv.id}")
        db.add(owner)
        await db.flush()
        row = InvestorProfile(
            owner_user_id=owner.id,
            created_by=owner.id,
            display_name_ja=f"合成投資家 {inv.id}",
            display_name_en=f"Synthetic investor {inv.id}",
            investor_type=inv.investor_type,
            sectors=inv.sectors,
            prefecture_codes=inv.prefectures,
            instruments=inv.instruments,
            ticket_min_yen=max(inv.ticket_min_yen, 1),
            ticket_max_yen=max(inv.ticket_max_yen, inv.ticket_min_yen, 1),
            target_return_pct=inv.target_return_pct,
            risk_tolerance=inv.risk_tolerance,
            impact_themes=inv.impact_themes,
            thesis_ja=inv.thesis,
            created_at=inv.created_at,
            updated_at=inv.created_at,
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
