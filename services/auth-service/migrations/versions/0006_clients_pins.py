"""Released phones and e-mails: one given up by its account (a change, or the account deleted)
stays that account's for a quarantine, so nobody else receives payments sent to it meanwhile.

Revision ID: 0006_clients_pins
Revises: 0005_signin_sessions
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_clients_pins"
down_revision: str | None = "0005_signin_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "auth"


def upgrade() -> None:
    op.create_table(
        "released_identifiers",
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("value", sa.String(254), nullable=False),
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("quarantined_until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "value", name="pk_released_identifiers"),
        sa.CheckConstraint("kind IN ('email', 'phone')", name="ck_released_identifiers_kind"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("released_identifiers", schema=SCHEMA)
