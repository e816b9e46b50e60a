"""The live feed's part of the app's lifespan: this process's hub and, when the app owns its
database engine, its listener (tests that inject a rolled-back session get the hub only)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar

from service.deal_rooms.live.hub import Hub
from service.deal_rooms.live.listener import FeedListener
from service.deal_rooms.live.socket import GOING_AWAY


@asynccontextmanager
async def live_lifespan(app: Litestar) -> AsyncIterator[None]:
    hub = Hub(app.state.read_session_maker)
    app.state.live_hub = hub
    engine = app.state.get("engine")
    listener = None
    if engine is not None:
        listener = FeedListener(engine.url.render_as_string(hide_password=False), hub)
        listener.start()
    app.state.live_listener = listener
    try:
        yield
    finally:
        await hub.close_all(GOING_AWAY)
        if listener is not None:
            await listener.stop()
