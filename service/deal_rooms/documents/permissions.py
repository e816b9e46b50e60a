"""The permission rules of the data room, as one small in-memory model of a room's folder tree.

A participant group (``investor``, ``bank``, ``advisor``, ``observer``) has one level on every
folder and document — ``none`` < ``view`` < ``download``:

1. **Set here wins.** A level set on a folder or a document is the level there.
2. **Unset means inherit.** A folder without a level of its own has its parent's; a top-level
   folder without one has the room default, :data:`ROOT_DEFAULT` (``view``: what a participant
   who accepted the NDA expects of a data room). A document without one has its folder's.
   Nothing is copied, so a change on a folder reaches at once every sub-folder and document
   that sets nothing, and a moved folder takes on the levels of its new place.
3. **A hidden folder hides everything in it.** A folder is visible to a group only when it and
   every folder above it is at least ``view``; inside a hidden folder, levels set lower down
   grant nothing (a group never learns a path exists by seeing a part of it).
4. The lead team always has ``download`` on everything.

>>> tree = Tree([Node(1, None), Node(2, 1)], {(1, "bank"): AccessLevel.download}, {})
>>> tree.folder_level(2, "bank"), tree.folder_level(2, "investor")
(<AccessLevel.download: 'download'>, <AccessLevel.view: 'view'>)
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from service.models.deal_room_documents import AccessLevel, AudienceGroup

ROOT_DEFAULT = AccessLevel.view
ORDER = {AccessLevel.none: 0, AccessLevel.view: 1, AccessLevel.download: 2}
GROUPS: tuple[AudienceGroup, ...] = tuple(AudienceGroup)
LEAD = "lead_team"


def at_least(level: AccessLevel, wanted: AccessLevel) -> bool:
    return ORDER[level] >= ORDER[wanted]


@dataclass(frozen=True)
class Node:
    id: Hashable
    parent_id: Hashable | None


@dataclass(frozen=True)
class Source:
    level: AccessLevel
    set_here: AccessLevel | None
    source: Literal["here", "folder", "default"]
    from_folder: Hashable | None


class Tree:
    """A room's folders with the levels set on folders and documents (keyed by (id, group))."""

    def __init__(
        self,
        folders: Iterable[Node],
        folder_levels: Mapping[tuple[Hashable, str], AccessLevel],
        document_levels: Mapping[tuple[Hashable, str], AccessLevel],
    ) -> None:
        self.parent = {f.id: f.parent_id for f in folders}
        self.folder_levels = dict(folder_levels)
        self.document_levels = dict(document_levels)

    def __contains__(self, folder_id: object) -> bool:
        return folder_id in self.parent

    def ancestors(self, folder_id: Hashable) -> list[Hashable]:
        """``folder_id`` and the folders above it, nearest first."""
        chain: list[Hashable] = []
        current: Hashable | None = folder_id
        while current is not None and current not in chain:
            chain.append(current)
            current = self.parent.get(current)
        return chain

    def folder_source(self, folder_id: Hashable, group: str) -> Source:
        set_here = self.folder_levels.get((folder_id, group))
        for folder in self.ancestors(folder_id):
            level = self.folder_levels.get((folder, group))
            if level is not None:
                return Source(level, set_here, "here" if folder == folder_id else "folder", folder)
        return Source(ROOT_DEFAULT, None, "default", None)

    def folder_level(self, folder_id: Hashable, group: str) -> AccessLevel:
        if group == LEAD:
            return AccessLevel.download
        return self.folder_source(folder_id, group).level

    def folder_visible(self, folder_id: Hashable, group: str) -> bool:
        if folder_id not in self.parent:
            return False
        return all(at_least(self.folder_level(f, group), AccessLevel.view) for f in self.ancestors(folder_id))

    def document_source(self, document_id: Hashable, folder_id: Hashable, group: str) -> Source:
        set_here = self.document_levels.get((document_id, group))
        if set_here is not None:
            return Source(set_here, set_here, "here", None)
        inherited = self.folder_source(folder_id, group)
        return Source(
            inherited.level, None, "default" if inherited.source == "default" else "folder", inherited.from_folder
        )

    def document_level(self, document_id: Hashable, folder_id: Hashable, group: str) -> AccessLevel:
        """The group's level on the document; ``none`` inside a folder the group cannot see."""
        if group == LEAD:
            return AccessLevel.download
        if not self.folder_visible(folder_id, group):
            return AccessLevel.none
        return self.document_source(document_id, folder_id, group).level

    def would_cycle(self, folder_id: Hashable, new_parent: Hashable | None) -> bool:
        """True when moving ``folder_id`` under ``new_parent`` would put it inside itself."""
        return new_parent is not None and folder_id in self.ancestors(new_parent)

    def path(self, folder_id: Hashable, names: Mapping[Hashable, str]) -> list[str]:
        return [names[f] for f in reversed(self.ancestors(folder_id))]


__all__ = ["GROUPS", "LEAD", "ORDER", "ROOT_DEFAULT", "Node", "Source", "Tree", "at_least"]
