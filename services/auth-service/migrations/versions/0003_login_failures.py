"""Failed password logins per account (brute force across the username forms of one account).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "auth"


def upgrade() -> None:
    op.add_column("credentials", sa.Column("login_failures", sa.Integer(), nullable=False, server_default="0"),
                  schema=SCHEMA)
    op.add_column("credentials", sa.Column("login_failures_since", sa.DateTime(timezone=True), nullable=True),
                  schema=SCHEMA)


def downgrade() -> None:
    op.drop_column("credentials", "login_failures_since", schema=SCHEMA)
    op.drop_column("credentials", "login_failures", schema=SCHEMA)
