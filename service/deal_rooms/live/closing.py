"""Why the server closes a room socket: the WebSocket close codes (documented in the README) and
the error frame sent just before closing."""

from __future__ import annotations

from dataclasses import dataclass

from service.domain_errors import Message

#: Not signed in, or the session ended (logout, expiry).
CLOSE_UNAUTHENTICATED = 4401
#: Signed in by cookie from an origin that is not allowed (cross-site WebSocket hijacking).
CLOSE_ORIGIN = 4402
#: The room's current NDA is not accepted (also after a new version is published).
CLOSE_NDA = 4403
#: No such room, or the caller takes no part in it (never did, left, or was removed).
CLOSE_REMOVED = 4404
#: The room was closed or cancelled.
CLOSE_ROOM_ENDED = 4410
#: The client did not read fast enough; reconnect with ``last_seen_id``.
CLOSE_SLOW = 4413
#: The server is shutting down (the standard "going away").
CLOSE_GOING_AWAY = 1001

CLOSE_CODES: dict[int, str] = {
    CLOSE_UNAUTHENTICATED: "not signed in, or the session ended",
    CLOSE_ORIGIN: "cookie sign-in from an origin that is not allowed",
    CLOSE_NDA: "the room's current NDA is not accepted",
    CLOSE_REMOVED: "no such room, or no (longer a) participant",
    CLOSE_ROOM_ENDED: "the room was closed or cancelled",
    CLOSE_SLOW: "the client does not keep up; reconnect with last_seen_id",
    CLOSE_GOING_AWAY: "the server is shutting down; reconnect with last_seen_id",
}


@dataclass(frozen=True)
class Close:
    """Close the socket with ``code`` after an error frame ``error_code`` with ``message``."""

    code: int
    error_code: str
    message: Message | None
    status: int = 403
