"""A synthetic interaction history for the demo, so matches mean something on first start.

The six demo projects and five demo investors are too few to learn from, so an illustrative
market is added beside them: :data:`N_SYNTHETIC_PROJECTS` projects and
:data:`N_SYNTHETIC_INVESTORS` investor profiles from :func:`matching.synthetic_market`,
every title and name prefixed 「（合成デモ）」 / "(synthetic demo)" and every row flagged
``is_synthetic``. The projects are created by an inactive synthetic lead and vetted by the demo
admin through the same services as users' projects (so they are in the audit log); the
profiles' owners are inactive users without passwords, so nobody signs in as them. Then :func:`matching.simulate_events`
(fixed seed) plays a year of views, bookmarks, interests, declines and commits over every demo
and synthetic profile × project. Idempotent: rows are found by natural key, and the history
is written only once.

The sizes are chosen so the first model is judged on enough held-out investors for the
activation gate to mean something: with 40 × 40 and 30 views each (the first version of this
history, 630 events) the held-out split had 10 test investors and random ranking scored NDCG@10
0.57 beside content's 0.61, so no comparison was meaningful. With 400 investors, 80 projects
and 40 views each (about 9,000 events) it has about 130, and the learned model's lead over
content ranking is measured (README, matching in the service). Whatever it is, the gate decides:
if the first model loses, the demo serves content ranking and says so.
"""

from __future__ import annotations

from datetime import timedelta

import msgspec
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

import matching
from service.demo.loader import as_principal, publish
from service.matching.records import listed_status, load_catalogue, profile_row, project_create
from service.models import InteractionEvent, InvestorProfile, Membership, Municipality, Organisation, Project, User
from service.models.base import utcnow
from service.models.enums import OrgKind, Role

SEED = 20261124
N_SYNTHETIC_PROJECTS = 80
N_SYNTHETIC_INVESTORS = 400
#: Mean project views per investor over the simulated year.
MEAN_VIEWS = 40.0
PREFIX_JA, PREFIX_EN = "（合成デモ）", "(synthetic demo) "
ORG_NAME_JA = PREFIX_JA + "地域事業者（架空）"
LEAD_EMAIL, ADMIN_EMAIL = "synthetic-lead@demo.kyoso.jp", "admin@demo.kyoso.jp"


async def load_history(session: AsyncSession) -> int:
    """Add the illustrative market and the simulated history once; returns events written."""
    await _synthetic_market(session)
    demo_profiles = select(InvestorProfile.id).where(InvestorProfile.is_demo.is_(True))  # type: ignore[attr-defined]
    done = await session.scalar(
        select(func.count())
        .select_from(InteractionEvent)
        .where(InteractionEvent.investor_profile_id.in_(demo_profiles))  # type: ignore[attr-defined]
    )
    if done:
        return 0
    catalogue = await load_catalogue(session)
    demo_ids = {str(i) for i in (await session.execute(demo_profiles)).scalars()}
    listed_ids = {
        str(i) for i in (await session.execute(select(Project.id).where(Project.is_demo.is_(True)))).scalars()
    }  # type: ignore[attr-defined]
    now = utcnow()
    # Records as they would have been a year ago, so the simulated history ends today.
    start = now - timedelta(days=365)
    investors = [msgspec.structs.replace(i, created_at=start) for i in catalogue.investors if i.id in demo_ids]
    projects = [msgspec.structs.replace(p, created_at=start) for p in catalogue.projects if p.id in listed_ids]
    events = matching.simulate_events(investors, projects, seed=SEED, end=now, mean_views=MEAN_VIEWS)
    if events:  # one multi-row INSERT per batch, not one ORM object per event
        await session.execute(
            insert(InteractionEvent),
            [
                {"investor_profile_id": e.investor_id, "project_id": e.project_id, "kind": e.kind, "at": e.at}
                for e in events
            ],
        )
    return len(events)


async def _synthetic_market(session: AsyncSession) -> None:
    org = (await session.execute(select(Organisation).where(Organisation.name_ja == ORG_NAME_JA))).scalar_one_or_none()
    if org is not None:
        return
    admin_user = (await session.execute(select(User).where(User.email == ADMIN_EMAIL))).scalar_one()
    org = Organisation(kind=OrgKind.company, name_ja=ORG_NAME_JA, name_en=PREFIX_EN + "regional operator (fictional)")
    lead_user = User(email=LEAD_EMAIL, display_name=f"{PREFIX_JA}事業責任者", is_active=False)
    session.add_all([org, lead_user])
    await session.flush()
    session.add(Membership(user_id=lead_user.id, organisation_id=org.id, role=Role.project_lead))
    await session.flush()
    lead, admin = await as_principal(session, lead_user), await as_principal(session, admin_user)
    market = matching.synthetic_market(
        n_investors=N_SYNTHETIC_INVESTORS, n_projects=N_SYNTHETIC_PROJECTS, seed=SEED, mean_views=0.0
    )
    first_muni: dict[int, str] = dict(
        (
            await session.execute(
                select(Municipality.prefecture_code, func.min(Municipality.code)).group_by(Municipality.prefecture_code)
            )
        ).all()
    )
    owners = [
        User(email=f"synthetic-{n:03d}@demo.kyoso.jp", display_name=f"{PREFIX_JA}投資家 {n:03d}", is_active=False)
        for n in range(1, N_SYNTHETIC_INVESTORS + 1)
    ]
    session.add_all(owners)
    await session.flush()
    for n, p in enumerate(market.projects, start=1):
        sector_ja, sector_en = matching.SECTOR_LABELS[p.sector]
        place_ja, place_en = matching.prefecture_name(p.prefecture), matching.prefecture_name(p.prefecture, "en")
        ja_text, _, en_text = p.text.partition(" ")
        project_in = project_create(
            p,
            organisation_id=org.id,
            municipality_code=first_muni[p.prefecture],
            titles=(f"{PREFIX_JA}{place_ja}の{sector_ja}事業 {n:02d}", f"{PREFIX_EN}{sector_en} in {place_en} {n:02d}"),
            summaries=(f"{PREFIX_JA}{ja_text}", f"{PREFIX_EN}{en_text or p.text}"),
            expected_return_pct=(0.0, 3.0),
        )
        await publish(session, project_in, listed_status(p), lead, admin, synthetic=True)
    for n, (inv, owner) in enumerate(zip(market.investors, owners, strict=True), start=1):
        session.add(
            profile_row(
                inv,
                owner_id=owner.id,
                display_names=(f"{PREFIX_JA}投資家 {n:03d}", f"{PREFIX_EN}investor {n:03d}"),
                thesis_ja=f"{PREFIX_JA}{inv.thesis}",
                is_demo=True,
                is_synthetic=True,
            )
        )
    await session.flush()
