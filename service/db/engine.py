"""The async SQLAlchemy engine over asyncpg, and the session factory.

One request is one transaction: :func:`provide_session` opens it, services only flush, and
it commits after the handler has produced its response (or rolls back on any error).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from litestar import Request
from litestar.datastructures import State
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from service.idempotency import idempotency_guard


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    engine = _create(url, pool_size)
    event.listen(engine.sync_engine, "do_connect", _connect)
    return engine


def _connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
    """Open a driver connection; a server whose Unix socket file is gone (the embedded server,
    stopped) is as unreachable as a refused TCP port, so it answers 503, not 500 — translated
    here, where a missing file can only be the socket, never e.g. an evidence file."""
    try:
        return dialect.connect(*cargs, **cparams)
    except FileNotFoundError as exc:
        raise ConnectionRefusedError(f"database socket not found: {exc.filename}") from exc


def _create(url: str, pool_size: int) -> AsyncEngine:
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=False,
        # The read-only engine copy runs in AUTOCOMMIT: no rollback round trip on check-in.
        skip_autocommit_rollback=True,
        json_serializer=lambda obj: json.dumps(obj, ensure_ascii=False),
        # A failed statement's parameters (password hashes, token hashes, personal data) never
        # go into the exception text, and so never into a log line or a 500's traceback.
        hide_parameters=True,
    )


def session_factory(bind: object, *, info: dict[str, Any] | None = None) -> async_sessionmaker[AsyncSession]:
    """Sessions over ``bind``; ``info`` is copied into every session's ``info`` (the app puts its
    audit keyring there, see ``service.audit.keys``)."""
    return async_sessionmaker(bind=bind, expire_on_commit=False, autoflush=False, info=info)  # type: ignore[call-overload]


def _with_state_info(session: AsyncSession, state: State) -> AsyncSession:
    # Session makers handed in from outside (tests) know nothing of the app's audit keyring.
    for key, value in (state.get("session_info") or {}).items():
        session.info.setdefault(key, value)
    return session


async def provide_session(state: State, request: Request[Any, Any, Any]) -> AsyncIterator[AsyncSession]:
    """Litestar dependency: a session inside one transaction for the whole request.

    On routes that opted into ``Idempotency-Key``, the guard stores the response in this same
    transaction (or replays a stored one instead of running the handler).
    """
    maker: async_sessionmaker[AsyncSession] = state.session_maker
    async with maker() as session, session.begin():
        session = _with_state_info(session, state)
        async with idempotency_guard(request, session):
            yield session


async def provide_read_session(state: State) -> AsyncIterator[AsyncSession]:
    """Litestar dependency for read-only hot paths: autocommit, so a list query is one round
    trip instead of BEGIN + query + COMMIT. Never write through it."""
    maker: async_sessionmaker[AsyncSession] = state.get("read_session_maker") or state.session_maker
    async with maker() as session:
        yield _with_state_info(session, state)
