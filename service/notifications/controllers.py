"""HTTP for the caller's notifications: the list (``unread=true`` for the unread ones), the unread
count, and read marks. Every handler works on the caller's own rows only."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, Router, get, post
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.guards import requires_signed_in
from service.auth.principal import Principal
from service.models import Notification
from service.notifications.kinds import NotificationKind, render
from service.notifications.schemas import NotificationRead, ReadAllResult, Texts, UnreadCount
from service.notifications.service import NotificationService
from service.pagination import Cursor, PageLimit, offset_from, page_of
from service.types import Page


def notification_read(n: Notification) -> NotificationRead:
    title, text = render(n.kind, n.params)
    return NotificationRead(
        id=n.id,
        kind=NotificationKind(n.kind),
        room_id=n.room_id,
        title=Texts(title.ja, title.en),
        text=Texts(text.ja, text.en),
        params=dict(n.params),
        created_at=n.created_at,
        read_at=n.read_at,
    )


class NotificationController(Controller):
    path = "/notifications"
    guards = [requires_signed_in]

    @get("/", summary="The caller's notifications, newest first (unread=true: only the unread ones)")
    async def list_notifications(
        self,
        db_read: AsyncSession,
        user: Principal,
        unread: Annotated[bool, Parameter(description="true: only notifications not read yet")] = False,
        limit: PageLimit = 50,
        cursor: Cursor = None,
    ) -> Page[NotificationRead]:
        offset = offset_from(cursor)
        rows, total = await NotificationService(db_read, user.user_id).page(unread=unread, limit=limit, offset=offset)
        return page_of([notification_read(n) for n in rows], total=total, limit=limit, offset=offset)

    @get("/unread-count", summary="How many of the caller's notifications are unread")
    async def unread_count(self, db_read: AsyncSession, user: Principal) -> UnreadCount:
        return UnreadCount(await NotificationService(db_read, user.user_id).unread_count())

    @post("/{notification_id:uuid}/read", status_code=200, summary="Mark one of the caller's notifications read")
    async def mark_read(
        self, notification_id: uuid.UUID, db_session: AsyncSession, user: Principal
    ) -> NotificationRead:
        return notification_read(await NotificationService(db_session, user.user_id).mark_read(notification_id))

    @post("/read-all", status_code=200, summary="Mark all of the caller's notifications read")
    async def mark_all_read(self, db_session: AsyncSession, user: Principal) -> ReadAllResult:
        return ReadAllResult(await NotificationService(db_session, user.user_id).mark_all_read())


router = Router(path="/api/v1", route_handlers=[NotificationController], tags=["notifications"])
