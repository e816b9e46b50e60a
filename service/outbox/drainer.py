"""The background task that drains the outbox; the app's lifespan starts and stops it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from service.background import BackgroundLoop
from service.outbox.mail import MAIL, MailSender
from service.outbox.store import Handler, drain_once
from service.settings import Settings

_log = logging.getLogger("kyoso.outbox")


class OutboxDrainer(BackgroundLoop):
    """Polls every ``interval`` seconds (at once again while there is work)::

    drainer = OutboxDrainer(maker, {MAIL: sender}); drainer.start(); ...; await drainer.stop()
    """

    task_name = "outbox-drainer"

    def __init__(
        self, maker: async_sessionmaker[AsyncSession], handlers: Mapping[str, Handler], *, interval: float = 2.0
    ) -> None:
        self.maker = maker
        self.handlers = dict(handlers)
        self.interval = interval

    @classmethod
    def for_settings(cls, maker: async_sessionmaker[AsyncSession], settings: Settings) -> OutboxDrainer:
        sender = MailSender.for_target(settings.smtp, sender=settings.mail_from)
        return cls(maker, {MAIL: sender})

    async def _run(self) -> None:
        while True:
            try:
                sent = await drain_once(self.maker, self.handlers)
            except Exception:
                # The database may be restarting; the next round tries again.
                _log.exception("outbox drain failed")
                sent = 0
            await asyncio.sleep(0 if sent else self.interval)
