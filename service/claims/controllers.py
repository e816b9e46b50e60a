"""HTTP for impact claims: submit, evidence upload/download, review decisions, resubmit, contest."""

from __future__ import annotations

import base64
import uuid
from typing import Annotated
from urllib.parse import quote

from litestar import Controller, Response, get, post
from litestar.datastructures import State, UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.principal import Principal
from service.claims.evidence import MAX_EVIDENCE_BYTES
from service.claims.schemas import (
    ClaimCreate,
    ClaimDecisionCreate,
    ClaimEventRead,
    ClaimRead,
    ClaimReason,
    EvidenceRead,
)
from service.claims.service import TOLERANCE, ClaimService
from service.claims.storage import EvidenceStore, LocalEvidenceStore
from service.models import EvidenceFile, ImpactClaim, ImpactClaimEvent
from service.pagination import Cursor, PageLimit, page_from_list
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


def evidence_read(e: EvidenceFile) -> EvidenceRead:
    return EvidenceRead(e.id, e.filename, e.media_type, e.size_bytes, e.sha256, e.uploaded_by, e.created_at)


def claim_read(
    c: ImpactClaim, files: list[EvidenceFile] | None = None, events: list[ImpactClaimEvent] | None = None
) -> ClaimRead:
    return ClaimRead(
        id=c.id,
        project_id=c.project_id,
        metric_id=c.metric_id,
        value=c.value,
        unit=c.unit,
        period_start=c.period_start,
        period_end=c.period_end,
        boundary=c.boundary,
        method=c.method,
        baseline=c.baseline,
        status=c.status,
        computed_value=c.computed_value,
        flags=list(c.flags),
        tolerance=TOLERANCE,
        submitted_by=c.submitted_by,
        contest_reason=c.contest_reason,
        created_at=c.created_at,
        updated_at=c.updated_at,
        evidence=[evidence_read(f) for f in files or []],
        events=[ClaimEventRead(e.action, e.from_status, e.to_status, e.actor_id, e.reason, e.at) for e in events or []],
    )


async def _full(service: ClaimService, claim: ImpactClaim) -> ClaimRead:
    files, events = await service.details(claim)
    return claim_read(claim, files, events)


class ClaimController(Controller):
    path = "/api/v1"
    tags = ["impact claims"]

    @post(
        "/projects/{project_id:uuid}/claims",
        status_code=HTTP_201_CREATED,
        summary="Submit an impact claim (the project's lead)",
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
    ) -> Page[ClaimRead]:
        claims = [claim_read(c) for c in await ClaimService(db_session).for_project(project_id, principal)]
        return page_from_list(claims, limit=limit, cursor=cursor)

    @get("/claims/{claim_id:uuid}", summary="One claim with its evidence and history")
    async def get_claim(self, claim_id: uuid.UUID, db_session: AsyncSession, principal: Principal | None) -> ClaimRead:
        service = ClaimService(db_session)
        claim, _ = await service.get_visible(claim_id, principal)
        return await _full(service, claim)

    @post(
        "/claims/{claim_id:uuid}/decisions",
        status_code=HTTP_200_OK,
        summary="Review, verify, reject or ask for evidence, with a reason (admins)",
    )
    async def decide(
        self, claim_id: uuid.UUID, data: ClaimDecisionCreate, db_session: AsyncSession, user: Principal
    ) -> ClaimRead:
        service = ClaimService(db_session)
        return await _full(service, await service.decide(user, claim_id, data.decision, data.reason))

    @post("/claims/{claim_id:uuid}/resubmit", status_code=HTTP_200_OK, summary="Resubmit after evidence was asked for")
    async def resubmit(
        self, claim_id: uuid.UUID, data: ClaimReason, db_session: AsyncSession, user: Principal
    ) -> ClaimRead:
        service = ClaimService(db_session)
        return await _full(service, await service.resubmit(user, claim_id, data.reason))

    @post("/claims/{claim_id:uuid}/contest", status_code=HTTP_200_OK, summary="Contest a rejection once, with reasons")
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
    )
    async def upload(
        self,
        claim_id: uuid.UUID,
        data: Annotated[UploadFile, Body(media_type=RequestEncodingType.MULTI_PART)],
        db_session: AsyncSession,
        user: Principal,
        state: State,
    ) -> EvidenceRead:
        content = await data.read(_UPLOAD_LIMIT)
        record = await ClaimService(db_session).add_evidence(
            user, claim_id, content, data.content_type, data.filename, evidence_store(state)
        )
        return evidence_read(record)

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
