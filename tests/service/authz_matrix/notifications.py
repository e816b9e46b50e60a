"""Arrangement for the notification rows of the authorization matrix: before each request the
caller and another user (the world's spare user) each get a notification, so a row can show
that the caller reaches its own and never the other's."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from service.models import Notification
from service.notifications import notify
from tests.service.authz_matrix.rows import NOTIFICATION_ROWS
from tests.service.conftest import World

NOTIFICATION_PATHS = frozenset(row.path for row in NOTIFICATION_ROWS)
PARAMS = {"room_ja": "テストルーム", "room_en": "Test room", "from_stage": "open", "to_stage": "nda"}


async def _notification_of(db: Any, user_id: uuid.UUID) -> uuid.UUID:
    await notify(db, [user_id], "stage_changed", PARAMS)
    await db.commit()
    found = await db.scalar(
        select(Notification.id).where(Notification.user_id == user_id).order_by(Notification.created_at.desc())
    )
    assert found is not None
    return uuid.UUID(str(found))


async def request(client: Any, db: Any, world: World, method: str, path: str, target: str, caller: str) -> Any:
    """Send the row's request as ``caller``; afterwards the other user's notification is unread."""
    other = await _notification_of(db, world.spare_user)
    own = await _notification_of(db, world.actors[caller].user.id) if caller != "anonymous" else uuid.uuid4()
    chosen = {"own": own, "other": other}.get(target, uuid.uuid4())
    response = await client.request(method, path.format(notification_id=chosen), headers=world.headers(caller))
    still_unread = await db.scalar(select(Notification.read_at).where(Notification.id == other))
    assert still_unread is None, "a caller marked another user's notification read"
    return response
