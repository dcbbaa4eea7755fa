"""Verified phone and e-mail, one-time codes (verification and password reset).

An e-mail or phone is unique among accounts that verified it only (partial unique indexes): an
unverified claim never blocks the real owner, who verifies first and holds it. Each account
counts changes of its contact state (`contacts_version`) and what the user and transaction
services were last told (`contacts_synced_version`), so a failed push is retried until equal.

Revision ID: 0004_verification
Revises: 0003
Create Date: 2026-12-10
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004_verification"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "auth"
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("credentials", sa.Column("phone_verified_at", TS, nullable=True), schema=SCHEMA)
    op.add_column("credentials", sa.Column("email_verified_at", TS, nullable=True), schema=SCHEMA)
    op.add_column(
        "credentials", sa.Column("contacts_version", sa.BigInteger(), nullable=False, server_default="0"), schema=SCHEMA
    )
    op.add_column(
        "credentials",
        sa.Column("contacts_synced_version", sa.BigInteger(), nullable=False, server_default="0"),
        schema=SCHEMA,
    )
    op.drop_constraint("uq_credentials_email", "credentials", schema=SCHEMA)
    op.drop_constraint("uq_credentials_phone", "credentials", schema=SCHEMA)
    op.create_index("ix_credentials_email", "credentials", ["email"], schema=SCHEMA)
    op.create_index("ix_credentials_phone", "credentials", ["phone"], schema=SCHEMA)
    op.create_index(
        "uq_credentials_verified_email",
        "credentials",
        ["email"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text("email_verified_at IS NOT NULL"),
    )
    op.create_index(
        "uq_credentials_verified_phone",
        "credentials",
        ["phone"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text("phone_verified_at IS NOT NULL"),
    )
    op.create_index(
        "ix_credentials_unsynced",
        "credentials",
        ["user_id"],
        schema=SCHEMA,
        postgresql_where=sa.text("contacts_synced_version < contacts_version"),
    )
    op.create_table(
        "verification_codes",
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        # HMAC-SHA256 of the code with a server-side key; the code itself is never stored.
        sa.Column("code_hash", sa.String(64), nullable=True),
        sa.Column("destination", sa.String(254), nullable=True),
        sa.Column("expires_at", TS, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_sent_at", TS, nullable=True),
        sa.Column("window_started_at", TS, nullable=True),
        sa.Column("sends_in_window", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("user_id", "purpose", name="pk_verification_codes"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            [f"{SCHEMA}.credentials.user_id"],
            ondelete="CASCADE",
            name="fk_verification_codes_user_id_credentials",
        ),
        sa.CheckConstraint(
            "purpose IN ('phone', 'email', 'password_reset')", name="ck_verification_codes_purpose"
        ),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("verification_codes", schema=SCHEMA)
    op.drop_index("ix_credentials_unsynced", "credentials", schema=SCHEMA)
    op.drop_index("uq_credentials_verified_phone", "credentials", schema=SCHEMA)
    op.drop_index("uq_credentials_verified_email", "credentials", schema=SCHEMA)
    op.drop_index("ix_credentials_phone", "credentials", schema=SCHEMA)
    op.drop_index("ix_credentials_email", "credentials", schema=SCHEMA)
    op.create_unique_constraint("uq_credentials_phone", "credentials", ["phone"], schema=SCHEMA)
    op.create_unique_constraint("uq_credentials_email", "credentials", ["email"], schema=SCHEMA)
    op.drop_column("credentials", "contacts_synced_version", schema=SCHEMA)
    op.drop_column("credentials", "contacts_version", schema=SCHEMA)
    op.drop_column("credentials", "email_verified_at", schema=SCHEMA)
    op.drop_column("credentials", "phone_verified_at", schema=SCHEMA)
