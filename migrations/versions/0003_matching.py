"""matching: interaction events and model versions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "interaction_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("investor_profile_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "kind IN ('view', 'bookmark', 'interest', 'decline', 'commit')",
            name=op.f("ck_interaction_event_kind_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["investor_profile_id"],
            ["investor_profile.id"],
            name=op.f("fk_interaction_event_investor_profile_id_investor_profile"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_interaction_event_project_id_project"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["app_user.id"],
            name=op.f("fk_interaction_event_recorded_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction_event")),
    )
    op.create_index("ix_interaction_event_at", "interaction_event", ["at"], unique=False)
    op.create_index(
        "ix_interaction_event_investor_at", "interaction_event", ["investor_profile_id", "at"], unique=False
    )
    op.create_index(
        "ix_interaction_event_investor_project",
        "interaction_event",
        ["investor_profile_id", "project_id"],
        unique=False,
    )
    op.create_index("ix_interaction_event_project_at", "interaction_event", ["project_id", "at"], unique=False)
    op.create_table(
        "model_version",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=False),
        sa.Column("ranker", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("trained_by", sa.String(length=200), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("n_events", sa.Integer(), nullable=False),
        sa.Column("n_investors", sa.Integer(), nullable=False),
        sa.Column("n_projects", sa.Integer(), nullable=False),
        sa.Column(
            "metrics", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
        sa.Column("report", sa.Text(), server_default="", nullable=False),
        sa.Column("artifact", sa.LargeBinary(), nullable=False),
        sa.Column("artifact_size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('candidate', 'active', 'retired')", name=op.f("ck_model_version_status_valid")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_version")),
        sa.UniqueConstraint("version", name=op.f("uq_model_version_version")),
    )
    op.create_index("ix_model_version_activated_at", "model_version", ["activated_at"], unique=False)
    op.create_index(
        "uq_model_version_active",
        "model_version",
        ["status"],
        unique=True,
        postgresql_where=sa.text("status = 'active'"),
    )


def downgrade() -> None:
    op.drop_index("uq_model_version_active", table_name="model_version", postgresql_where=sa.text("status = 'active'"))
    op.drop_index("ix_model_version_activated_at", table_name="model_version")
    op.drop_table("model_version")
    op.drop_index("ix_interaction_event_project_at", table_name="interaction_event")
    op.drop_index("ix_interaction_event_investor_project", table_name="interaction_event")
    op.drop_index("ix_interaction_event_investor_at", table_name="interaction_event")
    op.drop_index("ix_interaction_event_at", table_name="interaction_event")
    op.drop_table("interaction_event")
