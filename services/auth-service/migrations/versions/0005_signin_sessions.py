"""Sign-in throttling per account/name/address, refresh reuse grace, per-session refresh limit.

Additive only (the previous release's pods keep running during a rollout): the old
`credentials.login_failures*` columns stay, unused, until a later release drops them.

Revision ID: 0005_signin_sessions
Revises: 0004_verification
Create Date: 2026-12-01
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_signin_sessions"
down_revision: str | None = "0004_verification"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "auth"
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "signin_attempts",
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_failure_at", TS, nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("key", name="pk_signin_attempts"),
        schema=SCHEMA,
    )
    # Old quiet rows are swept by age.
    op.create_index("ix_signin_attempts_last_failure_at", "signin_attempts", ["last_failure_at"], schema=SCHEMA)
    op.add_column("refresh_tokens", sa.Column("successor_hash", sa.String(64), nullable=True), schema=SCHEMA)
    op.add_column("refresh_tokens", sa.Column("successor_sealed", sa.LargeBinary(), nullable=True), schema=SCHEMA)
    op.add_column("sessions", sa.Column("refresh_window_started_at", TS, nullable=True), schema=SCHEMA)
    op.add_column(
        "sessions", sa.Column("refresh_count", sa.Integer(), nullable=False, server_default="0"), schema=SCHEMA
    )


def downgrade() -> None:
    op.drop_column("sessions", "refresh_count", schema=SCHEMA)
    op.drop_column("sessions", "refresh_window_started_at", schema=SCHEMA)
    op.drop_column("refresh_tokens", "successor_sealed", schema=SCHEMA)
    op.drop_column("refresh_tokens", "successor_hash", schema=SCHEMA)
    op.drop_index("ix_signin_attempts_last_failure_at", table_name="signin_attempts", schema=SCHEMA)
    op.drop_table("signin_attempts", schema=SCHEMA)
