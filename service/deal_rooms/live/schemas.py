"""API shapes of the live feed: the HTTP message and history shapes, and the WebSocket frames."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from service.types import NO_NUL

MessageBody = Annotated[str, msgspec.Meta(min_length=1, max_length=4000, pattern=NO_NUL)]
#: A row number in the room's feed; 0 means "nothing seen yet".
FeedId = Annotated[int, msgspec.Meta(ge=0, le=2**62)]
ClientId = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=NO_NUL)]


class MessageCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A chat message for the room (1–4,000 characters)."""

    body: MessageBody


class FeedItem(msgspec.Struct):
    """One row of the room's feed: a chat message (``kind`` ``chat``: ``body``, author) or a room
    event (``stage``, ``participant_removed``, ``participant_left``, ``nda_published``, Q&A kinds:
    ``ref`` names what changed). ``id`` numbers the room's rows 1, 2, 3… in commit order."""

    id: int
    kind: str
    body: str | None
    ref: str | None
    author_id: uuid.UUID | None
    author_name: str | None
    created_at: datetime


# ── WebSocket frames, client → server (JSON text frames, tagged by "type") ────────────────────


class Hello(msgspec.Struct, tag="hello", tag_field="type", forbid_unknown_fields=True):
    last_seen_id: FeedId = 0


class Send(msgspec.Struct, tag="send", tag_field="type", forbid_unknown_fields=True):
    body: MessageBody
    client_id: ClientId | None = None


class Ping(msgspec.Struct, tag="ping", tag_field="type", forbid_unknown_fields=True):
    pass


ClientFrame = Hello | Send | Ping


# ── server → client ──────────────────────────────────────────────────────────────────────────


class MessageFrame(msgspec.Struct, tag_field="type", tag="message"):
    id: int
    body: str | None
    author_id: uuid.UUID | None
    author_name: str | None
    created_at: datetime


class EventFrame(msgspec.Struct, tag_field="type", tag="event"):
    id: int
    kind: str
    ref: str | None
    created_at: datetime


class LiveFrame(msgspec.Struct, tag_field="type", tag="live"):
    """The backlog is complete: what follows arrives as it is committed."""

    last_id: int


class AckFrame(msgspec.Struct, tag_field="type", tag="ack"):
    id: int
    client_id: str | None


class PongFrame(msgspec.Struct, tag_field="type", tag="pong"):
    pass


class ErrorText(msgspec.Struct):
    ja: str
    en: str


class ErrorFrame(msgspec.Struct, tag_field="type", tag="error", omit_defaults=True):
    code: str
    status: int
    message: ErrorText
    client_id: str | None = None
    retry_after: int | None = None
    field: str | None = None
