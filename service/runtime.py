"""Start-up plumbing shared by the CLI: which database, as which role, migrations, first-start data.

The service never connects as a superuser or as the owner of its tables: :func:`database` yields
two URLs, ``owner`` (migrations, the audit re-signing) and ``app`` (everything else).

- Embedded server: the roles ``kyoso_owner`` and ``kyoso_app`` are created (idempotently) on every
  start, and everything in the database is handed to the owner, so a data directory from before
  the roles existed upgrades in place. They sign in over the Unix socket inside the data
  directory (mode 0700: only this OS account reaches it), with no password to keep.
- External server: ``KYOSO_DATABASE_URL`` is the app role, ``KYOSO_MIGRATION_DATABASE_URL`` the
  owner. Without the latter, migrations run as the app's role, which then must own the tables:
  it works, with a warning, but the app could alter the audit table.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.engine import make_url

from service.db.embedded import EmbeddedPostgres, ensure_database
from service.db.roles import APP_ROLE, OWNER_ROLE, provision
from service.settings import Settings

_log = logging.getLogger("kyoso")
EMBEDDED_DB_NAME = "kyoso"

OWNER_RIGHTS_WARNING = (
    "KYOSO_MIGRATION_DATABASE_URL is not set: migrations run as the KYOSO_DATABASE_URL role, so the"
    " app runs with owner rights (it can alter tables and disable the audit log's triggers)."
    " Give the app its own role (see README, database roles)."
)


@dataclass(frozen=True, slots=True)
class DatabaseUrls:
    """``app``: what the service connects as. ``owner``: what migrations run as. ``app_role``:
    the role the owner grants table rights to after an upgrade (None when both are one role)."""

    app: str
    owner: str
    app_role: str | None
    embedded: bool = False


def as_role(url: str, role: str) -> str:
    """``url`` signing in as ``role`` instead (no password: the embedded server's socket)."""
    return make_url(url).set(username=role, password=None).render_as_string(hide_password=False)


def external_urls(settings: Settings) -> DatabaseUrls:
    assert settings.database_url is not None
    app = settings.database_url
    owner = settings.migration_database_url
    if owner is None:
        _log.warning(OWNER_RIGHTS_WARNING)
        return DatabaseUrls(app=app, owner=app, app_role=None)
    app_user, owner_user = make_url(app).username, make_url(owner).username
    return DatabaseUrls(app=app, owner=owner, app_role=app_user if app_user and app_user != owner_user else None)


def provision_embedded(server: EmbeddedPostgres, database: str) -> DatabaseUrls:
    """Create the roles on the embedded server and hand ``database`` to the owner; the two URLs."""
    superuser = server.url(database)

    async def run() -> None:
        from service.db import create_engine

        engine = create_engine(superuser, pool_size=1)
        try:
            async with engine.begin() as conn:
                await provision(conn, database)
        finally:
            await engine.dispose()

    asyncio.run(run())
    return DatabaseUrls(
        app=as_role(superuser, APP_ROLE), owner=as_role(superuser, OWNER_ROLE), app_role=APP_ROLE, embedded=True
    )


@contextmanager
def database(settings: Settings) -> Iterator[DatabaseUrls]:
    """Yield the URLs to use; start (and finally stop) the embedded server if needed."""
    if settings.database_url is not None:
        yield external_urls(settings)
        return
    server = EmbeddedPostgres(settings.data_dir / "pg")
    try:
        ensure_database(server, EMBEDDED_DB_NAME)
        yield provision_embedded(server, EMBEDDED_DB_NAME)
    finally:
        server.stop()
