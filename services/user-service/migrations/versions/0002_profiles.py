"""Profiles and preferences.

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

SCHEMA = "users"


def upgrade() -> None:
    op.create_table(
        "profiles",
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("phone", sa.String(16), nullable=False),
        sa.Column("handle", sa.String(30), nullable=False),
        sa.Column("full_name", sa.String(100), nullable=False),
        sa.Column("language", sa.String(2), nullable=False, server_default="en"),
        sa.Column("notify_email", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("notify_sms", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("notify_push", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("user_id", name="pk_profiles"),
        sa.UniqueConstraint("email", name="uq_profiles_email"),
        sa.UniqueConstraint("phone", name="uq_profiles_phone"),
        sa.UniqueConstraint("handle", name="uq_profiles_handle"),
        sa.CheckConstraint("language IN ('en', 'ar')", name="ck_profiles_language"),
        sa.CheckConstraint("handle ~ '^[a-z0-9._]{3,30}$'", name="ck_profiles_handle_format"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("profiles", schema=SCHEMA)
