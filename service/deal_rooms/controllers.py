"""HTTP for deal rooms: thin — every rule (who takes part, the NDA gate, the stage machine) is in
the service, which receives the caller."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, Request, Router, delete, get, post
from litestar.datastructures import State
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.guards import requires_signed_in
from service.auth.principal import Principal
from service.deal_rooms.access import DealRoomService
from service.deal_rooms.schemas import (
    AccessDecision,
    AccessRequestCreate,
    AccessRequestRead,
    MatchSnapshot,
    NdaAccept,
    NdaAcceptanceRead,
    NdaCreate,
    NdaRead,
    ParticipantCreate,
    ParticipantRead,
    RoomOpen,
    RoomRead,
    StageMoveCreate,
    StageMoveRead,
)
from service.deal_rooms.service import Seat
from service.matching.runtime import runtime_of
from service.models import DealRoomParticipant
from service.net import client_ip
from service.pagination import Cursor, PageLimit, page_from_list
from service.types import Page


def _ip(request: Request[Any, Any, Any], state: State) -> str:
    return client_ip(request, state.settings.trusted_proxies)


def room_read(seat: Seat) -> RoomRead:
    room = seat.room
    return RoomRead(
        id=room.id,
        project_id=room.project_id,
        name_ja=room.name_ja,
        name_en=room.name_en,
        stage=seat.stage,
        nda_version=seat.nda.version,
        my_role=seat.role,
        nda_accepted=seat.accepted,
        allowed_moves=seat.allowed_moves(),
        allowed_actions=seat.allowed_actions(),
        created_at=room.created_at,
    )


def nda_read(seat: Seat) -> NdaRead:
    nda = seat.nda
    return NdaRead(nda.version, nda.text_ja, nda.text_en, nda.published_at, seat.accepted)


def participant_read(p: DealRoomParticipant, name: str) -> ParticipantRead:
    return ParticipantRead(
        p.id,
        p.user_id,
        name,
        p.organisation_id,
        p.role,
        p.status,
        p.joined_at,
        p.ended_at,  # type: ignore[arg-type]
    )


def request_read(r: Any) -> AccessRequestRead:
    snapshot = r.match_snapshot
    match = msgspec.convert({**snapshot, "investor_id": r.match_profile_id}, MatchSnapshot) if snapshot else None
    return AccessRequestRead(
        r.id,
        r.room_id,
        r.user_id,
        r.organisation_id,
        r.note,
        r.status,
        r.created_at,
        r.decided_at,
        r.reason,
        source=r.source,
        match=match,
    )


class ProjectRoomController(Controller):
    """A project's way into its deal room: the lead opens it, investors ask to join."""

    path = "/projects/{project_id:uuid}/deal-room"

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Open the project's deal room with its first NDA (the project's lead; vetted or funding)",
        guards=[requires_signed_in],  # the role is checked in the service, after the body's media type
        opt={"idempotent": True},
    )
    async def open_room(
        self,
        project_id: uuid.UUID,
        data: RoomOpen,
        db_session: AsyncSession,
        user: Principal,
        request: Request[Any, Any, Any],
        state: State,
    ) -> RoomRead:
        return room_read(await DealRoomService(db_session, user).open(project_id, data, _ip(request, state)))

    @post(
        "/access-requests",
        status_code=HTTP_201_CREATED,
        summary="Ask the project's lead for access to its open deal room, with a note (investors, banks)",
        guards=[requires_signed_in],
        opt={"idempotent": True},
    )
    async def request_access(
        self, project_id: uuid.UUID, data: AccessRequestCreate, db_session: AsyncSession, user: Principal, state: State
    ) -> AccessRequestRead:
        service = DealRoomService(db_session, user)
        return request_read(await service.request_access(project_id, data, runtime_of(state)))


class RoomController(Controller):
    """A room's insides: only its active participants know it exists (everyone else: 404)."""

    path = "/deal-rooms"
    guards = [requires_signed_in]

    @get("/", summary="The deal rooms the caller takes part in")
    async def list_rooms(
        self, db_session: AsyncSession, user: Principal, limit: PageLimit = 50, cursor: Cursor = None
    ) -> Page[RoomRead]:
        seats = await DealRoomService(db_session, user).mine()
        return page_from_list([room_read(s) for s in seats], limit=limit, cursor=cursor)

    @get("/{room_id:uuid}", summary="A room's name, stage, NDA version and what the caller may do now")
    async def get_room(self, room_id: uuid.UUID, db_session: AsyncSession, user: Principal) -> RoomRead:
        return room_read(await DealRoomService(db_session, user).seat(room_id))

    @get("/{room_id:uuid}/participants", summary="Participants, present and past (after the NDA)")
    async def list_participants(
        self,
        room_id: uuid.UUID,
        db_session: AsyncSession,
        user: Principal,
        limit: PageLimit = 50,
        cursor: Cursor = None,
    ) -> Page[ParticipantRead]:
        rows = await DealRoomService(db_session, user).participants(room_id)
        return page_from_list([participant_read(p, n) for p, n in rows], limit=limit, cursor=cursor)

    @post(
        "/{room_id:uuid}/participants",
        status_code=HTTP_201_CREATED,
        summary="Invite a user of an organisation with a room role (lead team)",
        opt={"idempotent": True},
    )
    async def invite(
        self, room_id: uuid.UUID, data: ParticipantCreate, db_session: AsyncSession, user: Principal
    ) -> ParticipantRead:
        service = DealRoomService(db_session, user)
        participant = await service.invite(room_id, data)
        rows = await service.participants(room_id)
        return next(participant_read(p, n) for p, n in rows if p.id == participant.id)

    @delete(
        "/{room_id:uuid}/participants/{participant_id:uuid}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Remove a participant: its access ends at once, its history stays (lead team)",
        opt={"idempotent": True},
    )
    async def remove_participant(
        self, room_id: uuid.UUID, participant_id: uuid.UUID, db_session: AsyncSession, user: Principal
    ) -> None:
        await DealRoomService(db_session, user).remove(room_id, participant_id)

    @post("/{room_id:uuid}/leave", status_code=HTTP_204_NO_CONTENT, summary="Leave the room", opt={"idempotent": True})
    async def leave(self, room_id: uuid.UUID, db_session: AsyncSession, user: Principal) -> None:
        await DealRoomService(db_session, user).leave(room_id)

    @get("/{room_id:uuid}/access-requests", summary="Access requests to the room (lead team)")
    async def list_access_requests(
        self,
        room_id: uuid.UUID,
        db_session: AsyncSession,
        user: Principal,
        limit: PageLimit = 50,
        cursor: Cursor = None,
    ) -> Page[AccessRequestRead]:
        rows = await DealRoomService(db_session, user).access_requests(room_id)
        return page_from_list([request_read(r) for r in rows], limit=limit, cursor=cursor)

    @post(
        "/{room_id:uuid}/access-requests/{request_id:uuid}/decision",
        status_code=200,
        summary="Accept (with a room role) or decline an access request, with a reason (lead team)",
        opt={"idempotent": True},
    )
    async def decide_access(
        self,
        room_id: uuid.UUID,
        request_id: uuid.UUID,
        data: AccessDecision,
        db_session: AsyncSession,
        user: Principal,
    ) -> AccessRequestRead:
        return request_read(await DealRoomService(db_session, user).decide(room_id, request_id, data))

    @get("/{room_id:uuid}/transitions", summary="The room's stage moves with actor, time and reason")
    async def list_moves(
        self,
        room_id: uuid.UUID,
        db_session: AsyncSession,
        user: Principal,
        limit: PageLimit = 50,
        cursor: Cursor = None,
    ) -> Page[StageMoveRead]:
        moves = await DealRoomService(db_session, user).moves(room_id)
        items = [StageMoveRead(m.id, m.from_stage, m.to_stage, m.actor_id, m.reason, m.at) for m in moves]  # type: ignore[arg-type]
        return page_from_list(items, limit=limit, cursor=cursor)

    @post(
        "/{room_id:uuid}/transitions",
        status_code=HTTP_201_CREATED,
        summary="Move the room to another stage, with a reason",
        opt={"idempotent": True},
    )
    async def move(
        self, room_id: uuid.UUID, data: StageMoveCreate, db_session: AsyncSession, user: Principal
    ) -> StageMoveRead:
        m = await DealRoomService(db_session, user).move(room_id, data.to_stage, data.reason)
        return StageMoveRead(m.id, m.from_stage, m.to_stage, m.actor_id, m.reason, m.at)  # type: ignore[arg-type]

    @get("/{room_id:uuid}/nda", summary="The room's current NDA (ja/en) and whether the caller accepted it")
    async def get_nda(self, room_id: uuid.UUID, db_session: AsyncSession, user: Principal) -> NdaRead:
        return nda_read(await DealRoomService(db_session, user).nda(room_id))

    @post(
        "/{room_id:uuid}/nda",
        status_code=HTTP_201_CREATED,
        summary="Publish a new NDA version: everyone accepts again (lead team)",
        opt={"idempotent": True},
    )
    async def publish_nda(
        self,
        room_id: uuid.UUID,
        data: NdaCreate,
        db_session: AsyncSession,
        user: Principal,
        request: Request[Any, Any, Any],
        state: State,
    ) -> NdaRead:
        return nda_read(await DealRoomService(db_session, user).publish_nda(room_id, data, _ip(request, state)))

    @post(
        "/{room_id:uuid}/nda/acceptance",
        status_code=HTTP_201_CREATED,
        summary="Accept the current NDA version (records time, user and IP)",
        opt={"idempotent": True},
    )
    async def accept_nda(
        self,
        room_id: uuid.UUID,
        data: NdaAccept,
        db_session: AsyncSession,
        user: Principal,
        request: Request[Any, Any, Any],
        state: State,
    ) -> NdaAcceptanceRead:
        a = await DealRoomService(db_session, user).accept_nda(room_id, data.version, _ip(request, state))
        return NdaAcceptanceRead(a.version, a.user_id, a.accepted_at, a.ip)


router = Router(path="/api/v1", route_handlers=[ProjectRoomController, RoomController], tags=["deal rooms"])
