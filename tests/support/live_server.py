"""The real app behind a real HTTP server (granian) on 127.0.0.1, for tests that need a browser
or a socket rather than the in-process ASGI transport::

    with LiveServer(database_url, data_dir=tmp_path) as server:
        httpx.get(f"{server.url}/health")

The server runs in a subprocess on a free port; start-up is awaited by polling ``/health``
(not by sleeping a fixed time), with a generous deadline so a loaded machine only makes it slower.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from types import TracebackType

import httpx

from tests.support.waits import START_TIMEOUT, wait_until


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    def __init__(self, database_url: str, *, data_dir: Path, secret_key: str, timeout: float = START_TIMEOUT) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._database_url = database_url
        self._data_dir = data_dir
        self._secret_key = secret_key
        self._timeout = timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._log = data_dir / "live-server.log"

    def start(self) -> LiveServer:
        env = {
            **os.environ,
            "KYOSO_DATABASE_URL": self._database_url,
            "KYOSO_DATA_DIR": str(self._data_dir),
            "KYOSO_SECRET_KEY": self._secret_key,
            "KYOSO_LOG_LEVEL": "WARNING",
        }
        self._data_dir.mkdir(parents=True, exist_ok=True)
        with self._log.open("wb") as log:
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "granian",
                    "--interface",
                    "asgi",
                    "--factory",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--workers",
                    "1",
                    "service.app:create_app_from_env",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until(self._ready, timeout=self._timeout, what=f"the live server on {self.url}", log=self._log)
        except BaseException:
            self.stop()
            raise
        return self

    def _ready(self) -> bool:
        assert self._process is not None
        if self._process.poll() is not None:
            raise RuntimeError(
                f"the live server exited with {self._process.returncode}:\n{self._log.read_text(errors='replace')}"
            )
        try:
            return httpx.get(f"{self.url}/health", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=30)
        self._process = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


__all__ = ["LiveServer", "free_port"]
