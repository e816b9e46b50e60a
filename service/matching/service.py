"""Matches: projects for an investor profile (its owner and admins), investors for a project
(its lead and admins), ranked by the served model with reasons.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import matching
from service.auth.principal import Principal
from service.errors import Forbidden
from service.investors.service import owned_profile
from service.matching.messages import MESSAGES
from service.matching.records import investor_record, load_events
from service.matching.runtime import MatchingRuntime, Served
from service.models import InvestorProfile
from service.models.enums import Instrument, Role, Sector
from service.projects.service import ProjectService

INV = InvestorProfile.__table__.c  # type: ignore[attr-defined]
#: A lead sees at most this many investors for one project.
MAX_INVESTOR_MATCHES = 200


@dataclass(frozen=True)
class MatchFilters:
    sectors: tuple[Sector, ...] = ()
    instruments: tuple[Instrument, ...] = ()
    prefecture: int | None = None


@dataclass(frozen=True)
class InvestorCard:
    id: uuid.UUID
    display_name_ja: str
    display_name_en: str
    investor_type: str


class MatchService:
    def __init__(self, session: AsyncSession, runtime: MatchingRuntime) -> None:
        self.session = session
        self.runtime = runtime

    async def projects_for(
        self, principal: Principal, profile_id: uuid.UUID, filters: MatchFilters, *, limit: int, offset: int
    ) -> tuple[Served, list[matching.Match], int]:
        """(served ranker, this page's matches, total) for an investor profile the caller owns."""
        profile = await owned_profile(self.session, principal, profile_id, admin=True)
        served = await self.runtime.current(self.session)
        if served.ranker is None:
            return served, [], 0
        record = investor_record(profile)
        history = await load_events(self.session, investor_ids=[profile.id])
        declined = {e.project_id for e in history if e.kind == "decline"}
        ids, _ = served.ranker.top_projects(
            record, k=len(served.ranker.project_ids_), history=history, exclude_seen=False
        )
        facts = served.catalogue.project_facts
        sectors = {s.value for s in filters.sectors}
        instruments = {i.value for i in filters.instruments}
        kept = [
            pid
            for pid in ids
            if pid not in declined
            and (not sectors or facts[pid].sector in sectors)
            and (not instruments or facts[pid].instrument in instruments)
            and (filters.prefecture is None or filters.prefecture in facts[pid].prefecture_codes)
        ]
        page = [served.ranker.explain(record, pid, history=history) for pid in kept[offset : offset + limit]]
        return served, page, len(kept)

    async def investors_for(
        self, principal: Principal, project_id: uuid.UUID, *, limit: int, offset: int
    ) -> tuple[Served, list[tuple[matching.Match, InvestorCard]], int]:
        """Discoverable investors for a project, for its lead (and admins)."""
        project = await ProjectService(self.session).get_visible(project_id, principal)
        if not (principal.is_admin or principal.acts_for(project.organisation_id, Role.project_lead)):
            raise MESSAGES.error(Forbidden, "matching.not_lead")
        served = await self.runtime.current(self.session)
        ranker = served.ranker
        if ranker is None or str(project.id) not in ranker.project_index_:
            return served, [], 0
        facts = served.catalogue.investor_facts
        hidden = sum(1 for f in facts.values() if not f.discoverable)
        k = min(len(ranker.investor_ids_), MAX_INVESTOR_MATCHES + hidden)
        ranked = [m for m in ranker.rank_investors(str(project.id), k=k) if facts[m.investor_id].discoverable]
        ranked = ranked[:MAX_INVESTOR_MATCHES]
        window = ranked[offset : offset + limit]
        cards = await self._discoverable_cards([uuid.UUID(m.investor_id) for m in window])
        page = [(m, cards[m.investor_id]) for m in window if m.investor_id in cards]
        return served, page, len(ranked)

    async def _discoverable_cards(self, ids: Sequence[uuid.UUID]) -> dict[str, InvestorCard]:
        # Checked again in the database: a profile hidden a moment ago never shows.
        if not ids:
            return {}
        rows = await self.session.execute(
            select(INV.id, INV.display_name_ja, INV.display_name_en, INV.investor_type).where(
                INV.id.in_(list(ids)), INV.discoverable.is_(True)
            )
        )
        return {str(r.id): InvestorCard(r.id, r.display_name_ja, r.display_name_en, r.investor_type) for r in rows}
