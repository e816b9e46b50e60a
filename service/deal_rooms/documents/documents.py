"""Documents and their versions: upload, replace with a new version, history, viewing and
downloading (PDFs watermarked for the caller), and page-view beacons — each view and download
recorded per participant.

A failed upload leaves nothing: every check runs before the file is stored, and a file the request
stored is removed again when its transaction rolls back (:func:`storage.stage`).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import anyio.to_thread
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.principal import Principal
from service.claims.service import EvidenceUnavailable
from service.deal_rooms.documents.analytics import document_audience
from service.deal_rooms.documents.files import check_document
from service.deal_rooms.documents.messages import MESSAGES
from service.deal_rooms.documents.permissions import at_least
from service.deal_rooms.documents.schemas import PageViewCreate
from service.deal_rooms.documents.service import DataRoomService, Room
from service.deal_rooms.documents.storage import DocumentStore, stage
from service.deal_rooms.documents.watermark import UnreadablePdf, page_count, watermark_pdf
from service.errors import Forbidden, InvalidInput, NotFound
from service.models import (
    DealRoomDocument,
    DealRoomDocumentAccess,
    DealRoomDocumentVersion,
    DealRoomPageView,
    Organisation,
    User,
)
from service.models.base import utcnow
from service.models.deal_room_documents import AccessKind, AccessLevel
from service.notifications import notify

PDF = "application/pdf"
TOKYO = ZoneInfo("Asia/Tokyo")


@dataclass(frozen=True)
class Served:
    """A version's bytes as served to the caller, and how it was recorded."""

    version: DealRoomDocumentVersion
    content: bytes
    watermarked: bool
    access: DealRoomDocumentAccess


def watermark_label(name: str, organisation: str, at: datetime) -> str:
    stamp = at.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M JST")
    return MESSAGES.text("deal_room_document.watermark", name=name, organisation=organisation, time=stamp).ja


class DocumentService(DataRoomService):
    def __init__(self, session: AsyncSession, principal: Principal, store: DocumentStore, max_bytes: int) -> None:
        super().__init__(session, principal)
        self.store = store
        self.max_bytes = max_bytes

    # ── reading ─────────────────────────────────────────────────────────────────────────────────

    async def documents_in(
        self, room_id: uuid.UUID, folder_id: uuid.UUID
    ) -> tuple[Room, list[tuple[DealRoomDocument, DealRoomDocumentVersion]]]:
        room = await self.room(room_id)
        self._folder(room, folder_id)
        rows = await self.session.execute(
            select(DealRoomDocument, DealRoomDocumentVersion)
            .join(DealRoomDocumentVersion, DealRoomDocumentVersion.document_id == DealRoomDocument.id)  # type: ignore[arg-type]
            .where(
                DealRoomDocument.folder_id == folder_id,
                DealRoomDocumentVersion.version == DealRoomDocument.current_version,
            )
            .order_by(DealRoomDocument.title, DealRoomDocument.id)
        )
        visible = [(d, v) for d, v in rows.all() if at_least(room.document_level(d), AccessLevel.view)]
        return room, visible

    async def document(
        self, room_id: uuid.UUID, document_id: uuid.UUID
    ) -> tuple[DealRoomDocument, DealRoomDocumentVersion, AccessLevel]:
        room = await self.room(room_id)
        document, level = await self._document(room, document_id)
        return document, await self._version(document, None), level

    async def versions(self, room_id: uuid.UUID, document_id: uuid.UUID) -> Sequence[DealRoomDocumentVersion]:
        room = await self.room(room_id)
        document, _ = await self._document(room, document_id)
        query = select(DealRoomDocumentVersion).where(DealRoomDocumentVersion.document_id == document.id)
        return (await self.session.scalars(query.order_by(DealRoomDocumentVersion.version.desc()))).all()  # type: ignore[attr-defined]

    async def _version(self, document: DealRoomDocument, number: int | None) -> DealRoomDocumentVersion:
        wanted = document.current_version if number is None else number
        version = (
            await self.session.execute(
                select(DealRoomDocumentVersion).where(
                    DealRoomDocumentVersion.document_id == document.id, DealRoomDocumentVersion.version == wanted
                )
            )
        ).scalar_one_or_none()
        if version is None:
            raise MESSAGES.error(NotFound, "deal_room_document.version_not_found", version=wanted)
        return version

    # ── uploading ───────────────────────────────────────────────────────────────────────────────

    async def _checked(self, data: bytes, filename: str | None) -> tuple[str, str, int | None]:
        media_type, name = check_document(data, filename, self.max_bytes)
        pages = None
        if media_type == PDF:
            # A PDF must be one the watermark can be drawn on, or it could never be downloaded.
            pages = await anyio.to_thread.run_sync(page_count, data)
            if pages is None:
                raise MESSAGES.invalid("file", "deal_room_document.unreadable_pdf")
        return media_type, name, pages

    async def _add_version(
        self, document: DealRoomDocument, number: int, data: bytes, media_type: str, name: str, pages: int | None
    ) -> DealRoomDocumentVersion:
        digest = hashlib.sha256(data).hexdigest()
        version = DealRoomDocumentVersion(
            document_id=document.id,
            version=number,
            filename=name,
            media_type=media_type,
            size_bytes=len(data),
            sha256=digest,
            storage_key=digest,
            page_count=pages,
            uploaded_by=self.principal.user_id,
        )
        self.session.add(version)
        await self.session.flush()
        return version

    async def upload(
        self, room_id: uuid.UUID, folder_id: uuid.UUID, data: bytes, filename: str | None
    ) -> tuple[DealRoomDocument, DealRoomDocumentVersion]:
        room = await self.room(room_id, "manage_documents")
        folder = self._folder(room, folder_id)
        media_type, name, pages = await self._checked(data, filename)
        document = DealRoomDocument(
            room_id=room_id, folder_id=folder.id, title=name, current_version=1, created_by=self.principal.user_id
        )
        self.session.add(document)
        await self.session.flush()
        version = await self._add_version(document, 1, data, media_type, name, pages)
        await self._room_audit(
            "document_uploaded",
            room_id,
            document_id=document.id,
            folder_id=folder.id,
            version=1,
            sha256=version.sha256,
            size_bytes=version.size_bytes,
            media_type=media_type,
        )
        await stage(self.session, self.store, data)
        await self._tell_audience(document)
        return document, version

    async def add_version(
        self, room_id: uuid.UUID, document_id: uuid.UUID, data: bytes, filename: str | None
    ) -> tuple[DealRoomDocument, DealRoomDocumentVersion]:
        """A new version of the document (the lead team; the live stages). Serialised on the
        document row, so two at once become versions n+1 and n+2."""
        room = await self.room(room_id, "manage_documents")
        document, _ = await self._document(room, document_id)
        media_type, name, pages = await self._checked(data, filename)
        await self.session.refresh(document, with_for_update=True)
        number = document.current_version + 1
        version = await self._add_version(document, number, data, media_type, name, pages)
        document.current_version = number
        document.updated_at = utcnow()
        self.session.add(document)
        await self.session.flush()
        await self._room_audit(
            "document_version_added",
            room_id,
            document_id=document.id,
            version=number,
            sha256=version.sha256,
            size_bytes=version.size_bytes,
            media_type=media_type,
        )
        await stage(self.session, self.store, data)
        await self._tell_audience(document)
        return document, version

    async def _tell_audience(self, document: DealRoomDocument) -> None:
        """Notify whoever may view the document now (the uploader aside) of its new version."""
        audience = [u for u in await document_audience(self.session, document.id) if u != self.principal.user_id]
        await notify(self.session, audience, "document_version", {"document": document.title}, room_id=document.room_id)

    # ── viewing and downloading ───────────────────────────────────────────────────────────────

    async def serve(self, room_id: uuid.UUID, document_id: uuid.UUID, number: int | None, kind: AccessKind) -> Served:
        """The version's bytes for a view (``view`` needed) or a download (``download`` needed);
        PDFs carry the caller's watermark. Recorded for the lead's engagement figures."""
        room = await self.room(room_id)
        document, level = await self._document(room, document_id)
        if kind == AccessKind.download and level != AccessLevel.download:
            raise MESSAGES.error(Forbidden, "deal_room_document.no_download")
        version = await self._version(document, number)
        try:
            content = await anyio.to_thread.run_sync(self.store.get, version.storage_key)
        except FileNotFoundError:
            content = b""
        if hashlib.sha256(content).hexdigest() != version.sha256:
            raise MESSAGES.error(EvidenceUnavailable, "deal_room_document.integrity_failed")
        at = utcnow()
        watermarked = version.media_type == PDF
        if watermarked:
            label = await self._label(room, at)
            try:
                content = await anyio.to_thread.run_sync(watermark_pdf, content, label)
            except UnreadablePdf:
                raise MESSAGES.error(EvidenceUnavailable, "deal_room_document.unreadable_pdf") from None
        access = DealRoomDocumentAccess(
            room_id=room_id,
            document_id=document.id,
            version_id=version.id,
            version=version.version,
            participant_id=room.seat.me.id,
            user_id=self.principal.user_id,
            kind=kind,
            watermarked=watermarked,
            at=at,
        )
        self.session.add(access)
        await self.session.flush()
        return Served(version, content, watermarked, access)

    async def _label(self, room: Room, at: datetime) -> str:
        name = await self.session.scalar(select(User.display_name).where(User.id == self.principal.user_id))
        organisation = await self.session.scalar(
            select(Organisation.name_ja).where(Organisation.id == room.seat.me.organisation_id)
        )
        return watermark_label(name or "", organisation or "", at)

    async def page_view(self, room_id: uuid.UUID, document_id: uuid.UUID, data: PageViewCreate) -> DealRoomPageView:
        room = await self.room(room_id)
        document, _ = await self._document(room, document_id)
        try:
            version = await self._version(document, data.version)
        except NotFound:
            raise MESSAGES.field_error(
                InvalidInput, "version", "deal_room_document.version_not_found", version=data.version
            ) from None
        if version.page_count is not None and data.page > version.page_count:
            raise MESSAGES.invalid("page", "deal_room_document.page_out_of_range", pages=version.page_count)
        view = DealRoomPageView(
            room_id=room_id,
            document_id=document.id,
            version=version.version,
            participant_id=room.seat.me.id,
            user_id=self.principal.user_id,
            page=data.page,
            seconds=data.seconds,
        )
        self.session.add(view)
        await self.session.flush()
        return view
