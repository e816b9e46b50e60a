"""The project list query, built with SQLAlchemy Core and run on the driver connection.

Every filter value is a bind parameter, so the SQL depends only on which filters are present;
it is compiled once per shape (:func:`prepared_list`) and executed through asyncpg directly,
skipping SQLAlchemy's per-request compile-cache lookup and result wrapping on the hottest read.
The bench-only raw endpoint runs the same prepared SQL on a bare asyncpg pool.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    Float,
    Integer,
    Select,
    SmallInteger,
    String,
    Uuid,
    and_,
    any_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import array

from service.models import LivingSphereMember, Organisation, Project
from service.models.enums import PUBLIC_STATUSES, Instrument, ProjectStatus, Sector
from service.projects.schemas import COLUMN_FOR, OrganisationRef, ProjectSummary
from service.text_search import search_terms

#: The default order: real cases first (``is_synthetic`` false), newest first.
DEFAULT_SORT = "real_first"
SORTS = (
    DEFAULT_SORT,
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
    synthetic: bool | None = None
    sort: str = DEFAULT_SORT


@dataclass(frozen=True)
class Visibility:
    """What the caller may see: public statuses, plus everything of ``organisations``."""

    all_statuses: bool = False
    organisations: frozenset[uuid.UUID] = field(default_factory=frozenset)


# Plain Core columns (not ORM attributes): the hot list skips ORM compilation and row handling.
P = Project.__table__.c  # type: ignore[attr-defined]
ORG = Organisation.__table__.c  # type: ignore[attr-defined]


def summary_columns() -> tuple[Any, ...]:
    """The list's columns, one per :class:`ProjectSummary` field and labelled with its name, so a
    row converts with ``schemas.from_stored`` alone; adding a field to the Struct adds it here."""
    org_pairs: list[Any] = []
    for key in OrganisationRef.__struct_fields__:
        org_pairs += [literal_column(f"'{key}'"), ORG[key]]
    derived: dict[str, Any] = {
        # Keys as SQL literals, not bind parameters: the prepared SQL names only filter values.
        "organisation": func.json_build_object(*org_pairs),
    }
    return tuple(
        (derived[name] if name in derived else P[COLUMN_FOR.get(name, name)]).label(name)
        for name in ProjectSummary.__struct_fields__
    )


LIST_COLUMNS = summary_columns()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# Every filter value is a named bind parameter (lists as one array parameter), so the SQL text
# depends only on which filters are present: it is compiled once per shape and reused.
_STATUS_ARRAY = ARRAY(String)  # also the text[] of search patterns


def where_clauses(filters: ProjectFilters, visibility: Visibility) -> list[Any]:
    clauses: list[Any] = []
    if not visibility.all_statuses:
        public = P.status == any_(bindparam("public_statuses", type_=_STATUS_ARRAY))
        if visibility.organisations:
            own = P.organisation_id == any_(bindparam("own_organisations", type_=ARRAY(Uuid)))
            clauses.append(or_(public, own))
        else:
            clauses.append(public)
    if filters.statuses:
        clauses.append(P.status == any_(bindparam("statuses", type_=_STATUS_ARRAY)))
    if filters.prefecture is not None:
        clauses.append(P.prefecture_codes.contains(array([bindparam("prefecture", type_=SmallInteger)])))
    if filters.municipality is not None:
        clauses.append(P.municipality_codes.contains(array([bindparam("municipality", type_=String)])))
    if filters.living_sphere is not None:
        members = (
            select(func.array_agg(LivingSphereMember.__table__.c.municipality_code))
            .where(LivingSphereMember.__table__.c.living_sphere_id == bindparam("living_sphere", type_=Uuid))
            .scalar_subquery()
        )
        clauses.append(P.municipality_codes.overlap(members))
    if filters.sectors:
        clauses.append(P.sector == any_(bindparam("sectors", type_=_STATUS_ARRAY)))
    if filters.instruments:
        clauses.append(P.instrument == any_(bindparam("instruments", type_=_STATUS_ARRAY)))
    if filters.ticket_max is not None:
        clauses.append(P.min_ticket_yen <= bindparam("ticket_max", type_=BigInteger))
    if filters.ticket_min is not None:
        clauses.append(P.min_ticket_yen >= bindparam("ticket_min", type_=BigInteger))
    if filters.organisation is not None:
        clauses.append(P.organisation_id == bindparam("organisation", type_=Uuid))
    if filters.lm3_min is not None:
        clauses.append(P.lm3 >= bindparam("lm3_min", type_=Float))
    if filters.lm3_max is not None:
        clauses.append(P.lm3 <= bindparam("lm3_max", type_=Float))
    if filters.synthetic is not None:
        clauses.append(P.is_synthetic == bindparam("synthetic", type_=Boolean))
    if filters.q:
        # Normalised text LIKE any of the normalised query's variants (synonyms); LIKE's default
        # escape character is the backslash, which _escape_like uses. Trigram GIN index.
        clauses.append(P.search_text.op("LIKE")(any_(bindparam("q_patterns", type_=_STATUS_ARRAY))))
    return clauses


def bind_values(filters: ProjectFilters, visibility: Visibility, *, limit: int, offset: int) -> dict[str, Any]:
    """The values of the bind parameters :func:`where_clauses` and the page may name."""
    return {
        "public_statuses": [s.value for s in PUBLIC_STATUSES],
        "own_organisations": list(visibility.organisations),
        "statuses": [s.value for s in filters.statuses],
        "prefecture": filters.prefecture,
        "municipality": filters.municipality,
        "living_sphere": filters.living_sphere,
        "sectors": [s.value for s in filters.sectors],
        "instruments": [i.value for i in filters.instruments],
        "ticket_max": filters.ticket_max,
        "ticket_min": filters.ticket_min,
        "organisation": filters.organisation,
        "lm3_min": filters.lm3_min,
        "lm3_max": filters.lm3_max,
        "synthetic": filters.synthetic,
        "q_patterns": [f"%{_escape_like(term)}%" for term in search_terms(filters.q)] if filters.q else None,
        "page_limit": limit,
        "page_offset": offset,
    }


def order_by(sort: str) -> list[Any]:
    if sort.lstrip("-") == DEFAULT_SORT:
        return [P.is_synthetic.asc(), P.created_at.desc(), P.id.desc()]
    descending = sort.startswith("-")
    column = P[sort.lstrip("-")]
    primary = column.desc().nulls_last() if descending else column.asc().nulls_last()
    return [primary, P.id.desc() if descending else P.id.asc()]


def list_statement(filters: ProjectFilters, visibility: Visibility) -> Select[Any]:
    """One round trip: the page's rows, each carrying the total match count."""
    return (
        select(*LIST_COLUMNS, func.count().over().label("total"))
        .join(Organisation.__table__, ORG.id == P.organisation_id)
        .where(and_(true(), *where_clauses(filters, visibility)))
        .order_by(*order_by(filters.sort))
        .limit(bindparam("page_limit", type_=Integer))
        .offset(bindparam("page_offset", type_=Integer))
    )


def count_statement(filters: ProjectFilters, visibility: Visibility) -> Select[Any]:
    return select(func.count()).select_from(Project.__table__).where(and_(true(), *where_clauses(filters, visibility)))


@dataclass(frozen=True)
class PreparedQuery:
    """SQL in asyncpg's dialect and the order of its ``$n`` parameters."""

    sql: str
    names: tuple[str, ...]

    def args(self, values: dict[str, Any]) -> list[Any]:
        return [values[name] for name in self.names]


_FILTER_FIELDS = tuple(f.name for f in fields(ProjectFilters) if f.name != "sort")


def _shape(filters: ProjectFilters, visibility: Visibility) -> tuple[bool, ...]:
    present = (getattr(filters, name) not in (None, ()) for name in _FILTER_FIELDS)
    return (visibility.all_statuses, bool(visibility.organisations), *present)


@lru_cache(maxsize=512)
def _prepare(shape: tuple[bool, ...], kind: str, sort: str) -> PreparedQuery:
    # Stand-in values with the same presence: only the shape reaches the SQL text.
    all_statuses, has_own, *present = shape
    sample = ProjectFilters(
        **{name: _SAMPLE[name] for name, on in zip(_FILTER_FIELDS, present, strict=True) if on}, sort=sort
    )
    visibility = Visibility(all_statuses, frozenset({uuid.UUID(int=0)}) if has_own else frozenset())
    statement = list_statement(sample, visibility) if kind == "list" else count_statement(sample, visibility)
    compiled = statement.compile(dialect=_DIALECT)
    return PreparedQuery(compiled.string, tuple(compiled.positiontup or ()))


_SAMPLE: dict[str, Any] = {
    "prefecture": 1,
    "municipality": "00000",
    "living_sphere": uuid.UUID(int=0),
    "sectors": (Sector.energy,),
    "instruments": (Instrument.equity,),
    "statuses": (ProjectStatus.draft,),
    "ticket_min": 0,
    "ticket_max": 0,
    "organisation": uuid.UUID(int=0),
    "q": "x",
    "lm3_min": 0.0,
    "lm3_max": 0.0,
    "synthetic": False,
}
_DIALECT = postgresql.asyncpg.dialect()  # type: ignore[attr-defined]


def prepared_list(filters: ProjectFilters, visibility: Visibility, *, limit: int, offset: int) -> tuple[str, list[Any]]:
    """The list query as ``(sql, args)`` for the driver, compiled once per filter shape."""
    prepared = _prepare(_shape(filters, visibility), "list", filters.sort)
    return prepared.sql, prepared.args(bind_values(filters, visibility, limit=limit, offset=offset))


def prepared_count(filters: ProjectFilters, visibility: Visibility) -> tuple[str, list[Any]]:
    prepared = _prepare(_shape(filters, visibility), "count", filters.sort)
    return prepared.sql, prepared.args(bind_values(filters, visibility, limit=0, offset=0))
