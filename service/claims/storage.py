"""Where evidence bytes live: one small interface, so object storage can replace the disk.

Keys are the content's sha256 (content-addressed): a re-upload of the same file is stored once,
and a file left behind by a rolled-back request is harmless (nothing refers to it).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

_KEY = re.compile(r"^[0-9a-f]{64}$")


class EvidenceStore(Protocol):
    def put(self, data: bytes) -> str:
        """Store ``data``; return its key."""
        ...

    def get(self, key: str) -> bytes:
        """The bytes stored under ``key``; ``FileNotFoundError`` when there are none."""
        ...


class LocalEvidenceStore:
    """Files under ``root`` (``settings.data_dir / "evidence"``), fanned out by key prefix.

    >>> store = LocalEvidenceStore(Path(tempfile.mkdtemp()))
    >>> store.get(store.put(b"a,b\\n1,2\\n"))
    b'a,b\\n1,2\\n'
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise FileNotFoundError(key)
        return self.root / key[:2] / key

    def put(self, data: bytes) -> str:
        key = hashlib.sha256(data).hexdigest()
        path = self._path(key)
        if path.exists():
            return key
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename: a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return key

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()
