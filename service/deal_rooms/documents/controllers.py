"""HTTP for the data room: thin — the room's gate, the folder rules and the stage rules are in the
services, which receive the caller. Uploads are multipart with one part, ``file``, as evidence
uploads are."""

from __future__ import annotations

import base64
import uuid
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Controller, Request, Response, Router, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.guards import requires_signed_in
from service.auth.principal import Principal
from service.claims.controllers import EvidenceUpload, _refuse_other_parts, _undecodable_part, signed_in_before_body
from service.claims.evidence import TooLarge
from service.deal_rooms.documents.analytics import EngagementService
from service.deal_rooms.documents.documents import DocumentService, Served
from service.deal_rooms.documents.messages import MESSAGES
from service.deal_rooms.documents.schemas import (
    AccessRead,
    DocumentEngagement,
    DocumentRead,
    FolderCreate,
    FolderRead,
    FolderUpdate,
    PageViewCreate,
    PageViewRead,
    ParticipantEngagement,
    PermissionSet,
    PermissionsRead,
    VersionRead,
)
from service.deal_rooms.documents.service import DataRoomService, Room
from service.deal_rooms.documents.storage import document_store
from service.models import DealRoomDocument, DealRoomDocumentVersion, DealRoomFolder
from service.models.deal_room_documents import AccessKind, AccessLevel
from service.pagination import Cursor, PageLimit, page_from_list
from service.settings import DOCUMENT_MAX_BYTES_CAP
from service.types import Page

#: Room for the multipart envelope around a file of the largest size a setting may allow.
_ENVELOPE = 256 * 1024
R = "/deal-rooms/{room_id:uuid}"
VersionQuery = Annotated[
    int | None, Parameter(ge=1, le=1_000_000, description="A version number; the current one when omitted")
]


def folder_read(room: Room, f: DealRoomFolder) -> FolderRead:
    return FolderRead(
        f.id, f.room_id, f.parent_id, f.name, room.path(f.id), room.level(f.id), f.created_at, f.updated_at
    )


def version_read(v: DealRoomDocumentVersion) -> VersionRead:
    return VersionRead(
        v.id, v.version, v.filename, v.media_type, v.size_bytes, v.sha256, v.page_count, v.uploaded_by, v.uploaded_at
    )


def document_read(d: DealRoomDocument, v: DealRoomDocumentVersion, level: AccessLevel) -> DocumentRead:
    return DocumentRead(
        d.id, d.room_id, d.folder_id, d.title, d.current_version, level, version_read(v), d.created_at, d.updated_at
    )


def _documents(db_session: AsyncSession, user: Principal, state: State) -> DocumentService:
    return DocumentService(db_session, user, document_store(state), state.settings.document_max_bytes)


async def upload_before_body(request: Request[Any, Any, Any]) -> None:
    """The caller and the media type (as for evidence), then the declared size against the setting,
    all before the body is read."""
    await signed_in_before_body(request)
    limit = request.app.state.settings.document_max_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + _ENVELOPE:
        raise MESSAGES.error(
            TooLarge,
            "deal_room_document.too_large",
            limit=limit,
            errors=[MESSAGES.field("file", "deal_room_document.too_large", limit=limit)],
        )


async def _file(request: Request[Any, Any, Any], data: EvidenceUpload) -> tuple[bytes, str | None]:
    if data.file is None:
        raise MESSAGES.invalid("file", "deal_room_document.missing_file")
    _refuse_other_parts(list((await request.form()).keys()))
    return await data.file.read(), data.file.filename


def _served(served: Served, disposition: str) -> Response[bytes]:
    version = served.version
    digest = base64.b64encode(bytes.fromhex(version.sha256)).decode()
    return Response(
        served.content,
        media_type=version.media_type,
        headers={
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(version.filename)}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
            # The stored file's digest: a watermarked PDF differs from it, any other file equals it.
            "X-Document-SHA256": version.sha256,
            "X-Document-Version": str(version.version),
            "X-Document-Watermarked": "true" if served.watermarked else "false",
            **({} if served.watermarked else {"Repr-Digest": f"sha-256=:{digest}:"}),
        },
    )


_UPLOAD = {
    "status_code": HTTP_201_CREATED,
    "request_max_body_size": DOCUMENT_MAX_BYTES_CAP + _ENVELOPE,
    "before_request": upload_before_body,
    "exception_handlers": {UnicodeDecodeError: _undecodable_part},
}


class FolderController(Controller):
    """Folders: everyone past the NDA sees those its group may see; the lead team changes them."""

    path = f"{R}/folders"
    guards = [requires_signed_in]

    @get("/", summary="The folders the caller may see, top-down by path")
    async def list_folders(
        self,
        room_id: uuid.UUID,
        db_session: AsyncSession,
        user: Principal,
        limit: PageLimit = 50,
        cursor: Cursor = None,
    ) -> Page[FolderRead]:
        room, folders = await DataRoomService(db_session, user).folders(room_id)
        return page_from_list([folder_read(room, f) for f in folders], limit=limit, cursor=cursor)

    @post("/", status_code=HTTP_201_CREATED, summary="Create a folder (lead team)", opt={"idempotent": True})
    async def create_folder(
        self, room_id: uuid.UUID, data: FolderCreate, db_session: AsyncSession, user: Principal
    ) -> FolderRead:
        room, folder = await DataRoomService(db_session, user).create_folder(room_id, data)
        return folder_read(room, folder)

    @get("/{folder_id:uuid}", summary="One folder with its path and the caller's level")
    async def get_folder(
        self, room_id: uuid.UUID, folder_id: uuid.UUID, db_session: AsyncSession, user: Principal
    ) -> FolderRead:
        room, folder = await DataRoomService(db_session, user).folder(room_id, folder_id)
        return folder_read(room, folder)

    @patch("/{folder_id:uuid}", summary="Rename and/or move a folder (lead team; never into itself)")
    async def update_folder(
        self, room_id: uuid.UUID, folder_id: uuid.UUID, data: FolderUpdate, db_session: AsyncSession, user: Principal
    ) -> FolderRead:
        room, folder = await DataRoomService(db_session, user).update_folder(room_id, folder_id, data)
        return folder_read(room, folder)

    @delete("/{folder_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Delete an empty folder (lead team)")
    async def delete_folder(
        self, room_id: uuid.UUID, folder_id: uuid.UUID, db_session: AsyncSession, user: Principal
    ) -> None:
        await DataRoomService(db_session, user).delete_folder(room_id, folder_id)

    @get(
        "/{folder_id:uuid}/permissions", summary="Each group's level on the folder and where it comes from (lead team)"
    )
    async def folder_permissions(
        self, room_id: uuid.UUID, folder_id: uuid.UUID, db_session: AsyncSession, user: Principal
    ) -> PermissionsRead:
        return await DataRoomService(db_session, user).folder_permissions(room_id, folder_id)

    @put(
        "/{folder_id:uuid}/permissions",
        summary="Set a group's level on the folder, or 'inherit' to follow the parent (lead team)",
    )
    async def set_folder_permission(
        self, room_id: uuid.UUID, folder_id: uuid.UUID, data: PermissionSet, db_session: AsyncSession, user: Principal
    ) -> PermissionsRead:
        return await DataRoomService(db_session, user).set_folder_permission(room_id, folder_id, data)

    @get("/{folder_id:uuid}/documents", summary="The documents in the folder the caller may see")
    async def list_documents(
        self,
        room_id: uuid.UUID,
        folder_id: uuid.UUID,
        db_session: AsyncSession,
        user: Principal,
        state: State,
        limit: PageLimit = 50,
        cursor: Cursor = None,
    ) -> Page[DocumentRead]:
        room, rows = await _documents(db_session, user, state).documents_in(room_id, folder_id)
        items = [document_read(d, v, room.document_level(d)) for d, v in rows]
        return page_from_list(items, limit=limit, cursor=cursor)

    @post(
        "/{folder_id:uuid}/documents",
        summary="Upload a document into the folder as multipart 'file' (lead team; size limit from settings)",
        **_UPLOAD,
    )
    async def upload(
        self,
        request: Request[Any, Any, Any],
        room_id: uuid.UUID,
        folder_id: uuid.UUID,
        data: Annotated[EvidenceUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        db_session: AsyncSession,
        user: Principal,
        state: State,
    ) -> DocumentRead:
        content, filename = await _file(request, data)
        document, version = await _documents(db_session, user, state).upload(room_id, folder_id, content, filename)
        return document_read(document, version, AccessLevel.download)


class DocumentController(Controller):
    """One document: its versions, viewing and downloading, beacons, permissions and its record."""

    path = f"{R}/documents/{{document_id:uuid}}"
    guards = [requires_signed_in]

    @get("/", summary="A document with its current version and the caller's level")
    async def get_document(
        self, room_id: uuid.UUID, document_id: uuid.UUID, db_session: AsyncSession, user: Principal, state: State
    ) -> DocumentRead:
        return document_read(*await _documents(db_session, user, state).document(room_id, document_id))

    @get("/versions", summary="The document's versions, newest first")
    async def list_versions(
        self,
        room_id: uuid.UUID,
        document_id: uuid.UUID,
        db_session: AsyncSession,
        user: Principal,
        state: State,
        limit: PageLimit = 50,
        cursor: Cursor = None,
    ) -> Page[VersionRead]:
        versions = await _documents(db_session, user, state).versions(room_id, document_id)
        return page_from_list([version_read(v) for v in versions], limit=limit, cursor=cursor)

    @post("/versions", summary="Replace the document with a new version as multipart 'file' (lead team)", **_UPLOAD)
    async def add_version(
        self,
        request: Request[Any, Any, Any],
        room_id: uuid.UUID,
        document_id: uuid.UUID,
        data: Annotated[EvidenceUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        db_session: AsyncSession,
        user: Principal,
        state: State,
    ) -> DocumentRead:
        content, filename = await _file(request, data)
        document, version = await _documents(db_session, user, state).add_version(
            room_id, document_id, content, filename
        )
        return document_read(document, version, AccessLevel.download)

    @get("/view", summary="The file for the viewer, inline (view needed; PDFs watermarked); recorded")
    async def view(
        self,
        room_id: uuid.UUID,
        document_id: uuid.UUID,
        db_session: AsyncSession,
        user: Principal,
        state: State,
        version: VersionQuery = None,
    ) -> Response[bytes]:
        served = await _documents(db_session, user, state).serve(room_id, document_id, version, AccessKind.view)
        return _served(served, "inline")

    @get("/download", summary="Download the file (download needed; PDFs watermarked, others unchanged); recorded")
    async def download(
        self,
        room_id: uuid.UUID,
        document_id: uuid.UUID,
        db_session: AsyncSession,
        user: Principal,
        state: State,
        version: VersionQuery = None,
    ) -> Response[bytes]:
        served = await _documents(db_session, user, state).serve(room_id, document_id, version, AccessKind.download)
        return _served(served, "attachment")

    @post("/page-views", status_code=HTTP_201_CREATED, summary="A viewer's beacon: seconds spent on a page")
    async def page_view(
        self,
        room_id: uuid.UUID,
        document_id: uuid.UUID,
        data: PageViewCreate,
        db_session: AsyncSession,
        user: Principal,
        state: State,
    ) -> PageViewRead:
        v = await _documents(db_session, user, state).page_view(room_id, document_id, data)
        return PageViewRead(v.id, v.document_id, v.version, v.page, v.seconds, v.at)

    @get("/permissions", summary="Each group's level on the document and where it comes from (lead team)")
    async def document_permissions(
        self, room_id: uuid.UUID, document_id: uuid.UUID, db_session: AsyncSession, user: Principal
    ) -> PermissionsRead:
        return await DataRoomService(db_session, user).document_permissions(room_id, document_id)

    @put("/permissions", summary="Set a group's level on the document, or 'inherit' (lead team)")
    async def set_document_permission(
        self,
        room_id: uuid.UUID,
        document_id: uuid.UUID,
        data: PermissionSet,
        db_session: AsyncSession,
        user: Principal,
    ) -> PermissionsRead:
        return await DataRoomService(db_session, user).set_document_permission(room_id, document_id, data)

    @get("/accesses", summary="Every view and download of the document, newest first (lead team)")
    async def list_accesses(
        self,
        room_id: uuid.UUID,
        document_id: uuid.UUID,
        db_session: AsyncSession,
        user: Principal,
        limit: PageLimit = 50,
        cursor: Cursor = None,
    ) -> Page[AccessRead]:
        items = await EngagementService(db_session, user).accesses(room_id, document_id)
        return page_from_list(items, limit=limit, cursor=cursor)


class EngagementController(Controller):
    path = f"{R}/engagement"
    guards = [requires_signed_in]

    @get("/participants", summary="Views, downloads, pages and seconds per participant (lead team)")
    async def by_participant(
        self,
        room_id: uuid.UUID,
        db_session: AsyncSession,
        user: Principal,
        limit: PageLimit = 50,
        cursor: Cursor = None,
    ) -> Page[ParticipantEngagement]:
        items = await EngagementService(db_session, user).by_participant(room_id)
        return page_from_list(items, limit=limit, cursor=cursor)

    @get("/documents", summary="Views, downloads, viewers, pages and seconds per document (lead team)")
    async def by_document(
        self,
        room_id: uuid.UUID,
        db_session: AsyncSession,
        user: Principal,
        limit: PageLimit = 50,
        cursor: Cursor = None,
    ) -> Page[DocumentEngagement]:
        items = await EngagementService(db_session, user).by_document(room_id)
        return page_from_list(items, limit=limit, cursor=cursor)


router = Router(
    path="/api/v1",
    route_handlers=[FolderController, DocumentController, EngagementController],
    tags=["deal room documents"],
)
