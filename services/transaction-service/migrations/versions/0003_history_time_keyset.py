"""History keyset on (created_at, id): a date-range page is one index range scan too.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DROP INDEX ledger.ix_postings_account_id_id")
    op.execute("DROP INDEX ledger.ix_postings_account_type_id")
    op.execute("DROP INDEX ledger.ix_postings_account_counterparty_id")
    op.execute("CREATE INDEX ix_postings_account_time ON ledger.postings (account_id, created_at DESC, id DESC)")
    op.execute("CREATE INDEX ix_postings_account_type_time ON ledger.postings "
               "(account_id, type, created_at DESC, id DESC)")
    op.execute("CREATE INDEX ix_postings_account_counterparty_time ON ledger.postings "
               "(account_id, counterparty_user_id, created_at DESC, id DESC) WHERE counterparty_user_id IS NOT NULL")


def downgrade() -> None:
    op.execute("DROP INDEX ledger.ix_postings_account_time")
    op.execute("DROP INDEX ledger.ix_postings_account_type_time")
    op.execute("DROP INDEX ledger.ix_postings_account_counterparty_time")
    op.execute("CREATE INDEX ix_postings_account_id_id ON ledger.postings (account_id, id DESC)")
    op.execute("CREATE INDEX ix_postings_account_type_id ON ledger.postings (account_id, type, id DESC)")
    op.execute("CREATE INDEX ix_postings_account_counterparty_id ON ledger.postings "
               "(account_id, counterparty_user_id, id DESC) WHERE counterparty_user_id IS NOT NULL")
