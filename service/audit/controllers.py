"""HTTP for the audit log (admins): read it newest first, and verify the chain."""

from __future__ import annotations

import json
from typing import Annotated

from litestar import Controller, Router, get
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from service.audit import service
from service.audit.head import parse_head
from service.audit.schemas import AuditEntryRead, ChainReport
from service.auth.guards import requires_admin
from service.models import AuditEntry
from service.pagination import Cursor, offset_from, page_of
from service.types import Page


def entry_read(e: AuditEntry) -> AuditEntryRead:
    return AuditEntryRead(
        seq=e.seq,
        at=e.at,
        actor_id=e.actor_id,
        action=e.action,
        object_type=e.object_type,
        object_id=e.object_id,
        payload=json.loads(e.payload),
        prev_hash=e.prev_hash,
        hash=e.hash,
        key_id=e.key_id,
    )


class AuditController(Controller):
    path = "/admin/audit"

    @get("/", summary="The audit log, newest first (admins)")
    async def list_entries(
        self,
        db_session: AsyncSession,
        object_type: Annotated[str | None, Parameter(max_length=32, pattern=r"^[a-z_]+$")] = None,
        object_id: Annotated[str | None, Parameter(max_length=64, pattern=r"^[0-9a-zA-Z_-]+$")] = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
        cursor: Cursor = None,
    ) -> Page[AuditEntryRead]:
        offset = offset_from(cursor)
        rows, total = await service.page(
            db_session, object_type=object_type, object_id=object_id, limit=limit, offset=offset
        )
        return page_of([entry_read(e) for e in rows], total=total, limit=limit, offset=offset)

    @get("/verify", summary="Check every link of the hash chain; report the first broken one (admins)")
    async def verify(
        self,
        db_session: AsyncSession,
        expect_head: Annotated[
            str | None,
            Parameter(
                pattern=r"^[1-9][0-9]{0,17}:[0-9a-f]{64}$",
                description="SEQ:HASH of a head published earlier (head_seq:head_hash of a former report): "
                "a chain that ends before it or differs at it is reported as truncated",
            ),
        ] = None,
    ) -> ChainReport:
        return await service.verify_chain(db_session, expected_head=parse_head(expect_head) if expect_head else None)


router = Router(path="/api/v1", route_handlers=[AuditController], tags=["audit"], guards=[requires_admin])
