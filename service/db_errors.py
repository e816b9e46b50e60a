"""What kind of failure a database exception is, by SQLSTATE and by driver exception type.

``database_error_kind`` sees through SQLAlchemy's wrapping (``DBAPIError.orig``) and exception
chains to asyncpg's own exception, so the raw driver path (the hot list query) and the ORM path
classify alike. service/errors.py turns the kind into a problem response.
"""

from __future__ import annotations

from typing import Literal

import asyncpg
from sqlalchemy.exc import TimeoutError as PoolTimeout

Kind = Literal["data", "constraint", "retry", "unavailable", "other"]

#: A transaction lost a serialization race or a deadlock: the same request may succeed if retried.
RETRY_STATES = frozenset({"40001", "40P01"})
#: The server went away (admin/crash/cannot-connect-now shutdown), cancelled the statement on a
#: timeout, or is out of connections: retry later.
UNAVAILABLE_STATES = frozenset({"57P01", "57P02", "57P03", "57014"})
UNAVAILABLE_CLASSES = frozenset({"08", "53"})


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc``, the driver error SQLAlchemy wraps (``orig``), and their causes and contexts."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        todo.extend([getattr(current, "orig", None), current.__cause__, current.__context__])
    return seen


def database_error_kind(exc: BaseException) -> tuple[Kind, str | None]:
    """``(kind, sqlstate)`` of a database failure.

    ``data`` (class 22: a value the column cannot hold), ``constraint`` (class 23), ``retry``
    (40001 serialization failure, 40P01 deadlock), ``unavailable`` (class 08, 53, 57P01–3,
    57014, or the connection is gone: asyncpg ``InterfaceError``/``ConnectionDoesNotExistError``,
    a socket error, a pool timeout) or ``other`` (our bug).
    """
    chain = _chain(exc)
    states = [getattr(e, "sqlstate", None) for e in chain]
    state = next((s for s in states if isinstance(s, str) and s), None)
    lost = any(
        isinstance(e, asyncpg.InterfaceError | asyncpg.PostgresConnectionError | ConnectionError | PoolTimeout)
        or getattr(e, "connection_invalidated", False) is True
        for e in chain
    )
    if state in RETRY_STATES:
        return "retry", state
    if lost or (state is not None and (state in UNAVAILABLE_STATES or state[:2] in UNAVAILABLE_CLASSES)):
        return "unavailable", state
    if state is not None and state.startswith("22"):
        return "data", state
    if state is not None and state.startswith("23"):
        return "constraint", state
    return "other", state
