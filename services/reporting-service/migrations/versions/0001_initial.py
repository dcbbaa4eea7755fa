"""Initial schema: the inbox of processed event ids (subscriber dedupe).

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""
from collections.abc import Sequence

from instapay_common.events.tables_migration import create_inbox_tables, drop_inbox_tables

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "reporting"


def upgrade() -> None:
    create_inbox_tables(SCHEMA)


def downgrade() -> None:
    drop_inbox_tables(SCHEMA)
