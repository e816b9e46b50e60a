"""synthetic flag: mark the illustrative demo market in the data, not only in its titles

Revision ID: 0008
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Rows the demo loader wrote before the flag existed say so only in their titles.
SYNTHETIC_PREFIX = "（合成デモ）"


def upgrade() -> None:
    for table in ("project", "investor_profile"):
        op.add_column(table, sa.Column("is_synthetic", sa.Boolean(), server_default=sa.text("false"), nullable=False))
    op.create_index("ix_project_synthetic_created", "project", ["is_synthetic", "created_at"], unique=False)
    op.execute(
        sa.text("UPDATE project SET is_synthetic = true WHERE is_demo AND starts_with(title_ja, :prefix)").bindparams(
            prefix=SYNTHETIC_PREFIX
        )
    )
    op.execute(
        sa.text(
            "UPDATE investor_profile SET is_synthetic = true WHERE is_demo AND starts_with(display_name_ja, :prefix)"
        ).bindparams(prefix=SYNTHETIC_PREFIX)
    )


def downgrade() -> None:
    op.drop_index("ix_project_synthetic_created", table_name="project")
    for table in ("project", "investor_profile"):
        op.drop_column(table, "is_synthetic")
