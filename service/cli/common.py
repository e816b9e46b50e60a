"""What every ``kyoso`` command shares: settings from the environment, and running one async job
on a short-lived engine."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from service.settings import Settings, SettingsError

T = TypeVar("T")


def load_settings() -> Settings:
    from service.audit import keys

    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        click.echo(f"kyoso: configuration error: {exc}", err=True)
        sys.exit(2)
    # Everything this command appends to the audit log (demo data, training) is signed with it.
    keys.install(keys.keyring_of(settings.audit_key, settings.audit_previous_keys))
    return settings


def with_engine(url: str, job: Callable[[Any], Awaitable[T]]) -> T:
    from service.db import create_engine

    async def run() -> T:
        engine = create_engine(url, pool_size=2)
        try:
            return await job(engine)
        finally:
            await engine.dispose()

    return asyncio.run(run())
