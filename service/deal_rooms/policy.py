"""A deal room's state machine and who may do what in it — as data.

``MOVES`` lists every stage move with the room roles that may make it; ``ACTIONS`` lists what a
room role may do in which stages (the later data room, Q&A and chat add their actions here, e.g.
``upload_document`` in every stage before ``closed``). A room's read shows the caller the moves
and actions these tables allow it now.
"""

from __future__ import annotations

from itertools import pairwise

from service.models.deal_room import RoomRole, RoomStage

S, R = RoomStage, RoomRole

#: The deal's path; ``cancelled`` is reachable from any stage on it before ``closed``.
PATH: tuple[RoomStage, ...] = (S.open, S.nda, S.due_diligence, S.term_sheet, S.commitments, S.closing, S.closed)
#: Stages in which the room is live (its parts may change).
LIVE: frozenset[RoomStage] = frozenset(PATH[:-1])

LEAD = frozenset({R.lead_team})

#: (from, to) → room roles that may make the move.
MOVES: dict[tuple[RoomStage, RoomStage], frozenset[RoomRole]] = {
    **{(a, b): LEAD for a, b in pairwise(PATH)},
    # A term sheet that turns up something new sends the deal back to due diligence.
    (S.term_sheet, S.due_diligence): LEAD,
    **{(stage, S.cancelled): LEAD for stage in LIVE},
}

EVERY_ROLE = frozenset(RoomRole)
ALL_STAGES = frozenset(RoomStage)

#: action → (room roles, stages in which it is allowed).
ACTIONS: dict[str, tuple[frozenset[RoomRole], frozenset[RoomStage]]] = {
    "read": (EVERY_ROLE, ALL_STAGES),
    "accept_nda": (EVERY_ROLE, ALL_STAGES),
    "leave": (EVERY_ROLE, ALL_STAGES),  # the last lead-team member stays (service)
    "list_participants": (EVERY_ROLE, ALL_STAGES),
    "read_history": (EVERY_ROLE, ALL_STAGES),
    "invite": (LEAD, LIVE),
    "remove_participant": (LEAD, LIVE),
    "decide_access": (LEAD, LIVE),
    "publish_nda": (LEAD, LIVE),
    # Q&A (service/deal_rooms/qa): observers watch and read; what each caller sees is the service's.
    "ask_question": (EVERY_ROLE - {R.observer}, LIVE),
    "read_questions": (EVERY_ROLE, ALL_STAGES),
    "assign_question": (LEAD, LIVE),
    "answer_question": (LEAD, LIVE),
    "publish_faq": (LEAD, LIVE),
    "read_faq": (EVERY_ROLE, ALL_STAGES),
    # The data room (service/deal_rooms/documents): reading (folders, documents, views, downloads,
    # page beacons — each further limited by the group's folder rights) stays after ``closed``;
    # uploads, new versions, folder changes and permissions only while the room is live.
    "read_documents": (EVERY_ROLE, ALL_STAGES),
    "manage_documents": (LEAD, LIVE),
    "read_engagement": (LEAD, ALL_STAGES),
    "read_permissions": (LEAD, ALL_STAGES),
    # The live feed (service/deal_rooms/live): observers read, everyone else also writes.
    "read_messages": (EVERY_ROLE, ALL_STAGES),
    "send_message": (EVERY_ROLE - {R.observer}, LIVE),
}


def may_move(role: RoomRole, stage: RoomStage, to: RoomStage) -> bool:
    return role in MOVES.get((stage, to), frozenset())


def moves_for(role: RoomRole, stage: RoomStage) -> list[RoomStage]:
    return [to for (frm, to), roles in MOVES.items() if frm == stage and role in roles]


def may(role: RoomRole, stage: RoomStage, action: str) -> bool:
    roles, stages = ACTIONS[action]
    return role in roles and stage in stages


def actions_for(role: RoomRole, stage: RoomStage) -> list[str]:
    return [name for name in ACTIONS if may(role, stage, name)]
