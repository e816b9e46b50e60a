"""deal room documents: folders, documents and versions, per-group permissions, views, downloads and page views

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = "'investor', 'bank', 'advisor', 'observer'"
LEVELS = "'none', 'view', 'download'"


def _ts(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)


def _fk(table: str, column: str, target: str, *, cascade: bool = False) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE" if cascade else None,
    )


def upgrade() -> None:
    op.create_table(
        "deal_room_folder",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        _fk("deal_room_folder", "room_id", "deal_room", cascade=True),
        _fk("deal_room_folder", "parent_id", "deal_room_folder"),
        _fk("deal_room_folder", "created_by", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_room_folder")),
    )
    op.create_index("ix_deal_room_folder_room_parent", "deal_room_folder", ["room_id", "parent_id"], unique=False)
    op.create_table(
        "deal_room_document",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("folder_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        _fk("deal_room_document", "room_id", "deal_room", cascade=True),
        _fk("deal_room_document", "folder_id", "deal_room_folder"),
        _fk("deal_room_document", "created_by", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_room_document")),
    )
    op.create_index("ix_deal_room_document_folder", "deal_room_document", ["folder_id"], unique=False)
    op.create_table(
        "deal_room_document_version",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=64), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.Column("uploaded_by", sa.Uuid(), nullable=False),
        _ts("uploaded_at"),
        _fk("deal_room_document_version", "document_id", "deal_room_document", cascade=True),
        _fk("deal_room_document_version", "uploaded_by", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_room_document_version")),
        sa.UniqueConstraint("document_id", "version", name="uq_deal_room_document_version_document_version"),
    )
    op.create_table(
        "deal_room_permission",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("folder_id", sa.Uuid(), nullable=True),
        sa.Column("document_id", sa.Uuid(), nullable=True),
        sa.Column("audience", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("set_by", sa.Uuid(), nullable=False),
        _ts("set_at"),
        sa.CheckConstraint(f"audience IN ({GROUPS})", name=op.f("ck_deal_room_permission_audience_valid")),
        sa.CheckConstraint(f"level IN ({LEVELS})", name=op.f("ck_deal_room_permission_level_valid")),
        sa.CheckConstraint(
            "num_nonnulls(folder_id, document_id) = 1", name=op.f("ck_deal_room_permission_one_target")
        ),
        _fk("deal_room_permission", "room_id", "deal_room", cascade=True),
        _fk("deal_room_permission", "folder_id", "deal_room_folder", cascade=True),
        _fk("deal_room_permission", "document_id", "deal_room_document", cascade=True),
        _fk("deal_room_permission", "set_by", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_room_permission")),
        sa.UniqueConstraint("folder_id", "audience", name="uq_deal_room_permission_folder_audience"),
        sa.UniqueConstraint("document_id", "audience", name="uq_deal_room_permission_document_audience"),
    )
    op.create_table(
        "deal_room_document_access",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("watermarked", sa.Boolean(), nullable=False),
        _ts("at"),
        sa.CheckConstraint("kind IN ('view', 'download')", name=op.f("ck_deal_room_document_access_kind_valid")),
        _fk("deal_room_document_access", "room_id", "deal_room", cascade=True),
        _fk("deal_room_document_access", "document_id", "deal_room_document", cascade=True),
        _fk("deal_room_document_access", "version_id", "deal_room_document_version", cascade=True),
        _fk("deal_room_document_access", "participant_id", "deal_room_participant"),
        _fk("deal_room_document_access", "user_id", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_room_document_access")),
    )
    op.create_index(
        "ix_deal_room_document_access_room_at", "deal_room_document_access", ["room_id", "at"], unique=False
    )
    op.create_index(
        "ix_deal_room_document_access_document", "deal_room_document_access", ["document_id"], unique=False
    )
    op.create_table(
        "deal_room_page_view",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        _ts("at"),
        _fk("deal_room_page_view", "room_id", "deal_room", cascade=True),
        _fk("deal_room_page_view", "document_id", "deal_room_document", cascade=True),
        _fk("deal_room_page_view", "participant_id", "deal_room_participant"),
        _fk("deal_room_page_view", "user_id", "app_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_room_page_view")),
    )
    op.create_index("ix_deal_room_page_view_room_at", "deal_room_page_view", ["room_id", "at"], unique=False)
    op.create_index("ix_deal_room_page_view_document", "deal_room_page_view", ["document_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_deal_room_page_view_document", table_name="deal_room_page_view")
    op.drop_index("ix_deal_room_page_view_room_at", table_name="deal_room_page_view")
    op.drop_table("deal_room_page_view")
    op.drop_index("ix_deal_room_document_access_document", table_name="deal_room_document_access")
    op.drop_index("ix_deal_room_document_access_room_at", table_name="deal_room_document_access")
    op.drop_table("deal_room_document_access")
    op.drop_table("deal_room_permission")
    op.drop_table("deal_room_document_version")
    op.drop_index("ix_deal_room_document_folder", table_name="deal_room_document")
    op.drop_table("deal_room_document")
    op.drop_index("ix_deal_room_folder_room_parent", table_name="deal_room_folder")
    op.drop_table("deal_room_folder")
