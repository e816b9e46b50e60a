"""Writing notifications (:func:`notify`, in the caller's transaction) and the recipient's own
list, unread count and read marks (:class:`NotificationService`).

    await notify(session, [invitee_id], "room_invitation", {"role": "bank", "inviter": name}, room_id=room.id)

One row per distinct recipient; with mail configured (the app puts :data:`MAIL_INFO_KEY` in the
session's ``info``), also one mail per recipient through the outbox — sent by the drainer after
commit, so a rolled-back request sends nothing, and once. A mail goes only to an address that
was verified and can receive mail: never to the synthetic ``…@oidc.invalid`` address an OIDC
sign-in gets (the reserved ``.invalid`` domain), nor to an inactive account.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from service.errors import NotFound
from service.models import DealRoom, Notification, User
from service.models.base import utcnow
from service.notifications.kinds import NotificationKind, render
from service.notifications.messages import MESSAGES
from service.outbox import MAIL, enqueue, mail_payload

#: ``session.info[MAIL_INFO_KEY]`` = the site's public URL: notification mails are queued. Absent
#: (no SMTP server configured), notifications stay in-app.
MAIL_INFO_KEY = "kyoso.notification_mail"


def mail_address(user: User) -> str | None:
    """Where a user's notification mail may go, or None: a verified, deliverable address."""
    if not user.is_active or user.email_verified_at is None:
        return None
    domain = user.email.rpartition("@")[2].lower().rstrip(".")
    if domain == "invalid" or domain.endswith(".invalid"):  # RFC 2606: never delivered
        return None
    return user.email


def _mail(notification: Notification, to: str, link: str) -> dict[str, Any]:
    title, text = render(notification.kind, notification.params)
    subject = MESSAGES.text("notification.mail.subject", title=title)
    body = MESSAGES.text("notification.mail.body", text=text, link=link)
    payload = mail_payload(to=to, subject=f"{subject.ja} / {title.en}", text=f"{body.ja}\n\n----\n\n{body.en}")
    payload["notification_id"] = str(notification.id)
    return payload


async def notify(
    session: AsyncSession,
    user_ids: Iterable[uuid.UUID],
    kind: NotificationKind | str,
    params: Mapping[str, object],
    *,
    room_id: uuid.UUID | None = None,
) -> None:
    """Notify each distinct user of ``user_ids`` of ``kind`` in ``session``'s transaction.

    ``params`` fill the kind's texts (values become strings); with ``room_id`` the room's name
    fills ``{room}``. A kind or parameter the catalogue does not know is a ValueError (a bug)."""
    recipients = list(dict.fromkeys(user_ids))
    if not recipients:
        return
    kind = NotificationKind(kind)
    values = {k: str(v) for k, v in params.items()}
    if room_id is not None:
        room = await session.get(DealRoom, room_id)
        if room is None:
            raise ValueError(f"no deal room {room_id}")
        values = {"room_ja": room.name_ja, "room_en": room.name_en, **values}
    render(kind, values)  # every placeholder filled, before anything is written
    rows = [Notification(user_id=uid, kind=kind.value, room_id=room_id, params=values) for uid in recipients]
    session.add_all(rows)
    await session.flush()
    link = session.info.get(MAIL_INFO_KEY)
    if link is None:
        return
    query = select(User).where(User.id.in_(recipients))  # type: ignore[attr-defined]
    users = {u.id: u for u in (await session.scalars(query)).all()}
    for row in rows:
        user = users.get(row.user_id)
        to = mail_address(user) if user is not None else None
        if to is not None:
            await enqueue(session, MAIL, _mail(row, to, str(link)))


class NotificationService:
    """The caller's own notifications; another user's id is unknown (404)."""

    def __init__(self, session: AsyncSession, user_id: uuid.UUID) -> None:
        self.session = session
        self.user_id = user_id

    def _mine(self, *, unread: bool = False) -> list[Any]:
        clauses: list[Any] = [Notification.user_id == self.user_id]
        if unread:
            clauses.append(Notification.read_at.is_(None))  # type: ignore[union-attr]
        return clauses

    async def page(self, *, unread: bool, limit: int, offset: int) -> tuple[Sequence[Notification], int]:
        clauses = self._mine(unread=unread)
        total = await self.session.scalar(select(func.count()).select_from(Notification).where(*clauses))
        rows = await self.session.scalars(
            select(Notification)
            .where(*clauses)
            .order_by(Notification.created_at.desc(), Notification.id.desc())  # type: ignore[attr-defined]
            .offset(offset)
            .limit(limit)
        )
        return rows.all(), int(total or 0)

    async def unread_count(self) -> int:
        count = await self.session.scalar(
            select(func.count()).select_from(Notification).where(*self._mine(unread=True))
        )
        return int(count or 0)

    async def mark_read(self, notification_id: uuid.UUID) -> Notification:
        """Read now, or when first read: marking again changes nothing."""
        found = (
            await self.session.execute(
                select(Notification).where(Notification.id == notification_id, *self._mine()).with_for_update()
            )
        ).scalar_one_or_none()
        if found is None:
            raise MESSAGES.error(NotFound, "notification.not_found")
        if found.read_at is None:
            found.read_at = utcnow()
            self.session.add(found)
            await self.session.flush()
        return found

    async def mark_all_read(self) -> int:
        result = await self.session.execute(
            update(Notification).where(*self._mine(unread=True)).values(read_at=utcnow())
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
