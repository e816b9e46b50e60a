"""The audit key: HMAC-SHA256 keys that sign the audit chain, addressed by a key id.

A key id is derived from the key itself (``HMAC(key, "kyoso audit key id")``, 16 hex digits),
so a row names the key that signed it without any id to configure, and a wrong key shows as an
unknown id. Rotating: put the new key in ``KYOSO_AUDIT_KEY`` and the old one in
``KYOSO_AUDIT_PREVIOUS_KEYS``; old rows keep verifying, new rows are signed with the new key,
and ``kyoso audit rekey`` re-signs the whole chain with the new key when the old one is retired.

>>> ring = AuditKeyring.from_secrets("k" * 32)
>>> len(ring.current_id)
16
>>> ring.sign(ring.current_id, b"entry") == ring.sign(ring.current_id, b"entry")
True
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

_KEY_ID_LABEL = b"kyoso audit key id"
_MIN_KEY_BYTES = 32
#: Where a session may carry its own keyring (the app puts its settings' keyring there).
SESSION_INFO_KEY = "audit_keyring"


class AuditKeyMissing(RuntimeError):
    """No audit key is configured for this process."""


def key_id_of(secret: bytes) -> str:
    return hmac.new(secret, _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class AuditKeyring:
    """The current signing key and every key still accepted for verification, by key id."""

    current_id: str
    keys: Mapping[str, bytes] = field(repr=False)

    @classmethod
    def from_secrets(cls, current: str, previous: Iterable[str] = ()) -> AuditKeyring:
        if len(current.encode()) < _MIN_KEY_BYTES:
            raise ValueError(f"an audit key must be at least {_MIN_KEY_BYTES} bytes long")
        keys = {key_id_of(s.encode()): s.encode() for s in (*previous, current) if s}
        return cls(current_id=key_id_of(current.encode()), keys=keys)

    def sign(self, key_id: str, message: bytes) -> str:
        """HMAC-SHA256 of ``message`` under key ``key_id`` (``KeyError`` when unknown)."""
        return hmac.new(self.keys[key_id], message, hashlib.sha256).hexdigest()


_installed: AuditKeyring | None = None


def install(keyring: AuditKeyring | None) -> None:
    """Make ``keyring`` this process's keyring (the CLI and the server entry point do this)."""
    global _installed  # one key per process, like the logging configuration
    _installed = keyring


def resolve(session_info: Mapping[str, Any] | None = None) -> AuditKeyring:
    """The keyring to use: the session's own, else the installed one, else ``KYOSO_AUDIT_KEY``."""
    if session_info is not None and isinstance(session_info.get(SESSION_INFO_KEY), AuditKeyring):
        ring: AuditKeyring = session_info[SESSION_INFO_KEY]
        return ring
    if _installed is not None:
        return _installed
    current = os.environ.get("KYOSO_AUDIT_KEY")
    if current:
        previous = [k.strip() for k in os.environ.get("KYOSO_AUDIT_PREVIOUS_KEYS", "").split(",") if k.strip()]
        return AuditKeyring.from_secrets(current, previous)
    raise AuditKeyMissing("no audit key: set KYOSO_AUDIT_KEY (or start through `kyoso serve`)")


def keyring_of(audit_key: str, previous: Iterable[str] = ()) -> AuditKeyring | None:
    """The keyring for settings' ``audit_key``/``audit_previous_keys``; None when no key is set."""
    return AuditKeyring.from_secrets(audit_key, previous) if audit_key else None
