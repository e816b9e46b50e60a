"""``kyoso`` — run the service, migrate, load demo data, print the database URL.

The CLI is a composition root: its commands import what they run inside the command, so
``kyoso db-url`` or ``kyoso audit verify`` starts in 0.4 s instead of the 4 s that importing the
whole service (SQLAlchemy, scikit-learn) costs up front. No domain imports the CLI, so these
imports can hide no cycle (tests/test_domain_order.py checks it).
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from service.cli.audit import audit, audit_rekey_job, audit_report, print_audit_report, unsigned_entries
from service.cli.common import load_settings as _settings
from service.cli.common import with_engine as _with_engine
from service.settings import Settings

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
    if not urls.embedded and _with_engine(urls.app, unsigned_entries):
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


async def _train(engine: Any, *, activate: bool, margin: float, only_if_none: bool = False) -> int:
    """Train and store a model version, activated only if it passes the gate (``margin``); 0 when
    stored (or skipped), 1 on too few events."""
    from sqlalchemy import func, select
    from tqdm import tqdm

    import matching
    from service.db import session_factory
    from service.matching.gate import reason_message
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
                    session, trained_by=_trainer(), activate=activate, progress=progress, margin=margin
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
    verdict = reason_message(version.gate_reason, version.gate)
    click.echo(f"gate: {verdict.ja}")
    click.echo(f"gate: {verdict.en}")
    if version.status == "active":
        state = "active (served now)"
    elif version.gate_passed:
        state = "candidate (activate it with the admin API)"
    else:
        state = "candidate, NOT activated: it failed the gate; the previously served ranker keeps serving"
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
            margin = settings.matching_gate_margin
            _with_engine(url, lambda engine: _train(engine, activate=True, margin=margin, only_if_none=True))
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
@click.option(
    "--activate/--no-activate",
    default=True,
    show_default=True,
    help="Serve the new version at once if it passes the activation gate",
)
def train(activate: bool) -> None:
    """Train a matching model from the database's events, store it as a new version, print its
    evaluation; it is served only if it beats content ranking and popularity on held-out NDCG@10
    by KYOSO_MATCHING_GATE_MARGIN."""
    from service.runtime import database

    settings = _settings()
    with database(settings) as urls:
        prepare_database(urls, settings)
        margin = settings.matching_gate_margin
        code = _with_engine(urls.app, lambda engine: _train(engine, activate=activate, margin=margin))
    if code:
        sys.exit(code)


main.add_command(audit)


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


__all__ = ["app_environment", "audit_report", "main", "prepare_database", "print_audit_report"]
