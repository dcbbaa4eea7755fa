"""Initial schema: operations (charges and payouts) and the callback queue.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "simulator"


def upgrade() -> None:
    op.create_table(
        "operations",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("idempotency_key", sa.Text(), nullable=False),
        sa.Column("request_hash", sa.Text()),
        sa.Column("amount", sa.Numeric(20, 2)),
        sa.Column("currency", sa.Text()),
        sa.Column("method", sa.Text()),
        sa.Column("reference", sa.Text()),
        sa.Column("metadata", JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("failure_reason", sa.Text()),
        sa.Column("due_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("settled_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_operations"),
        sa.UniqueConstraint("kind", "idempotency_key", name="uq_operations_kind_idempotency_key"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_operations_due", "operations", ["due_at"], schema=SCHEMA, postgresql_where=sa.text("status = 'pending'")
    )
    op.create_index("ix_operations_settled_at", "operations", ["settled_at"], schema=SCHEMA)
    op.create_table(
        "callbacks",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_callbacks"),
        sa.UniqueConstraint("event_id", name="uq_callbacks_event_id"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_callbacks_due",
        "callbacks",
        ["next_attempt_at"],
        schema=SCHEMA,
        postgresql_where=sa.text("delivered_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_table("callbacks", schema=SCHEMA)
    op.drop_table("operations", schema=SCHEMA)
