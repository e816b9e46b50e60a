"""deal rooms: rooms per project, participants, access requests, stage moves, NDA versions and acceptances

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAGES = "'open', 'nda', 'due_diligence', 'term_sheet', 'commitments', 'closing', 'closed', 'cancelled'"


def _ts(name: str, *, nullable: bool = False, now: bool = True) -> sa.Column:
    return sa.Column(
        name, sa.DateTime(timezone=True), server_default=sa.text("now()") if now else None, nullable=nullable
    )


def _fk(table: str, column: str, target: str, *, cascade: bool = False) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE" if cascade else None,
    )


def upgrade() -> None:
    op.create_table(
        "deal_room",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("name_ja", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("opened_by", sa.Uuid(), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.CheckConstraint(f"stage IN ({STAGES})", name=op.f("ck_deal_room_stage_valid")),
        _fk("deal_room", "project_id", "project"),
        _fk("deal_room", "opened_by", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_room")),
    )
    op.create_index("ix_deal_room_project_id", "deal_room", ["project_id"], unique=False)
    op.create_index(
        "ux_deal_room_open_project",
        "deal_room",
        ["project_id"],
        unique=True,
        postgresql_where=sa.text("stage NOT IN ('closed', 'cancelled')"),
    )
    op.create_table(
        "deal_room_participant",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("added_by", sa.Uuid(), nullable=False),
        _ts("joined_at"),
        _ts("ended_at", nullable=True, now=False),
        sa.Column("ended_by", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "role IN ('lead_team', 'investor', 'bank', 'advisor', 'observer')",
            name=op.f("ck_deal_room_participant_role_valid"),
        ),
        sa.CheckConstraint(
            "status IN ('active', 'left', 'removed')", name=op.f("ck_deal_room_participant_status_valid")
        ),
        _fk("deal_room_participant", "room_id", "deal_room", cascade=True),
        _fk("deal_room_participant", "user_id", "app_user"),
        _fk("deal_room_participant", "organisation_id", "organisation"),
        _fk("deal_room_participant", "added_by", "app_user"),
        _fk("deal_room_participant", "ended_by", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_room_participant")),
    )
    op.create_index(
        "ux_deal_room_participant_active",
        "deal_room_participant",
        ["room_id", "user_id"],
        unique=True,
        postgresql_where=sa.text("status = 'active'"),
    )
    op.create_index("ix_deal_room_participant_user", "deal_room_participant", ["user_id", "status"], unique=False)
    op.create_table(
        "deal_room_access_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        _ts("created_at"),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        _ts("decided_at", nullable=True, now=False),
        sa.Column("reason", sa.String(length=2000), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'accepted', 'declined')", name=op.f("ck_deal_room_access_request_status_valid")
        ),
        _fk("deal_room_access_request", "room_id", "deal_room", cascade=True),
        _fk("deal_room_access_request", "user_id", "app_user"),
        _fk("deal_room_access_request", "organisation_id", "organisation"),
        _fk("deal_room_access_request", "decided_by", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_room_access_request")),
    )
    op.create_index(
        "ux_deal_room_access_request_pending",
        "deal_room_access_request",
        ["room_id", "user_id"],
        unique=True,
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_table(
        "deal_room_stage_move",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("from_stage", sa.String(length=32), nullable=False),
        sa.Column("to_stage", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        _ts("at"),
        sa.CheckConstraint(f"from_stage IN ({STAGES})", name=op.f("ck_deal_room_stage_move_from_stage_valid")),
        sa.CheckConstraint(f"to_stage IN ({STAGES})", name=op.f("ck_deal_room_stage_move_to_stage_valid")),
        _fk("deal_room_stage_move", "room_id", "deal_room", cascade=True),
        _fk("deal_room_stage_move", "actor_id", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_room_stage_move")),
    )
    op.create_index("ix_deal_room_stage_move_room_at", "deal_room_stage_move", ["room_id", "at"], unique=False)
    op.create_table(
        "deal_room_nda",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text_ja", sa.Text(), nullable=False),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("published_by", sa.Uuid(), nullable=False),
        _ts("published_at"),
        _fk("deal_room_nda", "room_id", "deal_room", cascade=True),
        _fk("deal_room_nda", "published_by", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_room_nda")),
        sa.UniqueConstraint("room_id", "version", name="uq_deal_room_nda_room_version"),
    )
    op.create_table(
        "deal_room_nda_acceptance",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("nda_id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        _ts("accepted_at"),
        _fk("deal_room_nda_acceptance", "nda_id", "deal_room_nda", cascade=True),
        _fk("deal_room_nda_acceptance", "room_id", "deal_room", cascade=True),
        _fk("deal_room_nda_acceptance", "user_id", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_room_nda_acceptance")),
        sa.UniqueConstraint("nda_id", "user_id", name="uq_deal_room_nda_acceptance_nda_user"),
    )


def downgrade() -> None:
    op.drop_table("deal_room_nda_acceptance")
    op.drop_table("deal_room_nda")
    op.drop_index("ix_deal_room_stage_move_room_at", table_name="deal_room_stage_move")
    op.drop_table("deal_room_stage_move")
    op.drop_index("ux_deal_room_access_request_pending", table_name="deal_room_access_request")
    op.drop_table("deal_room_access_request")
    op.drop_index("ix_deal_room_participant_user", table_name="deal_room_participant")
    op.drop_index("ux_deal_room_participant_active", table_name="deal_room_participant")
    op.drop_table("deal_room_participant")
    op.drop_index("ux_deal_room_open_project", table_name="deal_room")
    op.drop_index("ix_deal_room_project_id", table_name="deal_room")
    op.drop_table("deal_room")
