"""API shapes of the data room: folders, documents and versions, permissions, beacons, engagement."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from service.models.deal_room_documents import AccessKind, AccessLevel, AudienceGroup
from service.types import Name

FolderName = Name
Page = Annotated[int, msgspec.Meta(ge=1, le=100_000)]
Seconds = Annotated[float, msgspec.Meta(ge=0, le=86_400)]
VersionNumber = Annotated[int, msgspec.Meta(ge=1, le=1_000_000)]
#: ``inherit`` removes the level set here, so the folder (or document) follows its parent again.
LevelChoice = Literal["none", "view", "download", "inherit"]


class FolderCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: FolderName
    #: The folder to create it in; none = the room's top level.
    parent_id: uuid.UUID | None = None


class FolderUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Rename and/or move: ``parent_id`` null moves the folder to the top level."""

    name: FolderName | msgspec.UnsetType = msgspec.UNSET
    parent_id: uuid.UUID | msgspec.UnsetType | None = msgspec.UNSET


class FolderRead(msgspec.Struct):
    id: uuid.UUID
    room_id: uuid.UUID
    parent_id: uuid.UUID | None
    name: str
    #: The folder's names from the top level down to it.
    path: list[str]
    #: What the caller may do with what is inside (``download`` for the lead team).
    my_level: AccessLevel
    created_at: datetime
    updated_at: datetime


class VersionRead(msgspec.Struct):
    id: uuid.UUID
    version: int
    filename: str
    media_type: str
    size_bytes: int
    sha256: str
    page_count: int | None
    uploaded_by: uuid.UUID
    uploaded_at: datetime


class DocumentRead(msgspec.Struct):
    id: uuid.UUID
    room_id: uuid.UUID
    folder_id: uuid.UUID
    title: str
    current_version: int
    my_level: AccessLevel
    latest: VersionRead
    created_at: datetime
    updated_at: datetime


class PermissionSet(msgspec.Struct, forbid_unknown_fields=True):
    group: AudienceGroup
    level: LevelChoice


class GroupPermission(msgspec.Struct):
    group: AudienceGroup
    #: The level in force.
    level: AccessLevel
    #: The level set on this folder or document; null = inherited.
    set_here: AccessLevel | None
    #: Where the level in force comes from: ``here``, ``folder`` (an ancestor, ``from_folder_id``)
    #: or ``default`` (the room's top-level default, ``view``).
    source: Literal["here", "folder", "default"]
    from_folder_id: uuid.UUID | None


class PermissionsRead(msgspec.Struct):
    """Every participant group's level on one folder or document (the lead team has ``download``)."""

    folder_id: uuid.UUID | None
    document_id: uuid.UUID | None
    groups: list[GroupPermission]


class PageViewCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A viewer's beacon: ``seconds`` spent on ``page`` of ``version``."""

    version: VersionNumber
    page: Page
    seconds: Seconds


class PageViewRead(msgspec.Struct):
    id: uuid.UUID
    document_id: uuid.UUID
    version: int
    page: int
    seconds: float
    at: datetime


class AccessRead(msgspec.Struct):
    id: uuid.UUID
    document_id: uuid.UUID
    version: int
    participant_id: uuid.UUID
    user_id: uuid.UUID
    display_name: str
    kind: AccessKind
    watermarked: bool
    at: datetime


class ParticipantEngagement(msgspec.Struct):
    participant_id: uuid.UUID
    user_id: uuid.UUID
    display_name: str
    organisation_id: uuid.UUID
    role: str
    views: int
    downloads: int
    documents: int
    pages_viewed: int
    seconds: float
    last_at: datetime | None


class DocumentEngagement(msgspec.Struct):
    document_id: uuid.UUID
    folder_id: uuid.UUID
    title: str
    views: int
    downloads: int
    participants: int
    pages_viewed: int
    seconds: float
    last_at: datetime | None
