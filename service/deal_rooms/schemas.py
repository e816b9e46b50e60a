"""API shapes for deal rooms, their participants, access requests, stage moves and NDAs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from service.matching.schemas import ReasonRead
from service.models.deal_room import (
    AccessRequestSource,
    AccessRequestStatus,
    ParticipantStatus,
    RoomRole,
    RoomStage,
)
from service.types import NO_NUL, Reason

NdaText = Annotated[str, msgspec.Meta(min_length=1, max_length=50_000, pattern=NO_NUL)]
Note = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=NO_NUL)]
NdaVersion = Annotated[int, msgspec.Meta(ge=1, le=1_000_000)]


class RoomOpen(msgspec.Struct, forbid_unknown_fields=True):
    """Open the project's deal room with the first version of its NDA."""

    nda_ja: NdaText
    nda_en: NdaText


class RoomRead(msgspec.Struct):
    """What every participant sees, NDA accepted or not: name, stage, the current NDA version and
    what the caller may do now (``allowed_moves``, ``allowed_actions``)."""

    id: uuid.UUID
    project_id: uuid.UUID
    name_ja: str
    name_en: str
    stage: RoomStage
    nda_version: int
    my_role: RoomRole
    nda_accepted: bool
    allowed_moves: list[RoomStage]
    allowed_actions: list[str]
    created_at: datetime


class ParticipantCreate(msgspec.Struct, forbid_unknown_fields=True):
    user_id: uuid.UUID
    organisation_id: uuid.UUID
    role: RoomRole


class ParticipantRead(msgspec.Struct):
    id: uuid.UUID
    user_id: uuid.UUID
    display_name: str
    organisation_id: uuid.UUID
    role: RoomRole
    status: ParticipantStatus
    joined_at: datetime
    ended_at: datetime | None


class AccessRequestCreate(msgspec.Struct, forbid_unknown_fields=True):
    note: Note
    #: The organisation to take part for (one the caller acts for as investor or bank); by default
    #: the first such organisation.
    organisation_id: uuid.UUID | None = None
    #: ``match`` when asked from a match (``GET /investors/{id}/matches``): then ``investor_id``
    #: names the caller's investor profile the match was shown for, and the request keeps the
    #: match (score, reasons) as the server ranks it now.
    source: AccessRequestSource = AccessRequestSource.project
    investor_id: uuid.UUID | None = None


class MatchSnapshot(msgspec.Struct):
    """The match an access request was made from, as ranked when it was made."""

    investor_id: uuid.UUID | None
    score: float
    baseline: float
    reasons: list[ReasonRead]
    ranker: str
    model_version: str | None


class AccessRequestRead(msgspec.Struct):
    id: uuid.UUID
    room_id: uuid.UUID
    user_id: uuid.UUID
    organisation_id: uuid.UUID
    note: str
    status: AccessRequestStatus
    created_at: datetime
    decided_at: datetime | None
    reason: str | None
    source: AccessRequestSource = AccessRequestSource.project
    match: MatchSnapshot | None = None


class AccessDecision(msgspec.Struct, forbid_unknown_fields=True):
    decision: Literal["accept", "decline"]
    reason: Reason
    #: The room role an accepted requester gets.
    role: Literal["investor", "bank", "advisor", "observer"] = "investor"


class StageMoveCreate(msgspec.Struct, forbid_unknown_fields=True):
    to_stage: RoomStage
    reason: Reason


class StageMoveRead(msgspec.Struct):
    id: uuid.UUID
    from_stage: RoomStage
    to_stage: RoomStage
    actor_id: uuid.UUID
    reason: str
    at: datetime


class NdaCreate(msgspec.Struct, forbid_unknown_fields=True):
    text_ja: NdaText
    text_en: NdaText


class NdaRead(msgspec.Struct):
    version: int
    text_ja: str
    text_en: str
    published_at: datetime
    accepted: bool


class NdaAccept(msgspec.Struct, forbid_unknown_fields=True):
    """Accept exactly the version read (a newer one published meanwhile is refused with 409)."""

    version: NdaVersion


class NdaAcceptanceRead(msgspec.Struct):
    version: int
    user_id: uuid.UUID
    accepted_at: datetime
    ip: str
