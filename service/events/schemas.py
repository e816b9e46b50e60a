"""API shapes for interaction events."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from service.models.matching import EventKind
from service.types import DatesInRange

AwareTime = Annotated[datetime, msgspec.Meta(tz=True, description="RFC 3339 with a timezone; default: now")]


class EventCreate(DatesInRange, forbid_unknown_fields=True):
    #: Chosen by the client, so a retry is recognised: same id and content → 200, other content → 409.
    id: uuid.UUID
    investor_id: uuid.UUID
    project_id: uuid.UUID
    kind: EventKind
    at: AwareTime | None = None


class EventRead(msgspec.Struct):
    id: uuid.UUID
    investor_id: uuid.UUID
    project_id: uuid.UUID
    kind: EventKind
    at: datetime
    created_at: datetime
