"""``kyoso audit verify|rekey`` — the tamper-evident audit log from the command line."""

from __future__ import annotations

import sys
from typing import Any

import click

from service.cli.common import load_settings as _settings
from service.cli.common import with_engine as _with_engine


@click.group()
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


async def unsigned_entries(bind: Any) -> int:
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
