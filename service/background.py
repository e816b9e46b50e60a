"""One background loop per process, started by the app's lifespan and cancelled at shutdown.

Subclasses give the loop (``_run``) and a task name; ``start`` and ``stop`` are the same for all::

    class Drainer(BackgroundLoop):
        task_name = "outbox-drainer"

        async def _run(self) -> None:
            while True:
                ...
"""

from __future__ import annotations

import asyncio
import contextlib
from abc import ABC, abstractmethod


class BackgroundLoop(ABC):
    task_name = "background"
    _task: asyncio.Task[None] | None = None

    @abstractmethod
    async def _run(self) -> None:
        """The loop; it runs until the task is cancelled."""

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=self.task_name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
