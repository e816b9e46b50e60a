"""Periodic clean-up, run in the background beside the outbox drainer; the app's lifespan starts it.

Each pass deletes rows that are past their use, in batches of ``batch`` rows per table, each batch
in its own short transaction, and at most ``rounds`` batches per pass (the next pass continues)::

    maintenance = Maintenance(maker, settings); maintenance.start(); ...; await maintenance.stop()

What "past its use" means is decided where each row is written: :func:`service.auth.cleanup.purge_expired`
(rate counters, sign-ups, OIDC round trips) and :func:`service.idempotency.purge_expired` (stored
responses, also purged a batch at a time whenever a response is stored). Both skip rows another
transaction holds, so every replica may run this at once.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from service.auth.cleanup import purge_expired as purge_auth
from service.background import BackgroundLoop
from service.idempotency import purge_expired as purge_idempotency_keys
from service.settings import Settings

_log = logging.getLogger("kyoso.maintenance")


class Maintenance(BackgroundLoop):
    """A pass at start, then one every ``interval`` seconds (± 10 %, so replicas drift apart)."""

    task_name = "maintenance"

    def __init__(
        self,
        maker: async_sessionmaker[AsyncSession],
        settings: Settings,
        *,
        interval: float = 300.0,
        batch: int = 500,
        rounds: int = 20,
    ) -> None:
        self.maker = maker
        self.settings = settings
        self.interval = interval
        self.batch = batch
        self.rounds = rounds

    async def run_once(self) -> dict[str, int]:
        """One pass; rows deleted, by table."""
        deleted: Counter[str] = Counter()
        for _ in range(self.rounds):
            async with self.maker() as session, session.begin():
                counts = await purge_auth(session, self.settings, limit=self.batch)
                counts["idempotency_key"] = await purge_idempotency_keys(session, limit=self.batch)
            deleted.update(counts)
            if max(counts.values()) < self.batch:
                break
        return dict(deleted)

    async def _run(self) -> None:
        while True:
            try:
                deleted = await self.run_once()
                if any(deleted.values()):
                    _log.info("maintenance deleted %s", deleted)
            except Exception:
                # The database may be restarting; the next pass tries again.
                _log.exception("maintenance pass failed")
            await asyncio.sleep(self.interval * random.uniform(0.9, 1.1))  # noqa: S311 - jitter, not a secret
