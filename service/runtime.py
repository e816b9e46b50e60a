"""Start-up plumbing shared by the CLI: which database, migrations, first-start demo data."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from service.db.embedded import EmbeddedPostgres, ensure_database
from service.settings import Settings

_log = logging.getLogger("kyoso")
EMBEDDED_DB_NAME = "kyoso"


@contextmanager
def database(settings: Settings) -> Iterator[str]:
    """Yield the asyncpg URL to use; start (and finally stop) the embedded server if needed."""
    if settings.database_url is not None:
        yield settings.database_url
        return
    server = EmbeddedPostgres(settings.data_dir / "pg")
    try:
        ensure_database(server, EMBEDDED_DB_NAME)
        yield server.url(EMBEDDED_DB_NAME)
    finally:
        server.stop()
