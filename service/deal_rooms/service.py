"""Deal rooms: opening one for a project, participants and access requests, stage moves, and the
NDA gate. Every method receives the caller and checks it against this room: a caller who takes
no active part in a room — admins included, unless invited as observers — gets 404, exactly as
for a room that does not exist; a participant who has not accepted the current NDA sees only the
room's name, stage and NDA (403 ``deal_room.nda_required`` elsewhere).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from service.audit.service import append as audit
from service.auth.principal import Principal
from service.deal_rooms import policy
from service.deal_rooms.live.feed import publish_room_event
from service.deal_rooms.messages import MESSAGES
from service.deal_rooms.schemas import ParticipantCreate, RoomOpen
from service.errors import Conflict, Forbidden, NotFound
from service.models import (
    DealRoom,
    DealRoomNda,
    DealRoomNdaAcceptance,
    DealRoomParticipant,
    DealRoomStageMove,
    Membership,
    Project,
    User,
)
from service.models.base import utcnow
from service.models.deal_room import FINAL_STAGES, ParticipantStatus, RoomRole, RoomStage
from service.models.enums import ProjectStatus, Role
from service.notifications import NotificationKind, notify
from service.projects.service import ProjectService

#: Project statuses in which a room may be opened.
OPENABLE = frozenset({ProjectStatus.vetted, ProjectStatus.funding})
#: What a participant may do before accepting the current NDA.
UNGATED = frozenset({"read", "accept_nda", "leave"})
ACTIVE = ParticipantStatus.active.value


@dataclass(frozen=True)
class Seat:
    """The caller's place in a room: the room, its participation and whether it accepted the current NDA."""

    room: DealRoom
    me: DealRoomParticipant
    nda: DealRoomNda
    accepted: bool

    @property
    def role(self) -> RoomRole:
        return RoomRole(self.me.role)

    @property
    def stage(self) -> RoomStage:
        return RoomStage(self.room.stage)

    def allowed_moves(self) -> list[RoomStage]:
        return policy.moves_for(self.role, self.stage) if self.accepted else []

    def allowed_actions(self) -> list[str]:
        names = policy.actions_for(self.role, self.stage)
        if self.accepted:
            return [n for n in names if n != "accept_nda"]
        return [n for n in names if n in UNGATED]


class RoomService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    # ── finding the caller's seat ─────────────────────────────────────────────────────────────

    async def seat(self, room_id: uuid.UUID, *, lock: bool = False) -> Seat:
        query = select(DealRoom).where(DealRoom.id == room_id)
        room = (await self.session.execute(query.with_for_update() if lock else query)).scalar_one_or_none()
        me = None
        if room is not None:
            me = await self._active(room.id, self.principal.user_id)
        if room is None or me is None:
            raise MESSAGES.error(NotFound, "deal_room.not_found")
        nda = await self._current_nda(room.id)
        accepted = await self.session.scalar(
            select(func.count())
            .select_from(DealRoomNdaAcceptance)
            .where(DealRoomNdaAcceptance.nda_id == nda.id, DealRoomNdaAcceptance.user_id == self.principal.user_id)
        )
        return Seat(room, me, nda, bool(accepted))

    async def inside(self, room_id: uuid.UUID, action: str, *, lock: bool = False) -> Seat:
        """The caller's seat, past the NDA gate, allowed ``action`` in the room's stage (403 otherwise)."""
        seat = await self.seat(room_id, lock=lock)
        if not seat.accepted and action not in UNGATED:
            raise MESSAGES.error(Forbidden, "deal_room.nda_required", version=seat.nda.version)
        if not policy.may(seat.role, seat.stage, action):
            raise MESSAGES.error(
                Forbidden, "deal_room.action_not_allowed", role=seat.role.value, stage=seat.stage.value, action=action
            )
        return seat

    async def _active(self, room_id: uuid.UUID, user_id: uuid.UUID) -> DealRoomParticipant | None:
        return (
            await self.session.execute(
                select(DealRoomParticipant).where(
                    DealRoomParticipant.room_id == room_id,
                    DealRoomParticipant.user_id == user_id,
                    DealRoomParticipant.status == ACTIVE,
                )
            )
        ).scalar_one_or_none()

    async def _current_nda(self, room_id: uuid.UUID) -> DealRoomNda:
        query = select(DealRoomNda).where(DealRoomNda.room_id == room_id).order_by(DealRoomNda.version.desc())
        return (await self.session.execute(query.limit(1))).scalar_one()

    async def _audit(self, action: str, room_id: uuid.UUID, **payload: Any) -> None:
        await audit(
            self.session,
            actor_id=self.principal.user_id,
            action=f"deal_room.{action}",
            object_type="deal_room",
            object_id=room_id,
            payload={k: str(v) if isinstance(v, uuid.UUID) else v for k, v in payload.items()},
        )

    # ── rooms ───────────────────────────────────────────────────────────────────────────────────

    async def open(self, project_id: uuid.UUID, data: RoomOpen, ip: str) -> Seat:
        # A role guard would answer before the request checks (415 for a form body): checked here.
        self.principal.require_role(Role.project_lead)
        project = await ProjectService(self.session).get_visible(project_id, self.principal)
        if not self.principal.acts_for(project.organisation_id, Role.project_lead):
            raise MESSAGES.error(Forbidden, "deal_room.not_project_lead")
        # The project row's lock serialises openings: the second waits, then sees the first room.
        await self.session.execute(select(Project.id).where(Project.id == project.id).with_for_update())
        await self.session.refresh(project)
        if project.status not in OPENABLE:
            raise MESSAGES.error(Conflict, "deal_room.project_not_ready", status=project.status)
        if await self.open_room_of(project.id) is not None:
            raise MESSAGES.error(Conflict, "deal_room.already_open")
        room = DealRoom(
            project_id=project.id, name_ja=project.title_ja, name_en=project.title_en, opened_by=self.principal.user_id
        )
        self.session.add(room)
        await self.session.flush()
        me = DealRoomParticipant(
            room_id=room.id,
            user_id=self.principal.user_id,
            organisation_id=project.organisation_id,
            role=RoomRole.lead_team,
            added_by=self.principal.user_id,
        )
        self.session.add(me)
        await self._audit("opened", room.id, project_id=project.id)
        nda = await self._publish(room, data.nda_ja, data.nda_en, ip)
        return Seat(room, me, nda, True)

    async def open_room_of(self, project_id: uuid.UUID) -> DealRoom | None:
        return (
            await self.session.execute(
                select(DealRoom).where(DealRoom.project_id == project_id, DealRoom.stage.not_in(list(FINAL_STAGES)))  # type: ignore[attr-defined]
            )
        ).scalar_one_or_none()

    async def mine(self) -> list[Seat]:
        room_ids = (
            await self.session.scalars(
                select(DealRoomParticipant.room_id).where(
                    DealRoomParticipant.user_id == self.principal.user_id, DealRoomParticipant.status == ACTIVE
                )
            )
        ).all()
        seats = [await self.seat(rid) for rid in room_ids]
        return sorted(seats, key=lambda s: s.room.created_at, reverse=True)

    async def move(self, room_id: uuid.UUID, to: RoomStage, reason: str) -> DealRoomStageMove:
        # The room row's lock: of two moves at once, the second sees the first one's stage.
        seat = await self.inside(room_id, "read_history", lock=True)
        stage = seat.stage
        if (stage, to) not in policy.MOVES:
            raise MESSAGES.error(
                Conflict, "deal_room.move_not_allowed", stage=stage.value, to_stage=to.value, role=seat.role.value
            )
        if not policy.may_move(seat.role, stage, to):
            raise MESSAGES.error(
                Forbidden, "deal_room.move_not_allowed", stage=stage.value, to_stage=to.value, role=seat.role.value
            )
        record = DealRoomStageMove(
            room_id=room_id, from_stage=stage, to_stage=to, actor_id=self.principal.user_id, reason=reason
        )
        seat.room.stage = to
        seat.room.updated_at = utcnow()
        self.session.add_all([record, seat.room])
        await self.session.flush()
        await self._audit("stage_moved", room_id, from_stage=stage.value, to_stage=to.value, reason=reason)
        # The reason stays in the room (participants who have not accepted the NDA are told too).
        others = [uid for uid in await self._active_users(room_id) if uid != self.principal.user_id]
        params = {"from_stage": stage.value, "to_stage": to.value}
        await notify(self.session, others, NotificationKind.stage_changed, params, room_id=room_id)
        await publish_room_event(self.session, room_id, "stage", to.value)
        return record

    async def _active_users(self, room_id: uuid.UUID, *roles: RoomRole) -> list[uuid.UUID]:
        query = select(DealRoomParticipant.user_id).where(
            DealRoomParticipant.room_id == room_id, DealRoomParticipant.status == ACTIVE
        )
        if roles:
            query = query.where(DealRoomParticipant.role.in_([r.value for r in roles]))  # type: ignore[attr-defined]
        return list((await self.session.scalars(query.order_by(DealRoomParticipant.joined_at))).all())

    async def moves(self, room_id: uuid.UUID) -> Sequence[DealRoomStageMove]:
        await self.inside(room_id, "read_history")
        query = select(DealRoomStageMove).where(DealRoomStageMove.room_id == room_id)
        return (await self.session.scalars(query.order_by(DealRoomStageMove.at, DealRoomStageMove.id))).all()

    # ── participants ────────────────────────────────────────────────────────────────────────────

    async def participants(self, room_id: uuid.UUID) -> list[tuple[DealRoomParticipant, str]]:
        await self.inside(room_id, "list_participants")
        rows = await self.session.execute(
            select(DealRoomParticipant, User.display_name)
            .join(User, User.id == DealRoomParticipant.user_id)  # type: ignore[arg-type]
            .where(DealRoomParticipant.room_id == room_id)
            .order_by(DealRoomParticipant.joined_at, DealRoomParticipant.id)
        )
        return [(p, name) for p, name in rows.all()]

    async def invite(self, room_id: uuid.UUID, data: ParticipantCreate) -> DealRoomParticipant:
        seat = await self.inside(room_id, "invite")
        if await self.session.get(User, data.user_id) is None:
            raise MESSAGES.invalid("user_id", "deal_room.user_not_found")
        member = await self.session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.user_id == data.user_id, Membership.organisation_id == data.organisation_id)
        )
        if not member:
            raise MESSAGES.invalid("organisation_id", "deal_room.not_a_member")
        await self._check_observer(data.user_id, data.role)
        participant = await self._seat_user(seat.room, data.user_id, data.organisation_id, data.role, "invited")
        params = {"role": RoomRole(data.role).value, "inviter": self.principal.display_name}
        await notify(self.session, [data.user_id], NotificationKind.room_invitation, params, room_id=seat.room.id)
        return participant

    async def _check_observer(self, user_id: uuid.UUID, role: RoomRole | str) -> None:
        """``observer`` (who watches a deal without taking part in it) is for admins only."""
        if role != RoomRole.observer:
            return
        admin = await self.session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.user_id == user_id, Membership.role == Role.admin.value)
        )
        if not admin:
            raise MESSAGES.invalid("role", "deal_room.observer_admin_only")

    async def _seat_user(
        self, room: DealRoom, user_id: uuid.UUID, organisation_id: uuid.UUID, role: RoomRole | str, why: str
    ) -> DealRoomParticipant:
        if await self._active(room.id, user_id) is not None:
            raise MESSAGES.error(Conflict, "deal_room.already_participant")
        participant = DealRoomParticipant(
            room_id=room.id,
            user_id=user_id,
            organisation_id=organisation_id,
            role=role,
            added_by=self.principal.user_id,
        )
        self.session.add(participant)
        await self.session.flush()
        await self._audit(
            why,
            room.id,
            participant_id=participant.id,
            user_id=user_id,
            organisation_id=organisation_id,
            role=str(role),
        )
        return participant

    async def remove(self, room_id: uuid.UUID, participant_id: uuid.UUID) -> None:
        seat = await self.inside(room_id, "remove_participant", lock=True)
        target = await self.session.get(DealRoomParticipant, participant_id)
        if target is None or target.room_id != seat.room.id or target.status != ACTIVE:
            raise MESSAGES.error(NotFound, "deal_room.participant_not_found")
        await self._end(seat.room, target, ParticipantStatus.removed)

    async def leave(self, room_id: uuid.UUID) -> None:
        seat = await self.inside(room_id, "leave", lock=True)
        await self._end(seat.room, seat.me, ParticipantStatus.left)

    async def _end(self, room: DealRoom, target: DealRoomParticipant, status: ParticipantStatus) -> None:
        if target.role == RoomRole.lead_team:
            leads = await self.session.scalar(
                select(func.count())
                .select_from(DealRoomParticipant)
                .where(
                    DealRoomParticipant.room_id == room.id,
                    DealRoomParticipant.role == RoomRole.lead_team.value,
                    DealRoomParticipant.status == ACTIVE,
                )
            )
            if (leads or 0) <= 1:
                raise MESSAGES.error(Conflict, "deal_room.last_lead")
        target.status = status
        target.ended_at = utcnow()
        target.ended_by = self.principal.user_id
        self.session.add(target)
        await self.session.flush()
        await self._audit(status.value, room.id, participant_id=target.id, user_id=target.user_id)
        # Every replica closes the sockets of whoever no longer takes part.
        await publish_room_event(self.session, room.id, f"participant_{status.value}", str(target.id))

    # ── the NDA ─────────────────────────────────────────────────────────────────────────────────

    async def _publish(self, room: DealRoom, text_ja: str, text_en: str, ip: str) -> DealRoomNda:
        """A new NDA version (the room row is locked by the caller); whoever publishes it accepts it."""
        latest = await self.session.scalar(select(func.max(DealRoomNda.version)).where(DealRoomNda.room_id == room.id))
        nda = DealRoomNda(
            room_id=room.id,
            version=(latest or 0) + 1,
            text_ja=text_ja,
            text_en=text_en,
            published_by=self.principal.user_id,
        )
        self.session.add(nda)
        await self.session.flush()
        await self._audit("nda_published", room.id, version=nda.version)
        await publish_room_event(self.session, room.id, "nda_published", str(nda.version))
        await self._accept(nda, ip)
        return nda

    async def _accept(self, nda: DealRoomNda, ip: str) -> DealRoomNdaAcceptance:
        values = {"nda_id": nda.id, "room_id": nda.room_id, "version": nda.version, "ip": ip}
        inserted = await self.session.scalar(
            insert(DealRoomNdaAcceptance)
            .values(id=uuid.uuid4(), user_id=self.principal.user_id, accepted_at=utcnow(), **values)
            .on_conflict_do_nothing(constraint="uq_deal_room_nda_acceptance_nda_user")
            .returning(DealRoomNdaAcceptance.id)
        )
        accepted = (
            await self.session.execute(
                select(DealRoomNdaAcceptance).where(
                    DealRoomNdaAcceptance.nda_id == nda.id, DealRoomNdaAcceptance.user_id == self.principal.user_id
                )
            )
        ).scalar_one()
        if inserted is not None:  # accepting again keeps the first acceptance
            await self._audit("nda_accepted", nda.room_id, version=nda.version, ip=ip)
        return accepted
