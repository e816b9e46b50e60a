"""Load the 47 prefectures and 1,916 municipalities (japancode, MIT).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from service.regions.reference import municipality_rows, prefecture_rows

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

prefecture = sa.table(
    "prefecture",
    sa.column("code", sa.SmallInteger),
    sa.column("name_ja", sa.String),
    sa.column("name_en", sa.String),
    sa.column("region_block", sa.String),
)
municipality = sa.table(
    "municipality",
    sa.column("code", sa.String),
    sa.column("lg_code", sa.String),
    sa.column("prefecture_code", sa.SmallInteger),
    sa.column("name_ja", sa.String),
    sa.column("name_kana", sa.String),
    sa.column("name_en", sa.String),
    sa.column("lat", sa.Float),
    sa.column("lng", sa.Float),
)


def upgrade() -> None:
    op.bulk_insert(prefecture, prefecture_rows())
    op.bulk_insert(municipality, municipality_rows())


def downgrade() -> None:
    op.execute("DELETE FROM municipality")
    op.execute("DELETE FROM prefecture")
