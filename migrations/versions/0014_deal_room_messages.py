"""deal room live feed: chat messages and room events numbered per room, and each room's feed head

Revision ID: 0014
Revises: 0011
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "deal_room_feed_head",
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["deal_room.id"], name=op.f("fk_deal_room_feed_head_room_id_deal_room"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("room_id", name=op.f("pk_deal_room_feed_head")),
    )
    op.create_table(
        "deal_room_message",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("ref", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["deal_room.id"], name=op.f("fk_deal_room_message_room_id_deal_room"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["app_user.id"], name=op.f("fk_deal_room_message_author_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_room_message")),
        sa.UniqueConstraint("room_id", "seq", name="uq_deal_room_message_room_seq"),
    )
    op.create_index(
        "ix_deal_room_message_author", "deal_room_message", ["room_id", "author_id", "created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_deal_room_message_author", table_name="deal_room_message")
    op.drop_table("deal_room_message")
    op.drop_table("deal_room_feed_head")
