"""audit: the id of the key each audit entry's HMAC was made with (NULL = legacy unkeyed sha256)

Rows written before this revision keep ``key_id`` NULL: they are chained by plain sha256, which
anyone with write access can recompute. ``kyoso serve`` (or ``kyoso audit rekey``) re-signs them
once with the audit key after checking their sha256 chain; until then verification reports them.

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("audit_entry", sa.Column("key_id", sa.String(length=16), nullable=True))


def downgrade() -> None:
    op.drop_column("audit_entry", "key_id")
