"""API shapes for notifications."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from service.notifications.kinds import NotificationKind


class Texts(msgspec.Struct):
    ja: str
    en: str


class NotificationRead(msgspec.Struct):
    """One notification of the caller: ``title`` is the line to show, ``text`` the longer text
    (both languages); ``params`` are what filled them (room name, stage codes, …)."""

    id: uuid.UUID
    kind: NotificationKind
    room_id: uuid.UUID | None
    title: Texts
    text: Texts
    params: dict[str, str]
    created_at: datetime
    read_at: datetime | None


class UnreadCount(msgspec.Struct):
    unread: int


class ReadAllResult(msgspec.Struct):
    """How many notifications this call marked read (those read before are left as they were)."""

    marked: int
