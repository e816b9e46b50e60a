"""The data room's folders and permissions, for the caller's seat in a room.

Every method passes the room's gate first (:meth:`RoomService.inside`: 404 to non-participants,
403 before the current NDA is accepted, the stage rules of ``policy.ACTIONS``), then the folder
rules of :mod:`service.deal_rooms.documents.permissions`: a folder or document the caller's group
cannot see answers 404, exactly like one that does not exist, and is absent from lists.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.deal_rooms.documents.messages import MESSAGES
from service.deal_rooms.documents.permissions import GROUPS, Node, Tree, at_least
from service.deal_rooms.documents.schemas import (
    FolderCreate,
    FolderUpdate,
    GroupPermission,
    PermissionSet,
    PermissionsRead,
)
from service.deal_rooms.service import RoomService, Seat
from service.errors import Conflict, NotFound
from service.models import DealRoomDocument, DealRoomFolder, DealRoomPermission
from service.models.base import utcnow
from service.models.deal_room_documents import AccessLevel


@dataclass(frozen=True)
class Room:
    """A seat with the room's folder tree, as the caller's group sees it."""

    seat: Seat
    tree: Tree
    folders: dict[uuid.UUID, DealRoomFolder]

    @property
    def group(self) -> str:
        return self.seat.role.value

    def level(self, folder_id: uuid.UUID) -> AccessLevel:
        return self.tree.folder_level(folder_id, self.group)

    def visible(self, folder_id: uuid.UUID) -> bool:
        return self.tree.folder_visible(folder_id, self.group)

    def path(self, folder_id: uuid.UUID) -> list[str]:
        return self.tree.path(folder_id, {k: f.name for k, f in self.folders.items()})

    def document_level(self, document: DealRoomDocument) -> AccessLevel:
        return self.tree.document_level(document.id, document.folder_id, self.group)


async def load_tree(session: AsyncSession, room_id: uuid.UUID) -> tuple[Tree, dict[uuid.UUID, DealRoomFolder]]:
    folders = {
        f.id: f for f in (await session.scalars(select(DealRoomFolder).where(DealRoomFolder.room_id == room_id))).all()
    }
    rules = (await session.scalars(select(DealRoomPermission).where(DealRoomPermission.room_id == room_id))).all()
    tree = Tree(
        [Node(f.id, f.parent_id) for f in folders.values()],
        {(r.folder_id, r.audience): AccessLevel(r.level) for r in rules if r.folder_id is not None},
        {(r.document_id, r.audience): AccessLevel(r.level) for r in rules if r.document_id is not None},
    )
    return tree, folders


class DataRoomService(RoomService):
    async def room(self, room_id: uuid.UUID, action: str = "read_documents", *, lock: bool = False) -> Room:
        seat = await self.inside(room_id, action, lock=lock)
        tree, folders = await load_tree(self.session, room_id)
        return Room(seat, tree, folders)

    def _folder(self, room: Room, folder_id: uuid.UUID) -> DealRoomFolder:
        if folder_id not in room.folders or not room.visible(folder_id):
            raise MESSAGES.error(NotFound, "deal_room_document.folder_not_found")
        return room.folders[folder_id]

    async def _document(self, room: Room, document_id: uuid.UUID) -> tuple[DealRoomDocument, AccessLevel]:
        document = await self.session.get(DealRoomDocument, document_id)
        if document is None or document.room_id != room.seat.room.id:
            raise MESSAGES.error(NotFound, "deal_room_document.not_found")
        level = room.document_level(document)
        if not at_least(level, AccessLevel.view):
            raise MESSAGES.error(NotFound, "deal_room_document.not_found")
        return document, level

    async def _room_audit(self, action: str, room_id: uuid.UUID, **payload: object) -> None:
        await self._audit(f"documents.{action}", room_id, **payload)

    # ── folders ─────────────────────────────────────────────────────────────────────────────────

    async def folders(self, room_id: uuid.UUID) -> tuple[Room, list[DealRoomFolder]]:
        room = await self.room(room_id)
        visible = [f for f in room.folders.values() if room.visible(f.id)]
        return room, sorted(visible, key=lambda f: (room.path(f.id), str(f.id)))

    async def folder(self, room_id: uuid.UUID, folder_id: uuid.UUID) -> tuple[Room, DealRoomFolder]:
        room = await self.room(room_id)
        return room, self._folder(room, folder_id)

    async def create_folder(self, room_id: uuid.UUID, data: FolderCreate) -> tuple[Room, DealRoomFolder]:
        # The room row's lock serialises every change to the tree (no two moves make a cycle).
        room = await self.room(room_id, "manage_documents", lock=True)
        if data.parent_id is not None and data.parent_id not in room.folders:
            raise MESSAGES.invalid("parent_id", "deal_room_document.parent_not_found")
        folder = DealRoomFolder(
            room_id=room_id, parent_id=data.parent_id, name=data.name, created_by=self.principal.user_id
        )
        self.session.add(folder)
        await self.session.flush()
        await self._room_audit("folder_created", room_id, folder_id=folder.id, parent_id=data.parent_id, name=data.name)
        room.folders[folder.id] = folder
        room.tree.parent[folder.id] = folder.parent_id
        return room, folder

    async def update_folder(
        self, room_id: uuid.UUID, folder_id: uuid.UUID, data: FolderUpdate
    ) -> tuple[Room, DealRoomFolder]:
        room = await self.room(room_id, "manage_documents", lock=True)
        folder = self._folder(room, folder_id)
        if isinstance(data.name, msgspec.UnsetType) and isinstance(data.parent_id, msgspec.UnsetType):
            raise MESSAGES.invalid("name", "deal_room_document.nothing_to_change")
        changes: dict[str, object] = {}
        if not isinstance(data.parent_id, msgspec.UnsetType) and data.parent_id != folder.parent_id:
            parent = data.parent_id
            if parent is not None and parent not in room.folders:
                raise MESSAGES.invalid("parent_id", "deal_room_document.parent_not_found")
            if room.tree.would_cycle(folder.id, parent):
                raise MESSAGES.invalid("parent_id", "deal_room_document.folder_cycle")
            changes["parent_id"] = (folder.parent_id, parent)
            folder.parent_id = parent
            room.tree.parent[folder.id] = parent
        if not isinstance(data.name, msgspec.UnsetType) and data.name != folder.name:
            changes["name"] = (folder.name, data.name)
            folder.name = data.name
        if changes:
            folder.updated_at = utcnow()
            self.session.add(folder)
            await self.session.flush()
            await self._room_audit(
                "folder_updated",
                room_id,
                folder_id=folder.id,
                **{k: [str(v) if v is not None else None for v in pair] for k, pair in changes.items()},
            )
        return room, folder

    async def delete_folder(self, room_id: uuid.UUID, folder_id: uuid.UUID) -> None:
        room = await self.room(room_id, "manage_documents", lock=True)
        folder = self._folder(room, folder_id)
        children = sum(1 for f in room.folders.values() if f.parent_id == folder.id)
        documents = await self.session.scalar(
            select(func.count()).select_from(DealRoomDocument).where(DealRoomDocument.folder_id == folder.id)
        )
        if children or documents:
            raise MESSAGES.error(
                Conflict, "deal_room_document.folder_not_empty", folders=children, documents=documents or 0
            )
        await self.session.delete(folder)
        await self.session.flush()
        await self._room_audit("folder_deleted", room_id, folder_id=folder.id, name=folder.name)

    # ── permissions ─────────────────────────────────────────────────────────────────────────────

    async def folder_permissions(self, room_id: uuid.UUID, folder_id: uuid.UUID) -> PermissionsRead:
        room = await self.room(room_id, "read_permissions")
        self._folder(room, folder_id)
        return folder_permissions_read(room.tree, folder_id)

    async def document_permissions(self, room_id: uuid.UUID, document_id: uuid.UUID) -> PermissionsRead:
        room = await self.room(room_id, "read_permissions")
        document, _ = await self._document(room, document_id)
        return document_permissions_read(room.tree, document)

    async def set_folder_permission(
        self, room_id: uuid.UUID, folder_id: uuid.UUID, data: PermissionSet
    ) -> PermissionsRead:
        room = await self.room(room_id, "manage_documents", lock=True)
        self._folder(room, folder_id)
        await self._set(room_id, data, folder_id=folder_id)
        tree, _ = await load_tree(self.session, room_id)
        return folder_permissions_read(tree, folder_id)

    async def set_document_permission(
        self, room_id: uuid.UUID, document_id: uuid.UUID, data: PermissionSet
    ) -> PermissionsRead:
        room = await self.room(room_id, "manage_documents", lock=True)
        document, _ = await self._document(room, document_id)
        await self._set(room_id, data, document_id=document_id)
        tree, _ = await load_tree(self.session, room_id)
        return document_permissions_read(tree, document)

    async def _set(
        self,
        room_id: uuid.UUID,
        data: PermissionSet,
        *,
        folder_id: uuid.UUID | None = None,
        document_id: uuid.UUID | None = None,
    ) -> None:
        target = (
            DealRoomPermission.folder_id == folder_id if folder_id else DealRoomPermission.document_id == document_id
        )
        rule = (
            await self.session.execute(
                select(DealRoomPermission).where(target, DealRoomPermission.audience == data.group.value)  # type: ignore[arg-type]
            )
        ).scalar_one_or_none()
        before = rule.level if rule is not None else "inherit"
        if data.level == before:
            return
        if rule is not None and data.level == "inherit":
            await self.session.delete(rule)
        elif rule is None:
            rule = DealRoomPermission(
                room_id=room_id,
                folder_id=folder_id,
                document_id=document_id,
                audience=data.group.value,
                level=data.level,
                set_by=self.principal.user_id,
            )
            self.session.add(rule)
        else:
            rule.level = data.level
            rule.set_by = self.principal.user_id
            rule.set_at = utcnow()
            self.session.add(rule)
        await self.session.flush()
        await self._room_audit(
            "permission_set",
            room_id,
            folder_id=folder_id,
            document_id=document_id,
            group=data.group.value,
            before=before,
            after=data.level,
        )


def folder_permissions_read(tree: Tree, folder_id: uuid.UUID) -> PermissionsRead:
    groups = []
    for group in GROUPS:
        s = tree.folder_source(folder_id, group.value)
        level = s.level if tree.folder_visible(folder_id, group.value) else AccessLevel.none
        groups.append(GroupPermission(group, level, s.set_here, s.source, s.from_folder))  # type: ignore[arg-type]
    return PermissionsRead(folder_id=folder_id, document_id=None, groups=groups)


def document_permissions_read(tree: Tree, document: DealRoomDocument) -> PermissionsRead:
    groups = []
    for group in GROUPS:
        s = tree.document_source(document.id, document.folder_id, group.value)
        level = tree.document_level(document.id, document.folder_id, group.value)
        groups.append(GroupPermission(group, level, s.set_here, s.source, s.from_folder))  # type: ignore[arg-type]
    return PermissionsRead(folder_id=document.folder_id, document_id=document.id, groups=groups)
