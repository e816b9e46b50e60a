"""The database as :mod:`matching` records: the one place rows become ``InvestorRecord``,
``ProjectRecord`` and ``EventRecord``.

Ids are the rows' UUIDs as strings. A project's ``prefecture`` is its first prefecture code and
its place (lat/lng) that of its first municipality; ``impact`` is its computed impact metrics
(``Project.computed_metrics``: metric id → value, finite numbers only).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from matching import EventRecord, InvestorRecord, ProjectRecord
from service.models import InteractionEvent, InvestorProfile, Municipality, Project
from service.models.enums import OPEN_STATUSES, ProjectStatus
from service.projects.schemas import ProjectCreate

INV = InvestorProfile.__table__.c  # type: ignore[attr-defined]
PRJ = Project.__table__.c  # type: ignore[attr-defined]
EVT = InteractionEvent.__table__.c  # type: ignore[attr-defined]
MUN = Municipality.__table__.c  # type: ignore[attr-defined]


class ProjectFacts(msgspec.Struct, frozen=True):
    """What the matches list filters and shows without another query (columns of the same names)."""

    title_ja: str
    title_en: str
    sector: str
    instrument: str
    status: str
    prefecture_codes: tuple[int, ...]
    organisation_id: uuid.UUID


class InvestorFacts(msgspec.Struct, frozen=True):
    display_name_ja: str
    display_name_en: str
    investor_type: str
    discoverable: bool


@dataclass
class Catalogue:
    investors: list[InvestorRecord] = field(default_factory=list)
    projects: list[ProjectRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    project_facts: dict[str, ProjectFacts] = field(default_factory=dict)
    investor_facts: dict[str, InvestorFacts] = field(default_factory=dict)


INVESTOR_COLUMNS = (
    INV.id,
    INV.investor_type,
    INV.sectors,
    INV.prefecture_codes,
    INV.instruments,
    INV.ticket_min_yen,
    INV.ticket_max_yen,
    INV.target_return_pct,
    INV.risk_tolerance,
    INV.impact_themes,
    INV.thesis_ja,
    INV.thesis_en,
    INV.created_at,
)


def investor_record(row: Any) -> InvestorRecord:
    """One investor profile row (or :class:`InvestorProfile`) as a record."""
    thesis = " / ".join(t for t in (row.thesis_ja, row.thesis_en) if t)
    return InvestorRecord(
        id=str(row.id),
        investor_type=row.investor_type,
        sectors=list(row.sectors),
        prefectures=[int(p) for p in row.prefecture_codes],
        instruments=list(row.instruments),
        ticket_min_yen=int(row.ticket_min_yen),
        ticket_max_yen=int(row.ticket_max_yen),
        target_return_pct=row.target_return_pct,
        risk_tolerance=row.risk_tolerance,
        impact_themes=list(row.impact_themes),
        thesis=thesis,
        created_at=row.created_at,
    )


#: What :func:`project_record` reads.
PROJECT_COLUMNS = (
    PRJ.id,
    PRJ.title_ja,
    PRJ.title_en,
    PRJ.summary_ja,
    PRJ.summary_en,
    PRJ.sector,
    PRJ.instrument,
    PRJ.stage,
    PRJ.status,
    PRJ.prefecture_codes,
    PRJ.municipality_codes,
    PRJ.funding_target_yen,
    PRJ.min_ticket_yen,
    PRJ.computed_metrics,
    PRJ.created_at,
)


def _columns(table: Any, record_columns: tuple[Any, ...], facts: type[msgspec.Struct]) -> list[Any]:
    """A record's columns plus those its facts Struct names (the Struct's fields are column names)."""
    named = {c.name for c in record_columns}
    return [*record_columns, *(table[f] for f in facts.__struct_fields__ if f not in named)]


def impact_values(metrics: dict[str, Any] | None) -> dict[str, float]:
    """A project's computed metrics as the library reads them: finite numbers, by metric id."""
    return {
        str(k): float(v)
        for k, v in (metrics or {}).items()
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
    }


def project_record(row: Any, lat: float | None, lng: float | None) -> ProjectRecord:
    return ProjectRecord(
        id=str(row.id),
        sector=row.sector,
        prefecture=int(row.prefecture_codes[0]) if row.prefecture_codes else 13,
        municipality_code=row.municipality_codes[0] if row.municipality_codes else None,
        lat=lat,
        lng=lng,
        instrument=row.instrument,
        funding_target_yen=int(row.funding_target_yen),
        min_ticket_yen=int(row.min_ticket_yen),
        stage=row.stage,
        status=row.status,
        impact=impact_values(row.computed_metrics),
        text=f"{row.title_ja} {row.title_en} {row.summary_ja} {row.summary_en}",
        created_at=row.created_at,
    )


def event_record(row: Any) -> EventRecord:
    return EventRecord(
        investor_id=str(row.investor_profile_id), project_id=str(row.project_id), kind=row.kind, at=row.at
    )


async def load_catalogue(session: AsyncSession, *, until: datetime | None = None) -> Catalogue:
    """Every investor profile, project and event (events before ``until`` when given)."""
    out = Catalogue()
    inv_rows = await session.execute(
        select(*_columns(INV, INVESTOR_COLUMNS, InvestorFacts)).order_by(INV.created_at, INV.id)
    )
    for row in inv_rows:
        out.investors.append(investor_record(row))
        out.investor_facts[str(row.id)] = msgspec.convert(row, InvestorFacts, from_attributes=True)
    first_muni = PRJ.municipality_codes[1]
    prj_rows = await session.execute(
        select(*_columns(PRJ, PROJECT_COLUMNS, ProjectFacts), MUN.lat, MUN.lng)
        .outerjoin(Municipality.__table__, MUN.code == first_muni)
        .order_by(PRJ.created_at, PRJ.id)
    )
    for row in prj_rows:
        out.projects.append(project_record(row, row.lat, row.lng))
        out.project_facts[str(row.id)] = msgspec.convert(row, ProjectFacts, from_attributes=True)
    out.events = await load_events(session, until=until)
    _not_after_first_event(out)
    return out


def _not_after_first_event(catalogue: Catalogue) -> None:
    """A record cannot be younger than its first interaction (back-dated or imported events):
    training treats ``created_at`` as when something became available, so take the earlier."""
    first: dict[str, datetime] = {}
    for e in catalogue.events:  # sorted by time: the first seen is the earliest
        first.setdefault(e.investor_id, e.at)
        first.setdefault(e.project_id, e.at)
    catalogue.investors = [
        msgspec.structs.replace(r, created_at=first[r.id]) if r.id in first and first[r.id] < r.created_at else r
        for r in catalogue.investors
    ]
    catalogue.projects = [
        msgspec.structs.replace(r, created_at=first[r.id]) if r.id in first and first[r.id] < r.created_at else r
        for r in catalogue.projects
    ]


async def load_events(
    session: AsyncSession, *, investor_ids: Sequence[uuid.UUID] | None = None, until: datetime | None = None
) -> list[EventRecord]:
    statement = select(EVT.investor_profile_id, EVT.project_id, EVT.kind, EVT.at).order_by(EVT.at, EVT.id)
    if investor_ids is not None:
        statement = statement.where(EVT.investor_profile_id.in_(list(investor_ids)))
    if until is not None:
        statement = statement.where(EVT.at < until)
    return [event_record(r) for r in await session.execute(statement)]


def project_create(
    record: ProjectRecord,
    *,
    organisation_id: uuid.UUID,
    municipality_code: str,
    titles: tuple[str, str],
    summaries: tuple[str, str],
    expected_return_pct: tuple[float, float],
) -> ProjectCreate:
    """The reverse direction, for synthetic markets: a :class:`ProjectRecord` as the request a
    lead would send (checked like one). The funding target is at least the minimum ticket, and a
    企業版ふるさと納税 project is (illustratively) in a certified regional plan."""
    return msgspec.convert(
        {
            "organisation_id": organisation_id,
            "title_ja": titles[0],
            "title_en": titles[1],
            "summary_ja": summaries[0][:1000],
            "summary_en": summaries[1][:1000],
            "sector": record.sector,
            "instrument": record.instrument,
            "stage": record.stage,
            "municipality_codes": [municipality_code],
            "funding_target_yen": max(record.funding_target_yen, record.min_ticket_yen, 1),
            "min_ticket_yen": max(record.min_ticket_yen, 1),
            "expected_return_min_pct": expected_return_pct[0],
            "expected_return_max_pct": expected_return_pct[1],
            "term_months": 36,
            "certified_regional_plan": record.instrument == "corporate_furusato",
        },
        ProjectCreate,
    )


def listed_status(record: ProjectRecord) -> ProjectStatus:
    """The record's status when it is open to investors, else ``funding``, so the row is rankable."""
    return ProjectStatus(record.status) if record.status in OPEN_STATUSES else ProjectStatus.funding


def project_row(
    record: ProjectRecord,
    *,
    organisation_id: uuid.UUID,
    created_by: uuid.UUID,
    municipality_code: str,
    titles: tuple[str, str],
    summaries: tuple[str, str],
    expected_return_pct: tuple[float, float],
    is_demo: bool = False,
    backdate: bool = False,
) -> Project:
    """:func:`project_create` written straight into a table row, for test markets that need
    back-dated history (``backdate`` keeps the record's ``created_at``); the demo goes through
    ``ProjectService`` instead."""
    project_in = project_create(
        record,
        organisation_id=organisation_id,
        municipality_code=municipality_code,
        titles=titles,
        summaries=summaries,
        expected_return_pct=expected_return_pct,
    )
    values = msgspec.structs.asdict(project_in)
    row = Project(
        **values,
        created_by=created_by,
        status=listed_status(record),
        prefecture_codes=[record.prefecture],
        is_demo=is_demo,
    )
    if backdate:
        row.created_at = row.updated_at = record.created_at
    return row


def profile_row(
    record: InvestorRecord,
    *,
    owner_id: uuid.UUID,
    display_names: tuple[str, str],
    thesis_ja: str,
    is_demo: bool = False,
    is_synthetic: bool = False,
    backdate: bool = False,
) -> InvestorProfile:
    """An :class:`InvestorRecord` as a personal investor profile owned by ``owner_id``."""
    row = InvestorProfile(
        owner_user_id=owner_id,
        created_by=owner_id,
        display_name_ja=display_names[0],
        display_name_en=display_names[1],
        investor_type=record.investor_type,
        sectors=record.sectors,
        prefecture_codes=record.prefectures,
        instruments=record.instruments,
        ticket_min_yen=max(record.ticket_min_yen, 1),
        ticket_max_yen=max(record.ticket_max_yen, record.ticket_min_yen, 1),
        target_return_pct=record.target_return_pct,
        risk_tolerance=record.risk_tolerance,
        impact_themes=record.impact_themes,
        thesis_ja=thesis_ja[:5000],
        is_demo=is_demo,
        is_synthetic=is_synthetic,
    )
    if backdate:
        row.created_at = row.updated_at = record.created_at
    return row
