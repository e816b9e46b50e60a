"""The audit chain's head kept outside the database, so that deleting the newest entries shows.

``kyoso audit verify`` writes the head it verified to ``$KYOSO_DATA_DIR/audit-head`` (one line,
``SEQ:HASH``, mode 600) and passes it as ``expected_head`` on its next run::

    write_head(path, 42, "ab12…")      # after a successful verification
    read_head(path)                    # (42, "ab12…"), or None if absent or unreadable
"""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["HEAD_FILE", "parse_head", "read_head", "write_head"]

HEAD_FILE = "audit-head"
_HEAD = re.compile(r"^([1-9][0-9]{0,17}):([0-9a-f]{64})$")


def parse_head(raw: str) -> tuple[int, str] | None:
    """``"SEQ:HASH"`` as (seq, hash); None when it is not one."""
    found = _HEAD.match(raw.strip())
    return (int(found[1]), found[2]) if found else None


def read_head(path: Path) -> tuple[int, str] | None:
    try:
        return parse_head(path.read_text(encoding="ascii"))
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def write_head(path: Path, seq: int, digest: str | None) -> None:
    """Replace the stored head atomically; readable by the owner only."""
    if digest is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(f"{seq}:{digest}\n")
    os.chmod(partial, 0o600)
    os.replace(partial, path)
