"""The one place a question's document reference is checked.

The data room's documents are built in another branch (table ``deal_room_documents``); until they
meet this one, a reference is checked for its shape only. At the merge, this function gains the
real rules — the document exists in this room and the asker may view it (folder permissions) —
and ``deal_room_question.document_id`` its foreign key.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from service.deal_rooms.qa.messages import MESSAGES
from service.deal_rooms.service import Seat


async def validate_document_reference(
    session: AsyncSession, seat: Seat, document_id: uuid.UUID | None, page: int | None
) -> None:
    """Refuse a reference the asker may not make (422 naming the field). Today: a page needs its
    document (the page's range, 1–100,000, is the request schema's)."""
    if page is not None and document_id is None:
        raise MESSAGES.invalid("page", "deal_room_qa.page_without_document")
