"""Shared column helpers and the metadata naming convention (stable constraint names)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, DateTime, String, text
from sqlmodel import SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def enum_column(enum: type[StrEnum], *, nullable: bool = False, index: bool = False) -> Column[str]:
    return Column(String(32), nullable=nullable, index=index)


def enum_check(column: str, enum: type[StrEnum]) -> CheckConstraint:
    allowed = ", ".join(f"'{m.value}'" for m in enum)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_valid")


def timestamp_column(*, nullable: bool = False, default_now: bool = True) -> Column[datetime]:
    return Column(
        DateTime(timezone=True),
        nullable=nullable,
        server_default=text("now()") if default_now else None,
    )
