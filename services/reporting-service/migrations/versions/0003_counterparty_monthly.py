"""Monthly counterparty totals, so a long summary range reads whole months instead of days.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "reporting"


def upgrade() -> None:
    op.create_table(
        "counterparty_monthly",
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("counterparty_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("sent", sa.Numeric(20, 2), nullable=False, server_default=sa.text("0")),
        sa.Column("received", sa.Numeric(20, 2), nullable=False, server_default=sa.text("0")),
        sa.Column("count", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.PrimaryKeyConstraint("user_id", "month", "counterparty_id", name="pk_counterparty_monthly"),
        schema=SCHEMA,
    )
    # Existing rows (a database migrated before this revision) get their months from the days.
    op.execute(
        "INSERT INTO reporting.counterparty_monthly (user_id, month, counterparty_id, sent, received, count) "
        "SELECT user_id, date_trunc('month', day)::date, counterparty_id, sum(sent), sum(received), sum(count) "
        "FROM reporting.counterparty_daily GROUP BY 1, 2, 3")


def downgrade() -> None:
    op.drop_table("counterparty_monthly", schema=SCHEMA)
