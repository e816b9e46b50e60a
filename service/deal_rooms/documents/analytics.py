"""What the lead team learns from the data room: every view and download of a document, and
engagement per participant and per document (views, downloads, pages viewed, seconds). Also
:func:`document_audience`: who may view a document now (for notifications of a new version)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.deal_rooms.documents.permissions import at_least
from service.deal_rooms.documents.schemas import AccessRead, DocumentEngagement, ParticipantEngagement
from service.deal_rooms.documents.service import DataRoomService, load_tree
from service.models import (
    DealRoomDocument,
    DealRoomDocumentAccess,
    DealRoomNda,
    DealRoomNdaAcceptance,
    DealRoomPageView,
    DealRoomParticipant,
    User,
)
from service.models.deal_room import ParticipantStatus
from service.models.deal_room_documents import AccessKind, AccessLevel


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    return max((x for x in (a, b) if x is not None), default=None)


class EngagementService(DataRoomService):
    async def accesses(self, room_id: uuid.UUID, document_id: uuid.UUID) -> list[AccessRead]:
        """Every view and download of the document, newest first (the lead team)."""
        room = await self.room(room_id, "read_engagement")
        document, _ = await self._document(room, document_id)
        rows = await self.session.execute(
            select(DealRoomDocumentAccess, User.display_name)
            .join(User, User.id == DealRoomDocumentAccess.user_id)  # type: ignore[arg-type]
            .where(DealRoomDocumentAccess.document_id == document.id)
            .order_by(DealRoomDocumentAccess.at.desc(), DealRoomDocumentAccess.id)  # type: ignore[attr-defined]
        )
        return [
            AccessRead(a.id, a.document_id, a.version, a.participant_id, a.user_id, name, a.kind, a.watermarked, a.at)  # type: ignore[arg-type]
            for a, name in rows.all()
        ]

    async def _counts(self, room_id: uuid.UUID, key: Any) -> dict[Any, dict[str, Any]]:
        """Views, downloads, documents/participants, pages and seconds grouped by ``key`` (a column
        name shared by the access and page-view tables)."""
        stats: dict[Any, dict[str, Any]] = defaultdict(
            lambda: {"views": 0, "downloads": 0, "pages": 0, "seconds": 0.0, "last": None, "others": set()}
        )
        other = "document_id" if key == "participant_id" else "participant_id"
        access = await self.session.execute(
            select(
                getattr(DealRoomDocumentAccess, key),
                getattr(DealRoomDocumentAccess, other),
                DealRoomDocumentAccess.kind,
                func.count(),
                func.max(DealRoomDocumentAccess.at),
            )
            .where(DealRoomDocumentAccess.room_id == room_id)
            .group_by(
                getattr(DealRoomDocumentAccess, key),
                getattr(DealRoomDocumentAccess, other),
                DealRoomDocumentAccess.kind,
            )
        )
        for k, o, kind, count, last in access.all():
            entry = stats[k]
            entry["views" if kind == AccessKind.view else "downloads"] += count
            entry["last"] = _later(entry["last"], last)
            entry["others"].add(o)
        pages = await self.session.execute(
            select(
                getattr(DealRoomPageView, key),
                getattr(DealRoomPageView, other),
                func.count(func.distinct(func.concat(DealRoomPageView.version, ":", DealRoomPageView.page))),
                func.sum(DealRoomPageView.seconds),
                func.max(DealRoomPageView.at),
            )
            .where(DealRoomPageView.room_id == room_id)
            .group_by(getattr(DealRoomPageView, key), getattr(DealRoomPageView, other))
        )
        for k, o, distinct_pages, seconds, last in pages.all():
            entry = stats[k]
            entry["pages"] += distinct_pages
            entry["seconds"] += float(seconds or 0)
            entry["last"] = _later(entry["last"], last)
            entry["others"].add(o)
        return stats

    async def by_participant(self, room_id: uuid.UUID) -> list[ParticipantEngagement]:
        """Every participant, present and past, in the order they joined."""
        await self.room(room_id, "read_engagement")
        stats = await self._counts(room_id, "participant_id")
        rows = await self.session.execute(
            select(DealRoomParticipant, User.display_name)
            .join(User, User.id == DealRoomParticipant.user_id)  # type: ignore[arg-type]
            .where(DealRoomParticipant.room_id == room_id)
            .order_by(DealRoomParticipant.joined_at, DealRoomParticipant.id)
        )
        items = []
        for p, name in rows.all():
            s = stats.get(p.id) or {"views": 0, "downloads": 0, "pages": 0, "seconds": 0.0, "last": None, "others": ()}
            items.append(
                ParticipantEngagement(
                    p.id,
                    p.user_id,
                    name,
                    p.organisation_id,
                    p.role,
                    s["views"],
                    s["downloads"],
                    len(s["others"]),
                    s["pages"],
                    round(s["seconds"], 3),
                    s["last"],
                )
            )
        return items

    async def by_document(self, room_id: uuid.UUID) -> list[DocumentEngagement]:
        """Every document of the room, by title."""
        await self.room(room_id, "read_engagement")
        stats = await self._counts(room_id, "document_id")
        documents = await self.session.scalars(
            select(DealRoomDocument)
            .where(DealRoomDocument.room_id == room_id)
            .order_by(DealRoomDocument.title, DealRoomDocument.id)
        )
        items = []
        for d in documents.all():
            s = stats.get(d.id) or {"views": 0, "downloads": 0, "pages": 0, "seconds": 0.0, "last": None, "others": ()}
            items.append(
                DocumentEngagement(
                    d.id,
                    d.folder_id,
                    d.title,
                    s["views"],
                    s["downloads"],
                    len(s["others"]),
                    s["pages"],
                    round(s["seconds"], 3),
                    s["last"],
                )
            )
        return items


async def document_audience(session: AsyncSession, document_id: uuid.UUID) -> list[uuid.UUID]:
    """The users who may view the document now: the room's active participants who accepted its
    current NDA and whose group has at least ``view`` on it (the lead team always). Sorted.

    Call it from the upload path to notify a new version, e.g. after
    :meth:`DocumentService.add_version`: ``notify("document.new_version", users=await
    document_audience(session, document.id), ...)``.
    """
    document = await session.get(DealRoomDocument, document_id)
    if document is None:
        return []
    tree, _ = await load_tree(session, document.room_id)
    current = (
        select(DealRoomNda.id)
        .where(DealRoomNda.room_id == document.room_id)
        .order_by(DealRoomNda.version.desc())  # type: ignore[attr-defined]
        .limit(1)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(DealRoomParticipant.user_id, DealRoomParticipant.role)
        .join(
            DealRoomNdaAcceptance,
            (DealRoomNdaAcceptance.user_id == DealRoomParticipant.user_id)  # type: ignore[arg-type]
            & (DealRoomNdaAcceptance.nda_id == current),
        )
        .where(
            DealRoomParticipant.room_id == document.room_id,
            DealRoomParticipant.status == ParticipantStatus.active.value,
        )
    )
    return sorted(
        user_id
        for user_id, role in rows.all()
        if at_least(tree.document_level(document.id, document.folder_id, role), AccessLevel.view)
    )
