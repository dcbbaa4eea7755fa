"""All-time and running counterparty totals, so top counterparties read a few rows per counterparty
whatever the range; the monthly table they replace is dropped.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "reporting"
UUID = postgresql.UUID(as_uuid=True)


def amounts() -> list[sa.Column]:
    return [sa.Column("sent", sa.Numeric(20, 2), nullable=False, server_default=sa.text("0")),
            sa.Column("received", sa.Numeric(20, 2), nullable=False, server_default=sa.text("0")),
            sa.Column("count", sa.Integer(), nullable=False, server_default=sa.text("0"))]


def upgrade() -> None:
    op.create_table(
        "counterparty_totals",
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("counterparty_id", UUID, nullable=False),
        *amounts(),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "counterparty_id", name="pk_counterparty_totals"),
        schema=SCHEMA,
    )
    op.create_table(
        "counterparty_running",
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("counterparty_id", UUID, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        *amounts(),
        sa.PrimaryKeyConstraint("user_id", "counterparty_id", "day", name="pk_counterparty_running"),
        schema=SCHEMA,
    )
    # Existing data (a database migrated before this revision) is derived from the daily rows,
    # which hold every transfer the projector applied.
    op.execute(
        "INSERT INTO reporting.counterparty_totals "
        "(user_id, counterparty_id, sent, received, count, first_day, last_day) "
        "SELECT user_id, counterparty_id, sum(sent), sum(received), sum(count), min(day), max(day) "
        "FROM reporting.counterparty_daily GROUP BY user_id, counterparty_id")
    op.execute(
        "INSERT INTO reporting.counterparty_running (user_id, counterparty_id, day, sent, received, count) "
        "SELECT user_id, counterparty_id, day, sum(sent) OVER w, sum(received) OVER w, sum(count) OVER w "
        "FROM reporting.counterparty_daily "
        "WINDOW w AS (PARTITION BY user_id, counterparty_id ORDER BY day)")
    op.drop_table("counterparty_monthly", schema=SCHEMA)


def downgrade() -> None:
    op.create_table(
        "counterparty_monthly",
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("counterparty_id", UUID, nullable=False),
        *amounts(),
        sa.PrimaryKeyConstraint("user_id", "month", "counterparty_id", name="pk_counterparty_monthly"),
        schema=SCHEMA,
    )
    op.execute(
        "INSERT INTO reporting.counterparty_monthly (user_id, month, counterparty_id, sent, received, count) "
        "SELECT user_id, date_trunc('month', day)::date, counterparty_id, sum(sent), sum(received), sum(count) "
        "FROM reporting.counterparty_daily GROUP BY 1, 2, 3")
    op.drop_table("counterparty_running", schema=SCHEMA)
    op.drop_table("counterparty_totals", schema=SCHEMA)
