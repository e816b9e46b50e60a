"""A real HTTP server on 127.0.0.1 for the app under test, in the test's own event loop.

The app keeps the test's rolled-back database connection, so the fuzzer may write anything; the
fuzzer itself is synchronous (requests) and runs in a worker thread while this loop serves it.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import uvicorn

from service.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The suite's settings, with room for the fuzzer's sign-ups: every one comes from 127.0.0.1,
    and past the per-IP limit each would be the same 429 instead of an answer to what it sent.
    The limit itself is tested in tests/service/test_signup.py."""
    return dataclasses.replace(settings, signup_max_per_ip=100_000)


@asynccontextmanager
async def serve(app: Any) -> AsyncIterator[str]:
    """Serve ``app`` on a free port of 127.0.0.1; yields its base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="off", log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        for _ in range(500):
            if server.started or task.done():
                break
            await asyncio.sleep(0.01)
        if not server.started:
            task.result()  # re-raises why it did not start
            raise RuntimeError("the test server did not start in 5 s")
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
