"""The project list query, built once with SQLAlchemy Core.

The API handler and the bench-only raw-asyncpg endpoint both compile *this* statement, so the
benchmark compares the same SQL through two drivers' worth of Python.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, func, literal, or_, select
from sqlalchemy.dialects.postgresql import array

from service.models import LivingSphereMember, Organisation, Project
from service.models.enums import PUBLIC_STATUSES, Instrument, ProjectStatus, Sector

SORTS: dict[str, Any] = {
    "created_at": Project.created_at,
    "funding_target_yen": Project.funding_target_yen,
    "min_ticket_yen": Project.min_ticket_yen,
    "funding_deadline": Project.funding_deadline,
    "term_months": Project.term_months,
    "title_ja": Project.title_ja,
    "expected_return_max_pct": Project.expected_return_max_pct,
}


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
    sort: str = "-created_at"


@dataclass(frozen=True)
class Visibility:
    """What the caller may see: public statuses, plus everything of ``organisations``."""

    all_statuses: bool = False
    organisations: frozenset[uuid.UUID] = field(default_factory=frozenset)


LIST_COLUMNS = (
    Project.id,
    Project.title_ja,
    Project.title_en,
    Project.summary_ja,
    Project.summary_en,
    Project.sector,
    Project.instrument,
    Project.stage,
    Project.status,
    Project.organisation_id,
    Organisation.name_ja.label("organisation_name_ja"),  # type: ignore[attr-defined]
    Organisation.name_en.label("organisation_name_en"),  # type: ignore[attr-defined]
    Project.municipality_codes,
    Project.prefecture_codes,
    Project.funding_target_yen,
    Project.min_ticket_yen,
    Project.expected_return_min_pct,
    Project.expected_return_max_pct,
    Project.term_months,
    Project.funding_deadline,
    Project.created_at,
)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def where_clauses(filters: ProjectFilters, visibility: Visibility) -> list[Any]:
    clauses: list[Any] = []
    if not visibility.all_statuses:
        public = Project.status.in_([s.value for s in PUBLIC_STATUSES])  # type: ignore[attr-defined]
        if visibility.organisations:
            clauses.append(or_(public, Project.organisation_id.in_(visibility.organisations)))  # type: ignore[attr-defined]
        else:
            clauses.append(public)
    if filters.statuses:
        clauses.append(Project.status.in_([s.value for s in filters.statuses]))  # type: ignore[attr-defined]
    if filters.prefecture is not None:
        clauses.append(Project.prefecture_codes.contains(array([literal(filters.prefecture)])))  # type: ignore[attr-defined]
    if filters.municipality is not None:
        clauses.append(Project.municipality_codes.contains(array([literal(filters.municipality)])))  # type: ignore[attr-defined]
    if filters.living_sphere is not None:
        members = (
            select(func.array_agg(LivingSphereMember.municipality_code))
            .where(LivingSphereMember.living_sphere_id == filters.living_sphere)
            .scalar_subquery()
        )
        clauses.append(Project.municipality_codes.overlap(members))  # type: ignore[attr-defined]
    if filters.sectors:
        clauses.append(Project.sector.in_([s.value for s in filters.sectors]))  # type: ignore[attr-defined]
    if filters.instruments:
        clauses.append(Project.instrument.in_([i.value for i in filters.instruments]))  # type: ignore[attr-defined]
    if filters.ticket_max is not None:
        clauses.append(Project.min_ticket_yen <= filters.ticket_max)
    if filters.ticket_min is not None:
        clauses.append(Project.min_ticket_yen >= filters.ticket_min)
    if filters.organisation is not None:
        clauses.append(Project.organisation_id == filters.organisation)
    if filters.q:
        clauses.append(Project.search_text.ilike(f"%{_escape_like(filters.q)}%", escape="\\"))  # type: ignore[union-attr]
    return clauses


def order_by(sort: str) -> list[Any]:
    descending = sort.startswith("-")
    column = SORTS[sort.lstrip("-")]
    primary = column.desc().nulls_last() if descending else column.asc().nulls_last()
    return [primary, Project.id.desc() if descending else Project.id.asc()]  # type: ignore[attr-defined]


def list_statement(filters: ProjectFilters, visibility: Visibility, *, limit: int, offset: int) -> Select[Any]:
    """One round trip: the page's rows, each carrying the total match count."""
    return (
        select(*LIST_COLUMNS, func.count().over().label("total"))
        .join(Organisation, Organisation.id == Project.organisation_id)
        .where(and_(*where_clauses(filters, visibility)))
        .order_by(*order_by(filters.sort))
        .limit(limit)
        .offset(offset)
    )


def count_statement(filters: ProjectFilters, visibility: Visibility) -> Select[Any]:
    return select(func.count()).select_from(Project).where(and_(*where_clauses(filters, visibility)))
