"""Impact claims with their evidence and decisions, and the hash-chained audit log."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, Column, Date, Float, ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from service.models.base import enum_check, enum_column, new_id, timestamp_column, utcnow


class ClaimStatus(StrEnum):
    submitted = "submitted"
    under_review = "under_review"
    verified = "verified"
    rejected = "rejected"
    needs_evidence = "needs_evidence"
    contested = "contested"


class ImpactClaim(SQLModel, table=True):
    """A project lead's claim that a metric reached ``value`` over a period, audited by admins."""

    __tablename__ = "impact_claim"
    __table_args__ = (
        enum_check("status", ClaimStatus),
        CheckConstraint("period_start <= period_end", name="period_ordered"),
        Index("ix_impact_claim_project_status", "project_id", "status"),
        Index("ix_impact_claim_status_created", "status", "created_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    project_id: uuid.UUID = Field(sa_column=Column(ForeignKey("project.id", ondelete="CASCADE"), nullable=False))
    metric_id: str = Field(sa_column=Column(String(64), nullable=False))
    value: float = Field(sa_column=Column(Float, nullable=False))
    unit: str = Field(sa_column=Column(String(32), nullable=False))
    period_start: date = Field(sa_column=Column(Date, nullable=False))
    period_end: date = Field(sa_column=Column(Date, nullable=False))
    boundary: str = Field(sa_column=Column(Text, nullable=False))
    method: str = Field(sa_column=Column(Text, nullable=False))
    baseline: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default=ClaimStatus.submitted, sa_column=enum_column(ClaimStatus))
    #: The metric computed from the project's own impact inputs at submission (NULL when it cannot be).
    computed_value: float | None = Field(default=None, sa_column=Column(Float))
    #: Reviewer flags, e.g. ``differs_from_computed``.
    flags: list[str] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False, server_default=text("'[]'::jsonb"))
    )
    submitted_by: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    #: The admin whose rejection was contested: that admin may not decide the contest.
    rejected_by: uuid.UUID | None = Field(default=None, sa_column=Column(ForeignKey("app_user.id")))
    contest_reason: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class ImpactClaimEvent(SQLModel, table=True):
    """One step of a claim: submission, review, decision, resubmission, contest — each with a reason."""

    __tablename__ = "impact_claim_event"
    __table_args__ = (Index("ix_impact_claim_event_claim_at", "claim_id", "at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    claim_id: uuid.UUID = Field(sa_column=Column(ForeignKey("impact_claim.id", ondelete="CASCADE"), nullable=False))
    action: str = Field(sa_column=Column(String(32), nullable=False))
    from_status: str | None = Field(default=None, sa_column=Column(String(32)))
    to_status: str = Field(sa_column=Column(String(32), nullable=False))
    actor_id: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class EvidenceFile(SQLModel, table=True):
    """A file backing a claim; the bytes live in the evidence store under ``storage_key``."""

    __tablename__ = "evidence_file"
    __table_args__ = (
        CheckConstraint("size_bytes >= 0", name="size_non_negative"),
        Index("ix_evidence_file_claim", "claim_id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    claim_id: uuid.UUID = Field(sa_column=Column(ForeignKey("impact_claim.id", ondelete="CASCADE"), nullable=False))
    filename: str = Field(sa_column=Column(String(255), nullable=False))
    media_type: str = Field(sa_column=Column(String(100), nullable=False))
    size_bytes: int = Field(sa_column=Column(BigInteger, nullable=False))
    sha256: str = Field(sa_column=Column(String(64), nullable=False))
    storage_key: str = Field(sa_column=Column(String(200), nullable=False))
    uploaded_by: uuid.UUID = Field(sa_column=Column(ForeignKey("app_user.id"), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=timestamp_column())


class AuditEntry(SQLModel, table=True):
    """One appended action. ``hash`` = HMAC-SHA256, under the audit key ``key_id``, of the
    canonical JSON of (seq, at, actor, action, object type/id, payload, prev_hash, key_id); rows
    from before the key (``key_id`` NULL) hold a plain sha256. A trigger refuses UPDATE, DELETE
    and TRUNCATE, and the app's database role may only SELECT and INSERT."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_object", "object_type", "object_id"),)

    seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    at: datetime = Field(sa_column=timestamp_column(default_now=False))
    actor_id: uuid.UUID | None = Field(default=None, sa_column=Column(ForeignKey("app_user.id")))
    action: str = Field(sa_column=Column(String(64), nullable=False))
    object_type: str = Field(sa_column=Column(String(32), nullable=False))
    object_id: str = Field(sa_column=Column(String(64), nullable=False))
    #: The payload as canonical JSON text, exactly as hashed (JSONB would renormalise numbers).
    payload: str = Field(sa_column=Column(Text, nullable=False))
    prev_hash: str = Field(sa_column=Column(String(64), nullable=False))
    hash: str = Field(sa_column=Column(String(64), nullable=False))
    #: Which audit key signed ``hash`` (see ``service.audit.keys``); NULL on legacy rows.
    key_id: str | None = Field(default=None, sa_column=Column(String(16), nullable=True))
