"""HTTP for matches and for the admin's model versions."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Controller, Router, get, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

import matching
from service.auth.guards import requires_admin
from service.auth.principal import Principal
from service.common_messages import COMMON
from service.errors import Message
from service.matching.gate import reason_message
from service.matching.rooms import MatchRoom, room_states
from service.matching.runtime import MatchingRuntime, Served, runtime_of
from service.matching.schemas import (
    InvestorMatch,
    MatchPage,
    ModelVersionPage,
    ModelVersionRead,
    ProjectMatch,
    RankerReason,
    ReasonRead,
)
from service.matching.service import InvestorCard, MatchFilters, MatchService
from service.matching.store import activate_version, list_versions, rollback_version
from service.models.enums import Instrument, InvestorType, Sector
from service.pagination import Cursor, PageLimit, page_from_list
from service.types import decode_cursor, encode_cursor


async def provide_matching(state: State) -> MatchingRuntime:
    return runtime_of(state)


def _offset(cursor: str | None) -> int:
    try:
        return decode_cursor(cursor)
    except ValueError:
        raise COMMON.invalid("cursor", "validation.cursor") from None


def _reasons(match: matching.Match) -> list[ReasonRead]:
    return [ReasonRead(r.code, r.ja, r.en, r.contribution) for r in match.reasons]


def _reason(code: str, text: Message) -> RankerReason:
    return RankerReason(code=code, ja=text.ja, en=text.en)


def served_reason(served: Served) -> RankerReason:
    return _reason(served.reason_code, served.reason)


def _page(served: Served, items: list[Any], total: int, limit: int, offset: int) -> MatchPage[Any]:
    return MatchPage(
        items=items,
        total=total,
        limit=limit,
        ranker=served.kind,
        model_version=served.model_version,
        reason=served_reason(served),
        next_cursor=encode_cursor(offset + limit) if offset + limit < total else None,
    )


def match_score(served: Served, m: matching.Match) -> int | None:
    """The match's 0–100 score when the serving ranker was calibrated on held-out data."""
    training = getattr(served.ranker, "training_", None) or {}
    return m.match_score if training.get("calibration") else None


def project_match(served: Served, m: matching.Match, room: MatchRoom) -> ProjectMatch:
    facts = served.catalogue.project_facts[m.project_id]
    return ProjectMatch(
        project_id=uuid.UUID(m.project_id),
        title_ja=facts.title_ja,
        title_en=facts.title_en,
        sector=Sector(facts.sector),
        instrument=Instrument(facts.instrument),
        prefecture_codes=list(facts.prefecture_codes),
        score=m.score,
        match_score=match_score(served, m),
        bias=m.bias,
        baseline=m.baseline,
        components=dict(m.components),
        reasons=_reasons(m),
        deal_room=room,
    )


def investor_match(served: Served, m: matching.Match, card: InvestorCard) -> InvestorMatch:
    return InvestorMatch(
        investor_id=card.id,
        display_name_ja=card.display_name_ja,
        display_name_en=card.display_name_en,
        investor_type=InvestorType(card.investor_type),
        score=m.score,
        match_score=match_score(served, m),
        baseline=m.baseline,
        reasons=_reasons(m),
    )


def version_read(row: Any) -> ModelVersionRead:
    values = dict(row._mapping)
    code = values["gate_reason"]
    values["gate_reason"] = None if code is None else _reason(code, reason_message(code, values["gate"]))
    return msgspec.convert(values, ModelVersionRead)


class MatchController(Controller):
    path = "/"
    dependencies = {"match_runtime": Provide(provide_matching)}

    @get("/investors/{profile_id:uuid}/matches", summary="Projects ranked for an investor profile, with reasons")
    async def investor_matches(
        self,
        profile_id: uuid.UUID,
        db_read: AsyncSession,
        user: Principal,
        match_runtime: MatchingRuntime,
        sector: list[Sector] | None = None,
        instrument: list[Instrument] | None = None,
        prefecture: Annotated[int | None, Parameter(ge=1, le=47, description="JIS prefecture code")] = None,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
        cursor: Cursor = None,
    ) -> MatchPage[ProjectMatch]:
        offset = _offset(cursor)
        filters = MatchFilters(tuple(sector or ()), tuple(instrument or ()), prefecture)
        served, page, total = await MatchService(db_read, match_runtime).projects_for(
            user, profile_id, filters, limit=limit, offset=offset
        )
        rooms = await room_states(db_read, user.user_id, [uuid.UUID(m.project_id) for m in page])
        items = [project_match(served, m, rooms[uuid.UUID(m.project_id)]) for m in page]
        return _page(served, items, total, limit, offset)

    @get("/projects/{project_id:uuid}/matches", summary="Discoverable investors ranked for a project (its lead)")
    async def project_matches(
        self,
        project_id: uuid.UUID,
        db_read: AsyncSession,
        user: Principal,
        match_runtime: MatchingRuntime,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
        cursor: Cursor = None,
    ) -> MatchPage[InvestorMatch]:
        offset = _offset(cursor)
        served, page, total = await MatchService(db_read, match_runtime).investors_for(
            user, project_id, limit=limit, offset=offset
        )
        return _page(served, [investor_match(served, m, card) for m, card in page], total, limit, offset)


Override = Annotated[
    bool,
    Parameter(
        description="Serve the version even though it failed the activation gate (recorded on it and in the audit log)"
    ),
]


class ModelAdminController(Controller):
    """Admins only: the guard is on the controller."""

    path = "/admin/models"
    tags = ["admin"]
    guards = [requires_admin]
    dependencies = {"match_runtime": Provide(provide_matching)}

    @get("/", summary="Matching model versions with their metrics and gate verdicts, and what is served (admins)")
    async def list_models(
        self, db_read: AsyncSession, match_runtime: MatchingRuntime, limit: PageLimit = 50, cursor: Cursor = None
    ) -> ModelVersionPage:
        page = page_from_list([version_read(r) for r in await list_versions(db_read)], limit=limit, cursor=cursor)
        served = await match_runtime.current(db_read)
        return ModelVersionPage(
            items=page.items,
            total=page.total,
            limit=page.limit,
            ranker=served.kind,
            model_version=served.model_version,
            reason=served_reason(served),
            next_cursor=page.next_cursor,
        )

    @post(
        "/{version_id:uuid}/activate",
        status_code=200,
        summary="Serve this model version (admins); one that failed the activation gate needs override=true",
    )
    async def activate_model(
        self, version_id: uuid.UUID, db_session: AsyncSession, user: Principal, override: Override = False
    ) -> ModelVersionRead:
        return version_read(await activate_version(db_session, version_id, override=override, actor_id=user.user_id))

    @post(
        "/rollback",
        status_code=200,
        summary="Serve the previously active model version that passed the gate again (admins; override=true: any)",
    )
    async def rollback_model(
        self, db_session: AsyncSession, user: Principal, override: Override = False
    ) -> ModelVersionRead:
        return version_read(await rollback_version(db_session, override=override, actor_id=user.user_id))


router = Router(path="/api/v1", route_handlers=[MatchController, ModelAdminController], tags=["matching"])
