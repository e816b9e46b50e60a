"""search_text normalised in Python (NFKC, kana- and case-folded) instead of generated in SQL

The generated column concatenated the raw texts, so エネルギー never found エナジー or ｴﾈﾙｷﾞｰ.
The column is now written by the application on every insert and update (one function,
service.text_search), backfilled here, and indexed with pg_trgm as before.

Revision ID: 0009
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from service.text_search import search_document

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GENERATED = "title_ja || ' ' || title_en || ' ' || summary_ja || ' ' || summary_en"
_TEXTS = ("title_ja", "title_en", "summary_ja", "summary_en", "body_ja", "body_en")
_BATCH = 1000


def _backfill() -> None:
    bind = op.get_bind()
    project = sa.table("project", sa.column("id", sa.Uuid()), sa.column("search_text", sa.Text()))
    rows = bind.execute(sa.text(f"SELECT id, {', '.join(_TEXTS)} FROM project")).all()
    update = sa.update(project).where(project.c.id == sa.bindparam("row_id")).values(search_text=sa.bindparam("doc"))
    for start in range(0, len(rows), _BATCH):
        batch = rows[start : start + _BATCH]
        bind.execute(update, [{"row_id": r[0], "doc": search_document(r[1:])} for r in batch])


def upgrade() -> None:
    op.drop_index("ix_project_search_trgm", table_name="project", postgresql_using="gin")
    op.drop_column("project", "search_text")
    op.add_column("project", sa.Column("search_text", sa.Text(), nullable=True))
    _backfill()
    op.create_index(
        "ix_project_search_trgm",
        "project",
        ["search_text"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )


def downgrade() -> None:
    op.drop_index("ix_project_search_trgm", table_name="project", postgresql_using="gin")
    op.drop_column("project", "search_text")
    op.add_column(
        "project", sa.Column("search_text", sa.Text(), sa.Computed(_GENERATED, persisted=True), nullable=True)
    )
    op.create_index(
        "ix_project_search_trgm",
        "project",
        ["search_text"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
    )
