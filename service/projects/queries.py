"""The project list query, built once with SQLAlchemy Core.

The API handler and the bench-only raw-asyncpg endpoint both compile *this* statement, so the
benchmark compares the same SQL through two drivers' worth of Python.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, SmallInteger, and_, func, literal, or_, select, type_coerce
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.sql.sqltypes import NullType

from service.models import LivingSphereMember, Organisation, Project
from service.models.enums import PUBLIC_STATUSES, Instrument, ProjectStatus, Sector

SORTS = (
    "created_at",
    "funding_target_yen",
    "min_ticket_yen",
    "funding_deadline",
    "term_months",
    "title_ja",
    "expected_return_max_pct",
    "lm3",
)


@dataclass(frozen=True)
class ProjectFilters:
    prefecture: int | None = None
    municipality: str | None = None
    living_sphere: uuid.UUID | None = None
    sectors: tuple[Sector, ...] = ()
    instruments: tuple[Instrument, ...] = ()
    statuses: tuple[ProjectStatus, ...] = ()
    ticket_min: int | None = None
    ticket_max: int | None = None
    organisation: uuid.UUID | None = None
    q: str | None = None
    lm3_min: float | None = None
    lm3_max: float | None = None
    sort: str = "-created_at"


@dataclass(frozen=True)
class Visibility:
    """What the caller may see: public statuses, plus everything of ``organisations``."""

    all_statuses: bool = False
    organisations: frozenset[uuid.UUID] = field(default_factory=frozenset)


# Plain Core columns (not ORM attributes): the hot list skips ORM compilation and row handling.
P = Project.__table__.c  # type: ignore[attr-defined]
ORG = Organisation.__table__.c  # type: ignore[attr-defined]

LIST_COLUMNS = (
    P.id,
    P.title_ja,
    P.title_en,
    P.summary_ja,
    P.summary_en,
    P.sector,
    P.instrument,
    P.stage,
    P.status,
    P.organisation_id,
    ORG.name_ja.label("organisation_name_ja"),
    ORG.name_en.label("organisation_name_en"),
    # asyncpg already returns Python lists: NullType skips SQLAlchemy's per-element processing.
    type_coerce(P.municipality_codes, NullType()).label("municipality_codes"),
    type_coerce(P.prefecture_codes, NullType()).label("prefecture_codes"),
    P.funding_target_yen,
    P.min_ticket_yen,
    P.expected_return_min_pct,
    P.expected_return_max_pct,
    P.term_months,
    P.funding_deadline,
    P.created_at,
    # Stored when the inputs change, so the list never computes a metric per row.
    type_coerce(P.computed_metrics, NullType()).label("computed_metrics"),
    P.lm3,
)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def where_clauses(filters: ProjectFilters, visibility: Visibility) -> list[Any]:
    clauses: list[Any] = []
    if not visibility.all_statuses:
        public = P.status.in_([s.value for s in PUBLIC_STATUSES])
        if visibility.organisations:
            clauses.append(or_(public, P.organisation_id.in_(visibility.organisations)))
        else:
            clauses.append(public)
    if filters.statuses:
        clauses.append(P.status.in_([s.value for s in filters.statuses]))
    if filters.prefecture is not None:
        clauses.append(P.prefecture_codes.contains(array([literal(filters.prefecture, SmallInteger)])))
    if filters.municipality is not None:
        clauses.append(P.municipality_codes.contains(array([literal(filters.municipality)])))
    if filters.living_sphere is not None:
        members = (
            select(func.array_agg(LivingSphereMember.__table__.c.municipality_code))
            .where(LivingSphereMember.__table__.c.living_sphere_id == filters.living_sphere)
            .scalar_subquery()
        )
        clauses.append(P.municipality_codes.overlap(members))
    if filters.sectors:
        clauses.append(P.sector.in_([s.value for s in filters.sectors]))
    if filters.instruments:
        clauses.append(P.instrument.in_([i.value for i in filters.instruments]))
    if filters.ticket_max is not None:
        clauses.append(P.min_ticket_yen <= filters.ticket_max)
    if filters.ticket_min is not None:
        clauses.append(P.min_ticket_yen >= filters.ticket_min)
    if filters.organisation is not None:
        clauses.append(P.organisation_id == filters.organisation)
    if filters.lm3_min is not None:
        clauses.append(P.lm3 >= filters.lm3_min)
    if filters.lm3_max is not None:
        clauses.append(P.lm3 <= filters.lm3_max)
    if filters.q:
        clauses.append(P.search_text.ilike(f"%{_escape_like(filters.q)}%", escape="\\"))
    return clauses


def order_by(sort: str) -> list[Any]:
    descending = sort.startswith("-")
    column = P[sort.lstrip("-")]
    primary = column.desc().nulls_last() if descending else column.asc().nulls_last()
    return [primary, P.id.desc() if descending else P.id.asc()]


def list_statement(filters: ProjectFilters, visibility: Visibility, *, limit: int, offset: int) -> Select[Any]:
    """One round trip: the page's rows, each carrying the total match count."""
    return (
        select(*LIST_COLUMNS, func.count().over().label("total"))
        .join(Organisation.__table__, ORG.id == P.organisation_id)
        .where(and_(*where_clauses(filters, visibility)))
        .order_by(*order_by(filters.sort))
        .limit(limit)
        .offset(offset)
    )


def count_statement(filters: ProjectFilters, visibility: Visibility) -> Select[Any]:
    return select(func.count()).select_from(Project.__table__).where(and_(*where_clauses(filters, visibility)))
