"""Authorization rows for the live feed's HTTP endpoints (issue 8 §4), as data: rows.py turns each
into the four deal-room targets (``room``, ``room:pre_nda``, ``room:observer``, ``unknown``) and
tests/service/authz_matrix/deal_rooms.py arranges the room. Observers read but do not write."""

from __future__ import annotations

#: (method, path under the room, lead, bank, bank before the NDA, admin observer)
LIVE_ROWS: list[tuple[str, str, int, int, int, int]] = [
    ("POST", "/messages", 201, 201, 403, 403),
    ("GET", "/messages", 200, 200, 403, 200),
]
#: What the POST rows send.
MESSAGE = {"body": "はじめまして。よろしくお願いします。"}
