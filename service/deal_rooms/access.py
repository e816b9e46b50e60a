"""Access requests (an investor asks the lead from a project page) and the NDA's versions and
acceptances — the rest of :class:`service.deal_rooms.service.RoomService`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select

from service.deal_rooms.messages import MESSAGES
from service.deal_rooms.schemas import AccessDecision, AccessRequestCreate, NdaCreate
from service.deal_rooms.service import RoomService, Seat
from service.errors import Conflict, NotFound
from service.matching.rooms import match_snapshot
from service.matching.runtime import MatchingRuntime
from service.models import DealRoomAccessRequest, DealRoomNdaAcceptance
from service.models.base import utcnow
from service.models.deal_room import AccessRequestSource, AccessRequestStatus, RoomRole
from service.models.enums import Role
from service.notifications import NotificationKind, notify
from service.projects.service import ProjectService

PENDING = AccessRequestStatus.pending.value


class DealRoomService(RoomService):
    # ── access requests ─────────────────────────────────────────────────────────────────────────

    async def request_access(
        self, project_id: uuid.UUID, data: AccessRequestCreate, runtime: MatchingRuntime | None = None
    ) -> DealRoomAccessRequest:
        self.principal.require_role(Role.investor, Role.bank)
        project = await ProjectService(self.session).get_visible(project_id, self.principal)
        mine = sorted(self.principal.organisations(Role.investor, Role.bank))
        organisation_id = data.organisation_id or (mine[0] if mine else None)
        if organisation_id is None or organisation_id not in mine:
            raise MESSAGES.invalid("organisation_id", "deal_room.no_investing_organisation")
        room = await self.open_room_of(project.id)
        if room is None:
            raise MESSAGES.error(NotFound, "deal_room.not_found")
        if await self._active(room.id, self.principal.user_id) is not None:
            raise MESSAGES.error(Conflict, "deal_room.already_participant")
        pending = await self.session.scalar(
            select(DealRoomAccessRequest.id).where(
                DealRoomAccessRequest.room_id == room.id,
                DealRoomAccessRequest.user_id == self.principal.user_id,
                DealRoomAccessRequest.status == PENDING,
            )
        )
        if pending is not None:
            raise MESSAGES.error(Conflict, "deal_room.request_pending")
        snapshot = None
        if data.source == AccessRequestSource.match:
            if data.investor_id is None or runtime is None:
                raise MESSAGES.invalid("investor_id", "deal_room.match_profile_required")
            snapshot = await match_snapshot(self.session, runtime, self.principal, data.investor_id, project.id)
            if snapshot is None:
                raise MESSAGES.invalid("investor_id", "deal_room.match_not_found")
        request = DealRoomAccessRequest(
            room_id=room.id,
            user_id=self.principal.user_id,
            organisation_id=organisation_id,
            note=data.note,
            source=data.source,
            match_profile_id=data.investor_id if snapshot is not None else None,
            match_snapshot=snapshot,
        )
        self.session.add(request)
        await self.session.flush()
        await self._audit(
            "access_requested", room.id, request_id=request.id, organisation_id=organisation_id, source=data.source
        )
        leads = await self._active_users(room.id, RoomRole.lead_team)
        params = {"requester": self.principal.display_name}
        await notify(self.session, leads, NotificationKind.access_requested, params, room_id=room.id)
        return request

    async def access_requests(self, room_id: uuid.UUID) -> Sequence[DealRoomAccessRequest]:
        await self.inside(room_id, "decide_access")
        query = select(DealRoomAccessRequest).where(DealRoomAccessRequest.room_id == room_id)
        return (await self.session.scalars(query.order_by(DealRoomAccessRequest.created_at))).all()

    async def decide(self, room_id: uuid.UUID, request_id: uuid.UUID, data: AccessDecision) -> DealRoomAccessRequest:
        seat = await self.inside(room_id, "decide_access", lock=True)
        request = await self.session.get(DealRoomAccessRequest, request_id, with_for_update=True)
        if request is None or request.room_id != seat.room.id:
            raise MESSAGES.error(NotFound, "deal_room.request_not_found")
        if request.status != PENDING:
            raise MESSAGES.error(Conflict, "deal_room.request_decided", status=request.status)
        if data.decision == "accept":
            await self._check_observer(request.user_id, data.role)
        request.status = AccessRequestStatus.accepted if data.decision == "accept" else AccessRequestStatus.declined
        request.decided_by = self.principal.user_id
        request.decided_at = utcnow()
        request.reason = data.reason
        self.session.add(request)
        await self.session.flush()
        await self._audit("access_decided", room_id, request_id=request.id, decision=data.decision, reason=data.reason)
        if data.decision == "accept":
            await self._seat_user(
                seat.room, request.user_id, request.organisation_id, RoomRole(data.role), "access_granted"
            )
            answer, params = NotificationKind.access_accepted, {"role": str(data.role)}
        else:
            answer, params = NotificationKind.access_declined, {"reason": str(data.reason)}
        await notify(self.session, [request.user_id], answer, params, room_id=room_id)
        return request

    # ── the NDA ─────────────────────────────────────────────────────────────────────────────────

    async def publish_nda(self, room_id: uuid.UUID, data: NdaCreate, ip: str) -> Seat:
        seat = await self.inside(room_id, "publish_nda", lock=True)
        nda = await self._publish(seat.room, data.text_ja, data.text_en, ip)
        return Seat(seat.room, seat.me, nda, True)

    async def accept_nda(self, room_id: uuid.UUID, version: int, ip: str) -> DealRoomNdaAcceptance:
        seat = await self.inside(room_id, "accept_nda")
        if version != seat.nda.version:
            raise MESSAGES.error(Conflict, "deal_room.nda_version_stale", version=seat.nda.version)
        return await self._accept(seat.nda, ip)

    async def nda(self, room_id: uuid.UUID) -> Seat:
        return await self.inside(room_id, "read")


__all__ = ["DealRoomService"]
