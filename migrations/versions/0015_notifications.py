"""notifications: in-app notifications per user; where an access request came from (a project or a match)

Revision ID: 0015
Revises: 0011
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=True),
        sa.Column(
            "params", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_notification_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["deal_room.id"], name=op.f("fk_notification_room_id_deal_room"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    op.create_index("ix_notification_user_created", "notification", ["user_id", "created_at"], unique=False)
    op.create_index(
        "ix_notification_user_unread",
        "notification",
        ["user_id"],
        unique=False,
        postgresql_where=sa.text("read_at IS NULL"),
    )
    op.add_column(
        "deal_room_access_request",
        sa.Column("source", sa.String(length=32), server_default="project", nullable=False),
    )
    op.add_column("deal_room_access_request", sa.Column("match_profile_id", sa.Uuid(), nullable=True))
    op.add_column(
        "deal_room_access_request",
        sa.Column("match_snapshot", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.create_foreign_key(
        op.f("fk_deal_room_access_request_match_profile_id_investor_profile"),
        "deal_room_access_request",
        "investor_profile",
        ["match_profile_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_check_constraint(
        op.f("ck_deal_room_access_request_source_valid"), "deal_room_access_request", "source IN ('project', 'match')"
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_deal_room_access_request_source_valid"), "deal_room_access_request", type_="check")
    op.drop_constraint(
        op.f("fk_deal_room_access_request_match_profile_id_investor_profile"),
        "deal_room_access_request",
        type_="foreignkey",
    )
    for column in ("match_snapshot", "match_profile_id", "source"):
        op.drop_column("deal_room_access_request", column)
    op.drop_index("ix_notification_user_unread", table_name="notification")
    op.drop_index("ix_notification_user_created", table_name="notification")
    op.drop_table("notification")
