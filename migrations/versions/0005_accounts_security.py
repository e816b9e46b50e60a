"""accounts security: atomic rate counters (login backoff, sign-up limit), verified sign-up
requests, confirmed OIDC links, the shared outbox

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Failed logins were rows counted before the failure was committed (racy); a counter row
    # updated by one upsert replaces them. Old rows only ever slowed logins down: drop them.
    op.drop_index("ix_login_attempt_ip_at", table_name="login_attempt")
    op.drop_index("ix_login_attempt_email_at", table_name="login_attempt")
    op.drop_table("login_attempt")
    op.create_table(
        "rate_counter",
        sa.Column("scope", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_rate_counter")),
    )
    op.add_column("app_user", sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "signup_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("preferred_language", sa.String(length=2), nullable=False),
        sa.Column("organisation", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signup_request")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_signup_request_token_hash")),
    )
    op.create_index(op.f("ix_signup_request_email"), "signup_request", ["email"], unique=False)
    op.add_column("oidc_identity", sa.Column("email", sa.String(length=254), nullable=True))
    op.create_table(
        "oidc_link_pending",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["auth_session.id"],
            name=op.f("fk_oidc_link_pending_session_id_auth_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_oidc_link_pending_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_oidc_link_pending")),
    )
    op.create_index(op.f("ix_oidc_link_pending_user_id"), "oidc_link_pending", ["user_id"], unique=False)
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column(
            "payload", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("available_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
    )
    op.create_index(
        "ix_outbox_message_due",
        "outbox_message",
        ["available_at"],
        unique=False,
        postgresql_where=sa.text("sent_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_message_due", table_name="outbox_message", postgresql_where=sa.text("sent_at IS NULL"))
    op.drop_table("outbox_message")
    op.drop_index(op.f("ix_oidc_link_pending_user_id"), table_name="oidc_link_pending")
    op.drop_table("oidc_link_pending")
    op.drop_column("oidc_identity", "email")
    op.drop_index(op.f("ix_signup_request_email"), table_name="signup_request")
    op.drop_table("signup_request")
    op.drop_column("app_user", "email_verified_at")
    op.drop_table("rate_counter")
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    op.create_index("ix_login_attempt_email_at", "login_attempt", ["email", "at"], unique=False)
    op.create_index("ix_login_attempt_ip_at", "login_attempt", ["ip", "at"], unique=False)
