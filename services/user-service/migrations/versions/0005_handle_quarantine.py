"""Released handles: a handle given up (changed away from, or its account deleted) stays its
previous owner's for a quarantine, so nobody else receives payments meant for that owner.

Revision ID: 0005_handle_quarantine
Revises: 0004_verification
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_handle_quarantine"
down_revision: str | None = "0004_verification"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "users"


def upgrade() -> None:
    op.create_table(
        "released_handles",
        sa.Column("handle", sa.String(30), nullable=False),
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("quarantined_until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("handle", name="pk_released_handles"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("released_handles", schema=SCHEMA)
