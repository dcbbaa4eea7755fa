"""Reporting read model: per-user daily aggregates and counterparties, movements, platform days, users.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "reporting"
UUID = postgresql.UUID(as_uuid=True)


def money(name: str) -> sa.Column:
    return sa.Column(name, sa.Numeric(20, 2), nullable=False, server_default=sa.text("0"))


def count(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0"))


def upgrade() -> None:
    op.create_table(
        "user_daily",
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        money("transfer_out"), count("transfer_out_count"),
        money("transfer_in"), count("transfer_in_count"),
        money("topup"), count("topup_count"),
        money("withdrawal"), count("withdrawal_count"),
        sa.PrimaryKeyConstraint("user_id", "day", name="pk_user_daily"),
        schema=SCHEMA,
    )
    op.create_table(
        "counterparty_daily",
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("counterparty_id", UUID, nullable=False),
        money("sent"), money("received"), count("count"),
        sa.PrimaryKeyConstraint("user_id", "day", "counterparty_id", name="pk_counterparty_daily"),
        schema=SCHEMA,
    )
    op.create_table(
        "parties",
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("handle", sa.String(64), nullable=True),
        sa.Column("display_name", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("user_id", name="pk_parties"),
        schema=SCHEMA,
    )
    op.create_table(
        "movements",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("event_id", UUID, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("amount", sa.Numeric(20, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("balance_after", sa.Numeric(20, 2), nullable=True),
        sa.Column("counterparty_id", UUID, nullable=True),
        sa.Column("counterparty_handle", sa.String(64), nullable=True),
        sa.Column("counterparty_name", sa.String(200), nullable=True),
        sa.Column("reference", sa.String(64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_movements"),
        schema=SCHEMA,
    )
    op.create_index("ix_movements_user_time", "movements", ["user_id", "occurred_at", "id"], schema=SCHEMA)
    op.create_table(
        "platform_daily",
        sa.Column("day", sa.Date(), nullable=False),
        money("transfer_volume"), count("transfer_count"),
        money("topup_volume"), count("topup_count"),
        money("withdrawal_volume"), count("withdrawal_count"),
        count("new_users"),
        sa.PrimaryKeyConstraint("day", name="pk_platform_daily"),
        schema=SCHEMA,
    )
    op.create_table(
        "users",
        sa.Column("user_id", UUID, nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("user_id", name="pk_users"),
        schema=SCHEMA,
    )
    op.create_index("ix_users_registered_at", "users", ["registered_at"], schema=SCHEMA)


def downgrade() -> None:
    for table in ("users", "platform_daily", "movements", "parties", "counterparty_daily", "user_daily"):
        op.drop_table(table, schema=SCHEMA)
