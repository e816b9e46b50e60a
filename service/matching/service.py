"""Matches: projects for an investor profile (its owner and admins), investors for a project
(its lead and admins), ranked by the served model with reasons.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
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
        """(served ranker, this page's matches, total) for an investor profile the caller owns.

        Candidates are masked first (listed, eligible for this investor, the filters, not
        declined), then only they are ranked, and only as far as the page reaches."""
        profile = await owned_profile(self.session, principal, profile_id, admin=True)
        served = await self.runtime.current(self.session)
        ranker = served.ranker
        if ranker is None:
            return served, [], 0
        record = investor_record(profile)
        history = await load_events(self.session, investor_ids=[profile.id])
        row = ranker.investor_index_.get(record.id)
        if row is None:  # created after this ranker's catalogue was read: the next request has it
            return served, [], 0
        keep = served.candidates.mask(
            sectors={s.value for s in filters.sectors},
            instruments={i.value for i in filters.instruments},
            prefecture=filters.prefecture,
        )
        keep &= ranker.eligible_rows(np.array([row]))[0]
        index = ranker.project_index_
        keep[[index[e.project_id] for e in history if e.kind == "decline" and e.project_id in index]] = False
        # The catalogue already holds this investor as it is now (the version counter rebuilds it
        # when the profile changes) unless it has events since: then its fresh history counts.
        investor: str | matching.InvestorRecord = record.id
        if served.candidates.same_history(record.id, history):
            scores = ranker.V_ @ ranker.U_[row] + np.float32(ranker.bias_)
        else:
            investor = record
            scores = _scores(ranker, record, history)
        columns, total = served.candidates.page(scores, keep, offset=offset, limit=limit)
        ids = [ranker.project_ids_[j] for j in columns]
        return served, [ranker.explain(investor, pid, history=history) for pid in ids], total

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


def _scores(ranker: matching.Ranker, record: matching.InvestorRecord, history: Sequence[matching.EventRecord]) -> Any:
    """Every catalogue project's score for this investor with its latest own events: one
    matrix-vector product (the ranker's ``u · v + bias``)."""
    u = ranker._investor_row(record, history)[0]
    return ranker.V_ @ u + np.float32(ranker.bias_)
