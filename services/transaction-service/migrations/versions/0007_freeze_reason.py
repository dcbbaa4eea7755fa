"""When a wallet was frozen (with `frozen_reason`, set together; both NULL while active): what
the operators' wallet view shows next to the reason.

Revision ID: 0007_freeze_reason
Revises: 0005_phone_verified
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_freeze_reason"
down_revision: str | None = "0006_references_links"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "ledger"


def upgrade() -> None:
    op.add_column("accounts", sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=True), schema=SCHEMA)
    # Wallets frozen before this column existed: their latest freeze in the audit log.
    op.execute(
        "UPDATE ledger.accounts a SET frozen_at = (SELECT max(l.created_at) FROM ledger.admin_audit_log l "
        "WHERE l.target_user_id = a.user_id AND l.action = 'wallet.freeze') WHERE a.status = 'frozen'"
    )


def downgrade() -> None:
    op.drop_column("accounts", "frozen_at", schema=SCHEMA)
