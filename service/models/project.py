"""Projects, the municipalities they serve, and their status history."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    event,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper
from sqlmodel import Field, SQLModel

from service.models.base import enum_check, enum_column, new_id, timestamp_column, utcnow
from service.models.enums import Instrument, ProjectStatus, Sector, Stage
from service.text_search import search_document


class Project(SQLModel, table=True):
    __tablename__ = "project"
    __table_args__ = (
        enum_check("sector", Sector),
        enum_check("instrument", Instrument),
        enum_check("stage", Stage),
        enum_check("status", ProjectStatus),
        CheckConstraint("impact_label IN ('measured', 'estimated', 'illustrative')", name="impact_label_valid"),
        CheckConstraint("funding_target_yen > 0", name="target_positive"),
        CheckConstraint("min_ticket_yen > 0 AND min_ticket_yen <= funding_target_yen", name="ticket_within_target"),
        CheckConstraint("expected_return_min_pct <= expected_return_max_pct", name="return_range_ordered"),
        Index("ix_project_prefecture_codes", "prefecture_codes", postgresql_using="gin"),
        Index("ix_project_municipality_codes", "municipality_codes", postgresql_using="gin"),
        Index("ix_project_status_created", "status", "created_at"),
        Index("ix_project_lm3", "lm3"),
        # The default list order: real cases first, then newest first.
        Index("ix_project_synthetic_created", "is_synthetic", "created_at"),
        Index(
            "ix_project_search_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organisation_id: uuid.UUID = Field(sa_column=Column(ForeignKey("organisation.id"), nullable=False, index=True))
    created_by: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    title_ja: str = Field(sa_column=Column(String(200), nullable=False))
    title_en: str = Field(sa_column=Column(String(200), nullable=False))
    summary_ja: str = Field(sa_column=Column(String(1000), nullable=False))
    summary_en: str = Field(sa_column=Column(String(1000), nullable=False))
    body_ja: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    body_en: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    sector: str = Field(sa_column=enum_column(Sector, index=True))
    instrument: str = Field(sa_column=enum_column(Instrument, index=True))
    stage: str = Field(sa_column=enum_column(Stage))
    status: str = Field(default=ProjectStatus.draft, sa_column=enum_column(ProjectStatus))
    #: Served municipalities (JIS 5-digit codes) and their prefectures, kept together so the
    #: hot list query filters one table through GIN indexes.
    municipality_codes: list[str] = Field(sa_column=Column(ARRAY(String(5)), nullable=False))
    prefecture_codes: list[int] = Field(sa_column=Column(ARRAY(SmallInteger), nullable=False))
    funding_target_yen: int = Field(sa_column=Column(BigInteger, nullable=False))
    min_ticket_yen: int = Field(sa_column=Column(BigInteger, nullable=False))
    expected_return_min_pct: float = Field(sa_column=Column(Numeric(6, 2, asdecimal=False), nullable=False))
    expected_return_max_pct: float = Field(sa_column=Column(Numeric(6, 2, asdecimal=False), nullable=False))
    term_months: int = Field(sa_column=Column(Integer, nullable=False))
    funding_deadline: date | None = Field(default=None, sa_column=Column(Date))
    #: Titles, summaries and bodies as the ``q`` filter compares them (service.text_search:
    #: NFKC, kana-folded, case-folded), kept up to date on every ORM write (see the listener below);
    #: trigram index, which works on Japanese without a tokenizer.
    search_text: str | None = Field(default=None, sa_column=Column(Text))
    #: Inputs of the impact metrics that apply to this project (see impact/).
    impact_inputs: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    )
    #: Metric values computed from ``impact_inputs`` when they change ({metric id: value}), and the
    #: LM3 among them as a plain indexed column: the list sorts and filters without computing per row.
    computed_metrics: dict[str, float] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    )
    lm3: float | None = Field(default=None, sa_column=Column(Float))
    #: Whether the inputs are measured, estimated or illustrative (demo data); NULL when not stated.
    impact_label: str | None = Field(default=None, sa_column=Column(String(32)))
    #: The project is in a certified regional revitalisation plan (認定地域再生計画): 企業版ふるさと納税.
    certified_regional_plan: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=text("false"))
    )
    is_demo: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=text("false")))
    #: Part of the illustrative synthetic demo market (not a real case): listed after real ones.
    is_synthetic: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=text("false")))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


def project_search_text(project: Project) -> str:
    """What the ``q`` filter searches in a project: its texts, normalised."""
    return search_document(
        (project.title_ja, project.title_en, project.summary_ja, project.summary_en, project.body_ja, project.body_en)
    )


@event.listens_for(Project, "before_insert")
@event.listens_for(Project, "before_update")
def _refresh_search_text(_mapper: Mapper[Project], _connection: Connection, project: Project) -> None:
    # Every ORM write (the service, the demo loader, synthetic markets) keeps the column current;
    # rows copied in bulk past the ORM (the benchmark's seed) are simply not searchable.
    project.search_text = project_search_text(project)


class ProjectTransition(SQLModel, table=True):
    """One status change: who, when, why — and for vetting, the checklist."""

    __tablename__ = "project_transition"
    __table_args__ = (
        enum_check("from_status", ProjectStatus),
        enum_check("to_status", ProjectStatus),
        Index("ix_project_transition_project_at", "project_id", "at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    project_id: uuid.UUID = Field(sa_column=Column(ForeignKey("project.id", ondelete="CASCADE"), nullable=False))
    from_status: str = Field(sa_column=enum_column(ProjectStatus))
    to_status: str = Field(sa_column=enum_column(ProjectStatus))
    actor_id: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    reason: str = Field(sa_column=Column(String(2000), nullable=False))
    checklist: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
