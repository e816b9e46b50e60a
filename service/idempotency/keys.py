"""What identifies a retried request: the key from the header and a hash of the request."""

from __future__ import annotations

import hashlib
import re
import uuid

from service.idempotency.messages import MESSAGES

HEADER = "Idempotency-Key"
#: RFC 9110 visible characters (0x21–0x7E): no spaces, no controls, no non-ASCII.
KEY_PATTERN = r"^[\x21-\x7E]{1,255}$"
_KEY = re.compile(KEY_PATTERN)


def parse_key(raw: str) -> str:
    """The header's value as a key; a 422 naming the header otherwise.

    >>> parse_key("order-2026-11-29-0001")
    'order-2026-11-29-0001'
    """
    if not _KEY.fullmatch(raw):
        raise MESSAGES.invalid(HEADER, "idempotency.key_invalid")
    return raw


def request_hash(method: str, path: str, query: str, body: bytes) -> str:
    """sha256 over method, path, query string and body: "the same request" means these match."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), query.encode()):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    digest.update(body)
    return digest.hexdigest()


def lock_id(user_id: uuid.UUID, key: str) -> int:
    """The 64-bit advisory-lock number that serialises requests of one caller with one key."""
    digest = hashlib.sha256(f"idempotency\x00{user_id}\x00{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)
