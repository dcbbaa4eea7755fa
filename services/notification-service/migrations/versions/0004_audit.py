"""The tamper-evident audit log (instapay_common.audit): webhook endpoints created, changed,
deleted and their secrets rotated. The runtime role may only INSERT and SELECT it.

Revision ID: 0004_audit
Revises: 0003_webhooks
Create Date: 2026-12-10
"""

from collections.abc import Sequence

from instapay_common.audit.migration import create_audit_table, drop_audit_table

revision: str = "0004_audit"
down_revision: str | None = "0003_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "notifications"


def upgrade() -> None:
    create_audit_table(SCHEMA)


def downgrade() -> None:
    drop_audit_table(SCHEMA)
