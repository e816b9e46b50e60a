"""One listener per process: its own asyncpg connection LISTENing on the feed's channel.

Litestar's channels backends do not recover after a PostgreSQL restart (README, issue 8), so the
process keeps this small loop instead: connect, ``add_termination_listener``, ``add_listener``,
then let the hub read whatever was committed while nobody listened (the rows are in the table,
so a notification lost with a dead connection loses nothing). A dead TCP connection may not
signal, so every ``liveness_seconds`` the loop runs ``SELECT 1`` with a deadline; on any failure
it drops the connection and reconnects with capped, jittered exponential backoff.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import uuid
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from service.background import BackgroundLoop
from service.deal_rooms.live.feed import CHANNEL
from service.deal_rooms.live.hub import Hub

_log = logging.getLogger("kyoso.live")


def libpq_url(database_url: str) -> str:
    """The asyncpg form of a SQLAlchemy URL (``postgresql+asyncpg://`` → ``postgresql://``)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


class FeedListener(BackgroundLoop):
    task_name = "deal-room-feed-listener"

    def __init__(
        self,
        database_url: str,
        hub: Hub,
        *,
        liveness_seconds: float = 5.0,
        backoff_first: float = 0.1,
        backoff_cap: float = 5.0,
    ) -> None:
        self._dsn = libpq_url(database_url)
        self._hub = hub
        self._liveness = liveness_seconds
        self._first = backoff_first
        self._cap = backoff_cap
        #: Whether a LISTEN is in place now, and how many times one was set up (for tests).
        self.listening = False
        self.connections = 0

    def _on_notification(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            room_id = uuid.UUID(json.loads(payload)["room"])
        except (ValueError, KeyError, TypeError):
            _log.warning("ignoring a malformed feed notification: %.200s", payload)
            return
        self._hub.notify(room_id)

    async def _run(self) -> None:
        delay = self._first
        while True:
            # A connection that was up starts the backoff again from the first delay.
            delay = self._first if await self._listen_once() else min(delay * 2, self._cap)
            await asyncio.sleep(delay * (0.5 + random.random() / 2))  # noqa: S311 — jitter, not a secret

    async def _listen_once(self) -> bool:
        """Listen until the connection fails; whether it got as far as listening."""
        lost = asyncio.Event()
        listened = False
        conn: asyncpg.Connection | None = None
        try:
            conn = await asyncpg.connect(self._dsn, timeout=10)
            conn.add_termination_listener(lambda _c: lost.set())
            await conn.add_listener(CHANNEL, self._on_notification)
            self.listening = listened = True
            self.connections += 1
            if self.connections > 1:
                _log.info("feed listener reconnected; catching up from the table")
            # LISTEN is in place: whatever committed before it is read from the table now.
            self._hub.resync()
            while not lost.is_set():
                try:
                    await asyncio.wait_for(lost.wait(), self._liveness)
                except TimeoutError:
                    await asyncio.wait_for(conn.fetchval("SELECT 1"), self._liveness)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            _log.warning("feed listener lost its connection (%s: %s)", exc.__class__.__name__, exc)
        finally:
            self.listening = False
            if conn is not None:
                conn.terminate()
        return listened
