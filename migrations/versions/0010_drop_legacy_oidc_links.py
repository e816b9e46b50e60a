"""drop the OIDC links the old email auto-link could have written silently to local accounts

Before 0005, an OIDC sign-in whose provider-verified email matched a local account's linked the
identity to that account without asking anyone (admins included), and wrote an
``oidc_identity`` row with no ``email`` (the column did not exist yet). 0005 kept those rows,
so an account taken over that way before the upgrade stayed taken over after it.

This revision deletes every link that may be such a takeover: ``email IS NULL`` (the legacy
marker) on an account that has a password (a local account, the only kind the auto-link could
attach to). Legacy links of accounts the OIDC sign-in created itself (no password) are kept:
the identity is the only way into them and nobody else's account was involved.

The cost: a link confirmed since 0005 whose provider gave no verified address also has a NULL
``email`` and is removed too; its owner signs in with the password and confirms the link again
(one click). Nothing else is touched, and admins are refused at every OIDC sign-in anyway
(service.auth.oidc_accounts). The deleted rows cannot be told apart from takeovers, so the
downgrade does not restore them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        sa.text(
            """
            DELETE FROM oidc_identity AS link
            USING app_user AS account
            WHERE link.user_id = account.id
              AND link.email IS NULL
              AND account.password_hash IS NOT NULL
            """
        )
    )


def downgrade() -> None:
    # Data only: the removed links are not restored (see the docstring).
    pass
