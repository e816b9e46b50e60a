"""``kyoso`` — run the service, migrate, load demo data, print the database URL."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from service.settings import Settings, SettingsError

T = TypeVar("T")


def _settings() -> Settings:
    from service.audit import keys

    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        click.echo(f"kyoso: configuration error: {exc}", err=True)
        sys.exit(2)
    # Everything this command appends to the audit log (demo data, training) is signed with it.
    keys.install(keys.keyring_of(settings.audit_key, settings.audit_previous_keys))
    return settings


#: In the data dir once the embedded database's audit chain has been signed with the audit key.
AUDIT_SIGNED_MARKER = "audit-signed"


def prepare_database(urls: Any, settings: Settings) -> None:
    """Migrate as the owner and grant the app role; on the embedded server's first start after
    the audit key arrived, re-sign the legacy (unkeyed) audit rows once."""
    from service.db.migrate import upgrade

    _with_engine(urls.owner, lambda engine: upgrade(engine, app_role=urls.app_role))
    marker = settings.data_dir / AUDIT_SIGNED_MARKER
    if urls.embedded and not marker.exists():
        result = _with_engine(urls.owner, audit_rekey_job)
        if result.refused is not None:
            click.echo("kyoso: the audit log was NOT re-signed: its chain is broken", err=True)
            print_audit_report(result.refused)
            return
        if result.resigned:
            click.echo(f"audit log: {result.resigned} entries signed with audit key {result.key_id}")
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        marker.write_text(f"audit chain signed with key {result.key_id}\n")
    if not urls.embedded and not os.environ.get("KYOSO_AUDIT_KEY"):
        click.echo(
            f"kyoso: KYOSO_AUDIT_KEY is not set: the audit log is signed with a key generated in"
            f" {settings.data_dir}; every replica and every `kyoso audit` run must share one key",
            err=True,
        )
    if not urls.embedded and _with_engine(urls.app, _unsigned_entries):
        click.echo(
            "kyoso: the audit log has entries from before the audit key: check them with"
            " `kyoso audit verify`, then sign them with `kyoso audit rekey`",
            err=True,
        )


def app_environment(urls: Any, settings: Settings) -> dict[str, str]:
    """What the server process (``create_app_from_env``) is started with: the app role's URL."""
    return {
        "KYOSO_DATABASE_URL": urls.app,
        "KYOSO_SECRET_KEY": settings.secret_key,
        "KYOSO_AUDIT_KEY": settings.audit_key,
    }


def _with_engine(url: str, job: Callable[[Any], Awaitable[T]]) -> T:
    from service.db import create_engine

    async def run() -> T:
        engine = create_engine(url, pool_size=2)
        try:
            return await job(engine)
        finally:
            await engine.dispose()

    return asyncio.run(run())


async def _demo(engine: Any, *, reset_passwords: bool = False) -> dict[str, str]:
    from service.db import session_factory
    from service.demo.loader import load_demo

    async with session_factory(engine)() as session, session.begin():
        return await load_demo(session, reset_passwords=reset_passwords)


async def _demo_history(engine: Any) -> int:
    from service.db import session_factory
    from service.demo.loader import load_demo_history

    async with session_factory(engine)() as session, session.begin():
        return await load_demo_history(session)


def _trainer() -> str:
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"kyoso train ({user}@{socket.gethostname()})"


async def _train(engine: Any, *, activate: bool, only_if_none: bool = False) -> int:
    """Train and store a model version; 0 when stored (or skipped), 1 on too few events."""
    from sqlalchemy import func, select
    from tqdm import tqdm

    import matching
    from service.db import session_factory
    from service.matching.messages import MESSAGES as MATCHING_MESSAGES
    from service.matching.store import train_and_store
    from service.models import ModelVersion

    async with session_factory(engine)() as session, session.begin():
        if only_if_none and await session.scalar(select(func.count()).select_from(ModelVersion)):
            return 0
        with tqdm(total=100, desc="training", unit="%", bar_format="{desc:<48} {bar} {percentage:3.0f}%") as bar:

            def progress(message: str, fraction: float) -> None:
                bar.set_description_str(message[:48], refresh=False)
                bar.update(max(0, round(fraction * 100) - bar.n))

            try:
                version, result = await train_and_store(
                    session, trained_by=_trainer(), activate=activate, progress=progress
                )
            except matching.NotEnoughData as exc:
                bar.leave = False
                bar.close()
                click.echo(f"kyoso: {exc.message_ja}", err=True)
                click.echo(f"kyoso: {exc.message_en}", err=True)
                fallback = MATCHING_MESSAGES.text("model.content_ranker_fallback")
                click.echo(f"kyoso: {fallback.ja} / {fallback.en}", err=True)
                return 1
    click.echo(result.report)
    state = "active (served now)" if version.status == "active" else "candidate (activate it with the admin API)"
    click.echo(f"stored model version {version.version} [{version.id}]: {state}")
    return 0


async def _demo_impact(engine: Any, data_dir: Any) -> int:
    from service.db import session_factory
    from service.demo.loader import load_demo_impact

    async with session_factory(engine)() as session, session.begin():
        return await load_demo_impact(session, data_dir / "evidence")


def _print_passwords(passwords: dict[str, str]) -> None:
    if not passwords:
        return
    click.echo("Demo accounts (passwords shown once; `kyoso demo --reset-passwords` makes new ones):")
    for email, password in passwords.items():
        click.echo(f"  {email:28} {password}")


@click.group()
def main() -> None:
    """Kyoso (共創) — 地方創生ファンドプラットフォーム."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--reload/--no-reload", default=False, show_default=True, help="Restart on code changes")
@click.option("--workers", default=1, show_default=True, type=int)
def serve(host: str, port: int, reload: bool, workers: int) -> None:
    """Start the embedded database (unless KYOSO_DATABASE_URL), migrate, load demo data once, serve."""
    from granian import Granian
    from granian.constants import Interfaces

    from service.runtime import database

    settings = _settings()
    with database(settings) as urls:
        prepare_database(urls, settings)
        url = urls.app
        marker = settings.data_dir / "demo-loaded"
        if settings.load_demo and not marker.exists():
            _print_passwords(_with_engine(url, _demo))
            _with_engine(url, _demo_history)
            _with_engine(url, lambda engine: _demo_impact(engine, settings.data_dir))
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            marker.write_text("demo data loaded on first start\n")
        first_model = settings.data_dir / "first-model"
        if not first_model.exists():
            # First start: train a first matching model if there are enough events (else the
            # content ranker serves until `kyoso train` succeeds).
            _with_engine(url, lambda engine: _train(engine, activate=True, only_if_none=True))
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            first_model.write_text("first matching model attempted on first start\n")
        os.environ.update(app_environment(urls, settings))
        click.echo(f"Kyoso on http://{host}:{port}  (API docs: http://{host}:{port}/schema)")
        Granian(
            "service.app:create_app_from_env",
            factory=True,
            address=host,
            port=port,
            interface=Interfaces.ASGI,
            workers=workers,
            reload=reload,
            log_access=False,
        ).serve()


@main.group()
def migrate() -> None:
    """Alembic migrations."""


@migrate.command("upgrade")
@click.argument("revision", default="head")
def migrate_upgrade(revision: str) -> None:
    """Migrate as the owner role, then grant the app role its rights on every table."""
    from service.db.migrate import upgrade
    from service.runtime import database

    with database(_settings()) as urls:
        _with_engine(urls.owner, lambda engine: upgrade(engine, revision, app_role=urls.app_role))
    click.echo(f"upgraded to {revision}")


@migrate.command("downgrade")
@click.argument("revision")
def migrate_downgrade(revision: str) -> None:
    from service.db.migrate import downgrade
    from service.runtime import database

    with database(_settings()) as urls:
        _with_engine(urls.owner, lambda engine: downgrade(engine, revision))
    click.echo(f"downgraded to {revision}")


@migrate.command("current")
def migrate_current() -> None:
    from service.db.migrate import current
    from service.runtime import database

    with database(_settings()) as urls:
        click.echo(_with_engine(urls.owner, current) or "(empty database)")


@main.command()
@click.option("--reset-passwords", is_flag=True, help="Give the demo users new passwords and print them")
def demo(reset_passwords: bool) -> None:
    """Load the demo data (idempotent)."""
    from service.runtime import database

    settings = _settings()
    with database(settings) as urls:
        prepare_database(urls, settings)
        url = urls.app
        passwords = _with_engine(url, lambda engine: _demo(engine, reset_passwords=reset_passwords))
        _with_engine(url, _demo_history)
        _with_engine(url, lambda engine: _demo_impact(engine, settings.data_dir))
    _print_passwords(passwords)
    click.echo("demo data present")


@main.command()
@click.option("--activate/--no-activate", default=True, show_default=True, help="Serve the new version at once")
def train(activate: bool) -> None:
    """Train a matching model from the database's events, store it as a new version, print its evaluation."""
    from service.runtime import database

    settings = _settings()
    with database(settings) as urls:
        prepare_database(urls, settings)
        code = _with_engine(urls.app, lambda engine: _train(engine, activate=activate))
    if code:
        sys.exit(code)


@main.group()
def audit() -> None:
    """The tamper-evident audit log."""


async def audit_report(bind: Any, expected_head: tuple[int, str] | None = None) -> Any:
    """Verify the audit chain over ``bind`` (an engine or a connection); returns a ChainReport."""
    from service.audit.service import verify_chain
    from service.db import session_factory

    async with session_factory(bind)() as session:
        return await verify_chain(session, expected_head=expected_head)


def print_audit_report(report: Any) -> int:
    """Print OK or the first broken link; the exit code (0 intact, 1 broken)."""
    if report.ok:
        keys = ", ".join(report.key_ids) or "-"
        click.echo(f"OK: {report.entries} entries, head seq {report.head_seq} hash {report.head_hash} (keys: {keys})")
        return 0
    prefix = f"seq {report.broken_seq}: "
    en, ja = (p.removeprefix(prefix) if p else "" for p in (report.problem_en, report.problem_ja))
    click.echo(f"BROKEN at seq {report.broken_seq}: {en} / {ja}", err=True)
    return 1


async def audit_rekey_job(bind: Any) -> Any:
    """Re-sign the chain with the current key over ``bind`` (as the owner); a RekeyResult."""
    from service.audit.rekey import rekey
    from service.db import session_factory

    async with session_factory(bind)() as session, session.begin():
        return await rekey(session)


async def _unsigned_entries(bind: Any) -> int:
    from sqlalchemy import func, select

    from service.db import session_factory
    from service.models import AuditEntry

    async with session_factory(bind)() as session:
        count = await session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.key_id.is_(None)))
        return int(count or 0)


def _head_option(_ctx: Any, _param: Any, value: str | None) -> tuple[int, str] | None:
    from service.audit.head import parse_head

    if value is None:
        return None
    head = parse_head(value)
    if head is None:
        raise click.BadParameter("expected SEQ:HASH (a head_seq and a 64-hex head_hash of a former report)")
    return head


@audit.command("verify")
@click.option(
    "--expect-head",
    callback=_head_option,
    metavar="SEQ:HASH",
    help="The head published elsewhere; default: the one this command stored in $KYOSO_DATA_DIR/audit-head.",
)
def audit_verify(expect_head: tuple[int, str] | None) -> None:
    """Check every link and keyed hash of the audit log; exit 1 at the first broken one.

    The chain cannot show on its own that its newest entries were deleted, so the head verified
    last is kept in $KYOSO_DATA_DIR/audit-head (mode 600) and the next run must reach it
    (``truncated`` otherwise); --expect-head compares with a head kept elsewhere instead.
    """
    from service.audit.head import HEAD_FILE, read_head, write_head
    from service.runtime import database

    settings = _settings()
    stored = settings.data_dir / HEAD_FILE
    expected = expect_head if expect_head is not None else read_head(stored)
    with database(settings) as urls:
        report = _with_engine(urls.app, lambda engine: audit_report(engine, expected))
    code = print_audit_report(report)
    if code == 0 and report.head_seq is not None:
        write_head(stored, report.head_seq, report.head_hash)
    sys.exit(code)


@audit.command("rekey")
def audit_rekey() -> None:
    """Sign every entry not yet signed with the current audit key (legacy rows, a retired key).

    Checks the whole chain first and changes nothing if a link is broken; runs as the owner role.
    Re-signing changes the hashes, so the head stored by `kyoso audit verify` is checked first
    (nothing is re-signed if the chain was truncated) and replaced by the new head afterwards.
    """
    from service.audit.head import HEAD_FILE, read_head, write_head
    from service.runtime import database

    settings = _settings()
    stored = settings.data_dir / HEAD_FILE
    expected = read_head(stored)
    with database(settings) as urls:
        if expected is not None:
            before = _with_engine(urls.owner, lambda engine: audit_report(engine, expected))
            if not before.ok:
                click.echo("kyoso: nothing re-signed: the chain is broken", err=True)
                sys.exit(print_audit_report(before))
        result = _with_engine(urls.owner, audit_rekey_job)
        after = _with_engine(urls.owner, audit_report) if result.refused is None else None
    if result.refused is not None:
        click.echo("kyoso: nothing re-signed: the chain is broken", err=True)
        sys.exit(print_audit_report(result.refused))
    if after is not None and after.ok and after.head_seq is not None:
        write_head(stored, after.head_seq, after.head_hash)
    click.echo(f"re-signed {result.resigned} of {result.entries} entries with audit key {result.key_id}")


@main.command("db-url")
def db_url() -> None:
    """Print the database URL (libpq form, usable with psql while `kyoso serve` runs)."""
    settings = _settings()
    if settings.database_url is not None:
        click.echo(settings.database_url.replace("postgresql+asyncpg://", "postgresql://"))
        return
    from service.db.embedded import EmbeddedPostgres
    from service.runtime import EMBEDDED_DB_NAME

    server = EmbeddedPostgres(settings.data_dir / "pg")
    try:
        click.echo(server.libpq_url(EMBEDDED_DB_NAME))
    finally:
        server.stop()
