"""Start-up waits poll until ready and, when a deadline does pass, say what was awaited."""

from __future__ import annotations

import time

import pytest

from tests.support.waits import StartupTimeout, wait_until


def test_wait_until_returns_as_soon_as_ready():
    calls = []

    def ready() -> bool:
        calls.append(time.monotonic())
        return len(calls) >= 3

    took = wait_until(ready, timeout=30, what="three calls", interval=0.01)
    assert len(calls) == 3
    assert took < 5


def test_an_expired_wait_names_what_it_waited_for_and_shows_the_log(tmp_path):
    log = tmp_path / "server.log"
    log.write_text("starting\nFATAL: could not bind\n")
    with pytest.raises(StartupTimeout) as caught:
        wait_until(lambda: False, timeout=0.2, what="the test server", log=log, interval=0.01)
    message = str(caught.value)
    assert "the test server was not ready after 0 s" in message
    assert "KYOSO_TEST_START_TIMEOUT" in message
    assert "FATAL: could not bind" in message
