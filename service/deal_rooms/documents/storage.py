"""Where data-room files live: the evidence store's content-addressed files (``EvidenceStore``,
``settings.data_dir / "documents"``), plus what a failed request needs — a file this request
wrote is removed again when its transaction rolls back, so a failed upload leaves no file behind.

A file that already existed (the same bytes uploaded before) is never removed: another version
may refer to it.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import Any

import anyio.to_thread
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from service.claims.storage import LocalEvidenceStore


class DocumentStore(LocalEvidenceStore):
    """:class:`LocalEvidenceStore` that says whether ``put`` wrote a new file, and can remove one.

    >>> import tempfile
    >>> store = DocumentStore(Path(tempfile.mkdtemp()))
    >>> key, created = store.put_new(b"%PDF-1.4")
    >>> created, store.put_new(b"%PDF-1.4")[1]
    (True, False)
    >>> store.discard(key); store.exists(key)
    False
    """

    def exists(self, key: str) -> bool:
        try:
            return self._path(key).exists()
        except FileNotFoundError:
            return False

    def put_new(self, data: bytes) -> tuple[str, bool]:
        existed = self.exists(hashlib.sha256(data).hexdigest())
        return self.put(data), not existed

    def discard(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(key).unlink(missing_ok=True)


def document_store(state: Any) -> DocumentStore:
    """The app's document store: ``state.document_store`` when set, else files in the data dir."""
    store: DocumentStore | None = state.get("document_store")
    if store is None:
        store = DocumentStore(Path(state.settings.data_dir) / "documents")
        state.document_store = store
    return store


def _discard_on_rollback(session: AsyncSession, store: DocumentStore, key: str) -> None:
    # The listeners stay on the session (a request's session is dropped after it): removing one
    # while SQLAlchemy dispatches the event would change the list it is walking.
    sync = session.sync_session
    root = sync.get_transaction()
    state = {"committed": False, "ended": False}

    def after_commit(_: Session) -> None:
        if sync.get_transaction() in (root, None):
            state["committed"] = True

    def after_end(_: Session, transaction: SessionTransaction) -> None:
        if transaction is root and not state["ended"]:
            state["ended"] = True
            if not state["committed"]:
                store.discard(key)

    event.listen(sync, "after_commit", after_commit)
    event.listen(sync, "after_transaction_end", after_end)


async def stage(session: AsyncSession, store: DocumentStore, data: bytes) -> str:
    """Store ``data`` (off the event loop) for the session's transaction; returns its key. Call
    it last, after every check that can fail: a file this call creates goes again if the
    transaction does not commit."""
    key, created = await anyio.to_thread.run_sync(store.put_new, data)
    if created:
        _discard_on_rollback(session, store, key)
    return key
