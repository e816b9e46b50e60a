"""impact: project metrics columns, impact claims with evidence, the hash-chained audit log

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Nothing updates or deletes an audit row: the database itself refuses, whatever the caller.
AUDIT_IMMUTABLE_FUNCTION = """
CREATE FUNCTION audit_entry_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$
"""


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("object_type", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["app_user.id"], name=op.f("fk_audit_entry_actor_id_app_user")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_entry")),
    )
    op.create_index("ix_audit_entry_object", "audit_entry", ["object_type", "object_id"], unique=False)
    op.execute(AUDIT_IMMUTABLE_FUNCTION)
    op.execute(
        "CREATE TRIGGER audit_entry_no_update_delete BEFORE UPDATE OR DELETE ON audit_entry"
        " FOR EACH ROW EXECUTE FUNCTION audit_entry_immutable()"
    )
    op.execute(
        "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry"
        " FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_immutable()"
    )
    op.create_table(
        "impact_claim",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("metric_id", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("boundary", sa.Text(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("baseline", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("computed_value", sa.Float(), nullable=True),
        sa.Column(
            "flags", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False
        ),
        sa.Column("submitted_by", sa.Uuid(), nullable=False),
        sa.Column("rejected_by", sa.Uuid(), nullable=True),
        sa.Column("contest_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "status IN ('submitted', 'under_review', 'verified', 'rejected', 'needs_evidence', 'contested')",
            name=op.f("ck_impact_claim_status_valid"),
        ),
        sa.CheckConstraint("period_start <= period_end", name=op.f("ck_impact_claim_period_ordered")),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_impact_claim_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["rejected_by"], ["app_user.id"], name=op.f("fk_impact_claim_rejected_by_app_user")),
        sa.ForeignKeyConstraint(
            ["submitted_by"], ["app_user.id"], name=op.f("fk_impact_claim_submitted_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impact_claim")),
    )
    op.create_index("ix_impact_claim_project_status", "impact_claim", ["project_id", "status"], unique=False)
    op.create_index("ix_impact_claim_status_created", "impact_claim", ["status", "created_at"], unique=False)
    op.create_table(
        "evidence_file",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("uploaded_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("size_bytes >= 0", name=op.f("ck_evidence_file_size_non_negative")),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["impact_claim.id"], name=op.f("fk_evidence_file_claim_id_impact_claim"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["uploaded_by"], ["app_user.id"], name=op.f("fk_evidence_file_uploaded_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_file")),
    )
    op.create_index("ix_evidence_file_claim", "evidence_file", ["claim_id"], unique=False)
    op.create_table(
        "impact_claim_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=True),
        sa.Column("to_status", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["app_user.id"], name=op.f("fk_impact_claim_event_actor_id_app_user")),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["impact_claim.id"],
            name=op.f("fk_impact_claim_event_claim_id_impact_claim"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impact_claim_event")),
    )
    op.create_index("ix_impact_claim_event_claim_at", "impact_claim_event", ["claim_id", "at"], unique=False)
    op.add_column(
        "project",
        sa.Column(
            "computed_metrics",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
    )
    op.add_column("project", sa.Column("lm3", sa.Float(), nullable=True))
    op.add_column("project", sa.Column("impact_label", sa.String(length=32), nullable=True))
    op.add_column(
        "project",
        sa.Column("certified_regional_plan", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.create_check_constraint(
        op.f("ck_project_impact_label_valid"), "project", "impact_label IN ('measured', 'estimated', 'illustrative')"
    )
    op.create_index("ix_project_lm3", "project", ["lm3"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_project_lm3", table_name="project")
    op.drop_constraint(op.f("ck_project_impact_label_valid"), "project", type_="check")
    op.drop_column("project", "certified_regional_plan")
    op.drop_column("project", "impact_label")
    op.drop_column("project", "lm3")
    op.drop_column("project", "computed_metrics")
    op.drop_index("ix_impact_claim_event_claim_at", table_name="impact_claim_event")
    op.drop_table("impact_claim_event")
    op.drop_index("ix_evidence_file_claim", table_name="evidence_file")
    op.drop_table("evidence_file")
    op.drop_index("ix_impact_claim_status_created", table_name="impact_claim")
    op.drop_index("ix_impact_claim_project_status", table_name="impact_claim")
    op.drop_table("impact_claim")
    op.execute("DROP TRIGGER audit_entry_no_truncate ON audit_entry")
    op.execute("DROP TRIGGER audit_entry_no_update_delete ON audit_entry")
    op.drop_index("ix_audit_entry_object", table_name="audit_entry")
    op.drop_table("audit_entry")
    op.execute("DROP FUNCTION audit_entry_immutable()")
