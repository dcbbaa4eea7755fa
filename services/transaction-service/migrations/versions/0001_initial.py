"""Initial schema: the transactional outbox and its delivery tracking (instapay_common.events.outbox).

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""
from collections.abc import Sequence

from instapay_common.events.tables_migration import create_outbox_tables, drop_outbox_tables

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "ledger"


def upgrade() -> None:
    create_outbox_tables(SCHEMA)


def downgrade() -> None:
    drop_outbox_tables(SCHEMA)
