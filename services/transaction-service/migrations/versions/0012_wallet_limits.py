"""Per-wallet overrides of the spending limits (money sent out), set by two admins
(approval action `wallet.limits`). NULL: the configured default applies; the effective limits
are computed in `service.limits.effective_limits`.

Revision ID: 0012_wallet_limits
Revises: 0011_directory
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_wallet_limits"
down_revision: str | None = "0011_directory"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "ledger"
_COLUMNS = ("limit_per_transaction", "limit_daily", "limit_monthly")


def upgrade() -> None:
    for name in _COLUMNS:
        op.add_column("accounts", sa.Column(name, sa.Numeric(20, 2), nullable=True), schema=SCHEMA)
        # The API refuses 0 and negatives (and values above the ceilings); the database refuses
        # the first two whatever writes them.
        op.create_check_constraint(f"ck_accounts_{name}_positive", "accounts", f"{name} > 0", schema=SCHEMA)


def downgrade() -> None:
    for name in _COLUMNS:
        op.drop_column("accounts", name, schema=SCHEMA)
