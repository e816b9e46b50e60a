"""The one place a question's document reference is checked: the document is in this room, the
asker's group may view it (the data room's folder rights — a hidden document answers exactly as
an absent one), and a page lies within the current version's page count when that is known."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.deal_rooms.documents.permissions import at_least
from service.deal_rooms.documents.service import load_tree
from service.deal_rooms.qa.messages import MESSAGES
from service.deal_rooms.service import Seat
from service.models import DealRoomDocument, DealRoomDocumentVersion
from service.models.deal_room_documents import AccessLevel


async def validate_document_reference(
    session: AsyncSession, seat: Seat, document_id: uuid.UUID | None, page: int | None
) -> None:
    """Refuse a reference the asker may not make (422 naming the field; the page's range,
    1–100,000, is the request schema's)."""
    if document_id is None:
        if page is not None:
            raise MESSAGES.invalid("page", "deal_room_qa.page_without_document")
        return
    document = await session.get(DealRoomDocument, document_id)
    if document is None or document.room_id != seat.room.id:
        raise MESSAGES.invalid("document_id", "deal_room_qa.document_not_found")
    tree, _ = await load_tree(session, seat.room.id)
    if not at_least(tree.document_level(document.id, document.folder_id, seat.role.value), AccessLevel.view):
        raise MESSAGES.invalid("document_id", "deal_room_qa.document_not_found")
    if page is None:
        return
    pages = await session.scalar(
        select(DealRoomDocumentVersion.page_count).where(
            DealRoomDocumentVersion.document_id == document.id,
            DealRoomDocumentVersion.version == document.current_version,
        )
    )
    if pages is not None and page > pages:
        raise MESSAGES.invalid("page", "deal_room_qa.page_out_of_range", pages=pages)
