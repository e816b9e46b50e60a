"""deal room Q&A: questions (optionally about a document and page), answer revisions, FAQ text

Revision ID: 0013
Revises: 0011
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


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
    q = "deal_room_question"
    op.create_table(
        q,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("asker_id", sa.Uuid(), nullable=False),
        sa.Column("asker_organisation_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.String(length=5000), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("assignee_id", sa.Uuid(), nullable=True),
        sa.Column("assigned_by", sa.Uuid(), nullable=True),
        _ts("assigned_at", nullable=True, now=False),
        _ts("due_at", nullable=True, now=False),
        sa.Column("faq_question_ja", sa.String(length=5000), nullable=True),
        sa.Column("faq_question_en", sa.String(length=5000), nullable=True),
        sa.Column("faq_answer_ja", sa.Text(), nullable=True),
        sa.Column("faq_answer_en", sa.Text(), nullable=True),
        sa.Column("published_by", sa.Uuid(), nullable=True),
        _ts("published_at", nullable=True, now=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.CheckConstraint(
            "status IN ('open', 'assigned', 'answered', 'published')", name=op.f(f"ck_{q}_status_valid")
        ),
        sa.CheckConstraint("page IS NULL OR page >= 1", name=op.f(f"ck_{q}_page_positive")),
        _fk(q, "room_id", "deal_room", cascade=True),
        _fk(q, "asker_id", "app_user"),
        _fk(q, "asker_organisation_id", "organisation"),
        _fk(q, "document_id", "deal_room_document"),
        _fk(q, "assignee_id", "app_user"),
        _fk(q, "assigned_by", "app_user"),
        _fk(q, "published_by", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{q}")),
    )
    op.create_index("ix_deal_room_question_room_status", q, ["room_id", "status"], unique=False)
    op.create_index("ix_deal_room_question_room_asker_org", q, ["room_id", "asker_organisation_id"], unique=False)
    op.create_table(
        "deal_room_answer",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("question_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        _ts("created_at"),
        _fk("deal_room_answer", "question_id", q, cascade=True),
        _fk("deal_room_answer", "author_id", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_room_answer")),
        sa.UniqueConstraint("question_id", "revision", name="uq_deal_room_answer_question_revision"),
    )


def downgrade() -> None:
    op.drop_table("deal_room_answer")
    op.drop_index("ix_deal_room_question_room_asker_org", table_name="deal_room_question")
    op.drop_index("ix_deal_room_question_room_status", table_name="deal_room_question")
    op.drop_table("deal_room_question")
