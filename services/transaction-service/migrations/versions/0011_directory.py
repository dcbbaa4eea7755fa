"""The recipient directory: a local, versioned copy of the user service's profiles, fed by
`user.profile_changed`, so a transfer resolves its parties without a call (docs/ARCHITECTURE.md,
"Recipient directory").

- `directory_entries`: one row per profile, with the identifiers it can be found by (a phone or
  e-mail only once verified) and the highest `version` applied. Each identifier is unique among
  the rows that hold it: a newer claim clears an older holder's copy, never the reverse.
- `directory_lookups`: when the user service's lookup budget counted an identifier for a user
  (a digest, as the user service stores it); the directory answers that user for that identifier
  only while the budget would count it as free.
- `processed_events`: the inbox of event ids applied (dedupe of redeliveries).

Revision ID: 0011_directory
Revises: 0007_freeze_reason
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from instapay_common.events.tables_migration import create_inbox_tables, drop_inbox_tables

revision: str = "0011_directory"
down_revision: str | None = "0010_approvals_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "ledger"


def upgrade() -> None:
    op.create_table(
        "directory_entries",
        sa.Column("user_id", postgresql.UUID(as_uuid=True), primary_key=True),
        sa.Column("handle", sa.String(30), nullable=True),
        sa.Column("phone", sa.String(16), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("display_name", sa.String(120), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("status IN ('active', 'deleted')", name="ck_directory_entries_status"),
        schema=SCHEMA,
    )
    for column in ("handle", "phone", "email"):
        op.create_index(
            f"uq_directory_entries_{column}",
            "directory_entries",
            [column],
            unique=True,
            schema=SCHEMA,
            postgresql_where=sa.text(f"{column} IS NOT NULL"),
        )
    op.create_table(
        "directory_lookups",
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("counted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "target", name="pk_directory_lookups"),
        schema=SCHEMA,
    )
    op.create_index("ix_directory_lookups_counted_at", "directory_lookups", ["counted_at"], schema=SCHEMA)
    create_inbox_tables(SCHEMA)


def downgrade() -> None:
    drop_inbox_tables(SCHEMA)
    op.drop_table("directory_lookups", schema=SCHEMA)
    op.drop_table("directory_entries", schema=SCHEMA)
