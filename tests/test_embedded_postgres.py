"""The embedded server stops when its last live user stops, even after a crashed user."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil

from service.db.embedded import EmbeddedPostgres


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _running(pid: int) -> bool:
    # The postmaster may be our child (started through pg_ctl as another user): once stopped it
    # lingers as a zombie until reaped, which is not running.
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_a_crashed_handle_does_not_keep_the_server_running():
    # Not under pytest's tmp_path: as root the server runs as embedded_postgres, and any pytest
    # run started meanwhile on the machine resets /tmp/pytest-of-root to 0700.
    with tempfile.TemporaryDirectory(prefix="kyoso-embedded-") as tmp:
        _crash_and_restart(Path(tmp))


def _crash_and_restart(tmp_path: Path) -> None:
    first = EmbeddedPostgres(tmp_path / "pg")
    postmaster = first._server.get_pid()
    first.stop()
    assert not _running(postmaster)

    # A process that was killed while serving leaves its pid registered as a user of the server.
    (tmp_path / "pg" / ".handle_pids.json").write_text(json.dumps([_dead_pid()]))
    second = EmbeddedPostgres(tmp_path / "pg")
    postmaster = second._server.get_pid()
    second.stop()
    assert not _running(postmaster)
