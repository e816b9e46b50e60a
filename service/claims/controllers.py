"""HTTP for impact claims: submit, evidence upload/download, review decisions, resubmit, contest."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

import msgspec
from litestar import Controller, Request, Response, Router, get, post
from litestar.datastructures import State, UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException, ValidationException
from litestar.params import Body
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.guards import requires_admin
from service.auth.principal import Principal, provide_principal, resolve_principal
from service.claims.evidence import MAX_EVIDENCE_BYTES
from service.claims.messages import MESSAGES
from service.claims.schemas import (
    ClaimCreate,
    ClaimDecisionCreate,
    ClaimRead,
    ClaimReason,
    ClaimSummary,
    EvidenceRead,
)
from service.claims.service import ClaimService, claim_view
from service.claims.storage import EvidenceStore, LocalEvidenceStore
from service.common_messages import COMMON
from service.errors import Unauthenticated, UnsupportedMediaType, http_error_handler
from service.models import ClaimStatus, EvidenceFile, ImpactClaim, ImpactClaimEvent
from service.pagination import Cursor, PageLimit, offset_from, page_from_list, page_of
from service.request_checks import check_query
from service.types import Page

#: Room for the multipart envelope around a file of the maximum size; beyond it Litestar answers 413.
_UPLOAD_LIMIT = MAX_EVIDENCE_BYTES + 256 * 1024


def evidence_store(state: State) -> EvidenceStore:
    """The app's evidence store: ``state.evidence_store`` when set (e.g. object storage), else disk."""
    store: EvidenceStore | None = state.get("evidence_store")
    if store is None:
        store = LocalEvidenceStore(state.settings.data_dir / "evidence")
        state.evidence_store = store
    return store


@dataclass
class EvidenceUpload:
    """The multipart body of an evidence upload: one part named ``file``, and nothing else.

    Other parts beside the file are refused (400 naming each), as unknown JSON fields are: a client
    that sends a second file or a note learns at once that it is not stored, instead of
    believing it was. (``None`` only lets the handler answer a missing file with a 422.)
    """

    file: UploadFile | None = None


def _refuse_other_parts(names: list[str]) -> None:
    others = sorted({name for name in names if name != "file"})
    if others:
        raise ValidationException(
            "unknown multipart parts",
            extra=[{"message": f"Object contains unknown field `{name}`"} for name in others],
        )


def _undecodable_part(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A text part (one without a filename) that is not UTF-8 cannot be read: 400, not a 500."""
    return http_error_handler(request, ClientException(detail="a multipart text part is not valid UTF-8"))


async def signed_in_before_body(request: Request[Any, Any, Any]) -> None:
    """``before_request`` of the upload: who calls is settled before the body is read, so an
    anonymous caller cannot make the server parse a 10 MB multipart body (or a broken one)."""
    await check_query(request)
    await resolve_principal(request)
    if await provide_principal(request) is None:
        raise COMMON.error(Unauthenticated, "auth.unauthenticated")
    if request.content_type[0] != RequestEncodingType.MULTI_PART:
        raise MESSAGES.error(
            UnsupportedMediaType,
            "request.unsupported_media_type#multipart",
            errors=[MESSAGES.field("content-type", "request.unsupported_media_type#multipart_only")],
        )


def _read(claim: ImpactClaim, files: list[EvidenceFile], events: list[ImpactClaimEvent]) -> ClaimRead:
    return claim_view(
        ClaimRead, claim, evidence=files, events=events, evidence_count=len(files), event_count=len(events)
    )


async def _full(service: ClaimService, claim: ImpactClaim) -> ClaimRead:
    return _read(claim, *await service.details(claim))


class ClaimController(Controller):
    path = "/"

    @post(
        "/projects/{project_id:uuid}/claims",
        status_code=HTTP_201_CREATED,
        summary="Submit an impact claim (the project's lead)",
        opt={"idempotent": True},
    )
    async def submit(
        self, project_id: uuid.UUID, data: ClaimCreate, db_session: AsyncSession, user: Principal
    ) -> ClaimRead:
        service = ClaimService(db_session)
        return await _full(service, await service.submit(user, project_id, data))

    @get(
        "/projects/{project_id:uuid}/claims",
        summary="A project's claims (verified only, except for its organisation and admins)",
    )
    async def for_project(
        self,
        project_id: uuid.UUID,
        db_session: AsyncSession,
        principal: Principal | None,
        limit: PageLimit = 50,
        cursor: Cursor = None,
    ) -> Page[ClaimSummary]:
        summaries = await ClaimService(db_session).summaries(project_id, principal)
        return page_from_list(summaries, limit=limit, cursor=cursor)

    @get(
        "/claims",
        summary="The claim queue: claims in the given statuses (all when none), oldest first (admins)",
        guards=[requires_admin],
    )
    async def queue(
        self,
        db_session: AsyncSession,
        status: list[ClaimStatus] | None = None,
        limit: PageLimit = 50,
        cursor: Cursor = None,
    ) -> Page[ClaimRead]:
        offset = offset_from(cursor)
        service = ClaimService(db_session)
        claims, total = await service.queue(tuple(status or ()), limit=limit, offset=offset)
        details = await service.details_of(claims)
        items = [_read(c, *details[c.id]) for c in claims]
        return page_of(items, total=total, limit=limit, offset=offset)

    @get("/claims/{claim_id:uuid}", summary="One claim with its evidence and history")
    async def get_claim(self, claim_id: uuid.UUID, db_session: AsyncSession, principal: Principal | None) -> ClaimRead:
        service = ClaimService(db_session)
        claim, _ = await service.get_visible(claim_id, principal)
        return await _full(service, claim)

    @post(
        "/claims/{claim_id:uuid}/decisions",
        status_code=HTTP_200_OK,
        summary="Review, verify, reject or ask for evidence, with a reason (admins)",
        guards=[requires_admin],
        opt={"idempotent": True},
    )
    async def decide(
        self, claim_id: uuid.UUID, data: ClaimDecisionCreate, db_session: AsyncSession, user: Principal
    ) -> ClaimRead:
        service = ClaimService(db_session)
        return await _full(service, await service.decide(user, claim_id, data.decision, data.reason))

    @post(
        "/claims/{claim_id:uuid}/resubmit",
        status_code=HTTP_200_OK,
        summary="Resubmit after evidence was asked for",
        opt={"idempotent": True},
    )
    async def resubmit(
        self, claim_id: uuid.UUID, data: ClaimReason, db_session: AsyncSession, user: Principal
    ) -> ClaimRead:
        service = ClaimService(db_session)
        return await _full(service, await service.resubmit(user, claim_id, data.reason))

    @post(
        "/claims/{claim_id:uuid}/contest",
        status_code=HTTP_200_OK,
        summary="Contest a rejection once, with reasons",
        opt={"idempotent": True},
    )
    async def contest(
        self, claim_id: uuid.UUID, data: ClaimReason, db_session: AsyncSession, user: Principal
    ) -> ClaimRead:
        service = ClaimService(db_session)
        return await _full(service, await service.contest(user, claim_id, data.reason))

    @post(
        "/claims/{claim_id:uuid}/evidence",
        status_code=HTTP_201_CREATED,
        summary="Upload an evidence file (≤ 10 MB; PDF, PNG, JPEG, CSV, XLSX by content) as multipart 'file'",
        request_max_body_size=_UPLOAD_LIMIT,
        before_request=signed_in_before_body,
        exception_handlers={UnicodeDecodeError: _undecodable_part},
    )
    async def upload(
        self,
        request: Request[Any, Any, Any],
        claim_id: uuid.UUID,
        data: Annotated[EvidenceUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        db_session: AsyncSession,
        user: Principal,
        state: State,
    ) -> EvidenceRead:
        upload = data.file
        if upload is None:
            raise MESSAGES.invalid("file", "evidence.missing_file")
        # After the missing file: a file sent under another name is best answered "send it as 'file'".
        _refuse_other_parts(list((await request.form()).keys()))
        content = await upload.read(_UPLOAD_LIMIT)
        record = await ClaimService(db_session).add_evidence(
            user, claim_id, content, upload.content_type, upload.filename, evidence_store(state)
        )
        return msgspec.convert(record, EvidenceRead, from_attributes=True)

    @get(
        "/claims/{claim_id:uuid}/evidence/{evidence_id:uuid}",
        summary="Download an evidence file, checked against its sha256 (the project's organisation and admins)",
    )
    async def download(
        self, claim_id: uuid.UUID, evidence_id: uuid.UUID, db_session: AsyncSession, user: Principal, state: State
    ) -> Response[bytes]:
        record, content = await ClaimService(db_session).evidence_bytes(
            user, claim_id, evidence_id, evidence_store(state)
        )
        digest = base64.b64encode(bytes.fromhex(record.sha256)).decode()
        return Response(
            content,
            media_type=record.media_type,
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(record.filename)}",
                "X-Content-Type-Options": "nosniff",
                "Repr-Digest": f"sha-256=:{digest}:",
                "X-Evidence-SHA256": record.sha256,
            },
        )


router = Router(path="/api/v1", route_handlers=[ClaimController], tags=["impact claims"])
