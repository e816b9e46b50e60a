"""Matches and deal rooms, both ways, without the matching domain importing deal rooms:

- :func:`match_snapshot` — one investor–project match as the server ranks it now, for an access
  request made from a match (deal rooms call it; the request keeps it as it was then);
- :func:`room_states` — per matched project, whether it has an open deal room and where the
  caller stands (read from the shared tables): the room's id only to its active participants.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.principal import Principal
from service.investors.service import owned_profile
from service.matching.records import investor_record, load_events
from service.matching.runtime import MatchingRuntime
from service.models import DealRoom, DealRoomAccessRequest, DealRoomParticipant
from service.models.deal_room import FINAL_STAGES, AccessRequestStatus, ParticipantStatus


class MatchRoom(msgspec.Struct):
    """The project's deal room as the caller may know it: ``open`` (the project has an open room;
    anyone may ask for access to it), ``room_id`` only when the caller takes part, ``participant``,
    and ``request`` — the caller's latest access request's status (``pending``, ``accepted``,
    ``declined``) or null."""

    open: bool
    participant: bool
    room_id: uuid.UUID | None
    request: AccessRequestStatus | None


async def match_snapshot(
    session: AsyncSession, runtime: MatchingRuntime, principal: Principal, profile_id: uuid.UUID, project_id: uuid.UUID
) -> dict[str, Any] | None:
    """The match of the caller's profile with the project (404 for a profile not the caller's);
    None when the served ranker does not rank that project."""
    profile = await owned_profile(session, principal, profile_id)
    served = await runtime.current(session)
    if served.ranker is None or str(project_id) not in served.ranker.project_index_:
        return None
    history = await load_events(session, investor_ids=[profile.id])
    match = served.ranker.explain(investor_record(profile), str(project_id), history=history)
    return {
        "score": match.score,
        "baseline": match.baseline,
        "reasons": [{"code": r.code, "ja": r.ja, "en": r.en, "contribution": r.contribution} for r in match.reasons],
        "ranker": served.kind,
        "model_version": served.model_version,
    }


async def room_states(
    session: AsyncSession, user_id: uuid.UUID, project_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, MatchRoom]:
    """Per project (open room or not), what ``user_id`` may know of its open deal room."""
    ids = list(project_ids)
    states = {pid: MatchRoom(open=False, participant=False, room_id=None, request=None) for pid in ids}
    if not ids:
        return states
    rooms = (
        await session.execute(
            select(DealRoom.id, DealRoom.project_id).where(
                DealRoom.project_id.in_(ids),  # type: ignore[attr-defined]
                DealRoom.stage.not_in([s.value for s in FINAL_STAGES]),  # type: ignore[attr-defined]
            )
        )
    ).all()
    by_room = {room_id: project_id for room_id, project_id in rooms}
    if not by_room:
        return states
    seated = set(
        (
            await session.scalars(
                select(DealRoomParticipant.room_id).where(
                    DealRoomParticipant.room_id.in_(list(by_room)),  # type: ignore[attr-defined]
                    DealRoomParticipant.user_id == user_id,
                    DealRoomParticipant.status == ParticipantStatus.active.value,
                )
            )
        ).all()
    )
    latest: dict[uuid.UUID, str] = {}
    requests = await session.execute(
        select(DealRoomAccessRequest.room_id, DealRoomAccessRequest.status)
        .where(DealRoomAccessRequest.room_id.in_(list(by_room)), DealRoomAccessRequest.user_id == user_id)  # type: ignore[attr-defined]
        .order_by(DealRoomAccessRequest.created_at)
    )
    for room_id, status in requests.all():
        latest[room_id] = status
    for room_id, project_id in by_room.items():
        status = latest.get(room_id)
        states[project_id] = MatchRoom(
            open=True,
            participant=room_id in seated,
            room_id=room_id if room_id in seated else None,
            request=AccessRequestStatus(status) if status is not None else None,
        )
    return states
