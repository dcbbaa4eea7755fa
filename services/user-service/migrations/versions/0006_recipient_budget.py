"""Recipient identifiers each user resolved in the last day (the per-user resolution budget).

Revision ID: 0006_recipient_budget
Revises: 0005_handle_quarantine
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_recipient_budget"
down_revision: str | None = "0005_handle_quarantine"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "users"


def upgrade() -> None:
    op.create_table(
        "recipient_lookups",
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("looked_up_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "target", name="pk_recipient_lookups"),
        schema=SCHEMA,
    )
    op.create_index(
        "ix_recipient_lookups_user_id_looked_up_at", "recipient_lookups", ["user_id", "looked_up_at"], schema=SCHEMA
    )


def downgrade() -> None:
    op.drop_index("ix_recipient_lookups_user_id_looked_up_at", table_name="recipient_lookups", schema=SCHEMA)
    op.drop_table("recipient_lookups", schema=SCHEMA)
