"""Waiting for something to become ready in tests: poll it, with a generous deadline.

A fixed sleep is either too short on a loaded machine or wasted time on an idle one; a short
timeout turns a busy machine into hundreds of fixture errors. ``wait_until`` polls a readiness
check until a deadline (``KYOSO_TEST_START_TIMEOUT`` seconds, 180 by default) and, when the
deadline does pass, says what it was waiting for, for how long, and the tail of a log.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

#: Seconds any start-up in the tests may take before it counts as failed.
START_TIMEOUT = float(os.environ.get("KYOSO_TEST_START_TIMEOUT", "180"))


class StartupTimeout(TimeoutError):
    """Something the tests need did not become ready before its deadline."""


def wait_until(
    ready: Callable[[], bool],
    *,
    timeout: float = START_TIMEOUT,
    what: str,
    log: Path | None = None,
    interval: float = 0.05,
) -> float:
    """Call ``ready()`` until it returns true; return the seconds it took.

    The interval grows from ``interval`` to 1 s, so a quick start is seen quickly and a slow one
    does not spin. Raises :class:`StartupTimeout` naming ``what`` after ``timeout`` seconds.
    """
    started = time.monotonic()
    deadline = started + timeout
    delay = interval
    while True:
        if ready():
            return time.monotonic() - started
        if time.monotonic() >= deadline:
            tail = ""
            if log is not None and log.exists():
                tail = (
                    "\n--- last lines of "
                    + str(log)
                    + " ---\n"
                    + "\n".join(log.read_text(errors="replace").splitlines()[-30:])
                )
            raise StartupTimeout(
                f"{what} was not ready after {timeout:.0f} s (KYOSO_TEST_START_TIMEOUT raises the limit){tail}"
            )
        time.sleep(delay)
        delay = min(delay * 2, 1.0)
