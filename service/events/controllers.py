"""HTTP for interaction events (signed-in callers; investors see their own, admins all)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Response, Router, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy.ext.asyncio import AsyncSession

from service.auth.principal import Principal
from service.common_messages import COMMON
from service.events.schemas import EventCreate, EventRead
from service.events.service import EventService, record_view
from service.models.matching import EventKind
from service.pagination import Cursor
from service.projects.controllers import ViewRecorder
from service.types import Page, decode_cursor, encode_cursor


def event_read(row: Any) -> EventRead:
    return EventRead(
        id=row.id,
        investor_id=row.investor_profile_id,
        project_id=row.project_id,
        kind=EventKind(row.kind),
        at=row.at,
        created_at=row.created_at,
    )


class EventController(Controller):
    path = "/events"

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Record an interaction (view, bookmark, interest, decline, commit); idempotent on its id",
        description="The first time an id is sent the event is recorded (201); sending the same id again "
        "returns the recorded event unchanged (200).",
        responses={
            HTTP_200_OK: ResponseSpec(EventRead, description="Already recorded under this id: the stored event")
        },
    )
    async def create_event(self, data: EventCreate, db_session: AsyncSession, user: Principal) -> Response[EventRead]:
        event, created = await EventService(db_session).record(user, data)
        return Response(event_read(event), status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @get("/", summary="Interaction events: your investor profiles' own (admins: all)")
    async def list_events(
        self,
        db_read: AsyncSession,
        user: Principal,
        investor_id: uuid.UUID | None = None,
        project_id: uuid.UUID | None = None,
        kind: EventKind | None = None,
        since: Annotated[datetime | None, Parameter(description="Events at or after this time (RFC 3339)")] = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
        cursor: Cursor = None,
    ) -> Page[EventRead]:
        if since is not None and since.tzinfo is None:
            raise COMMON.invalid("since", "validation.timezone")
        try:
            offset = decode_cursor(cursor)
        except ValueError:
            raise COMMON.invalid("cursor", "validation.cursor") from None
        rows, total = await EventService(db_read).page(
            user,
            investor_id=investor_id,
            project_id=project_id,
            kind=kind,
            since=since,
            limit=limit,
            offset=offset,
        )
        next_cursor = encode_cursor(offset + limit) if offset + limit < total else None
        return Page(items=[event_read(r) for r in rows], total=total, limit=limit, next_cursor=next_cursor)


def provide_view_recorder() -> ViewRecorder:
    """The ``record_view`` dependency of a project read: a read by an investor is a view."""
    return record_view


router = Router(path="/api/v1", route_handlers=[EventController], tags=["matching"])
