"""The tamper-evident audit log (instapay_common.audit): sign-ins, password, PIN, API client and
role changes. The runtime role may only INSERT and SELECT it.

Revision ID: 0007_audit
Revises: 0006_clients_pins
Create Date: 2026-12-10
"""

from collections.abc import Sequence

from instapay_common.audit.migration import create_audit_table, drop_audit_table

revision: str = "0007_audit"
down_revision: str | None = "0006_clients_pins"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "auth"


def upgrade() -> None:
    create_audit_table(SCHEMA)


def downgrade() -> None:
    drop_audit_table(SCHEMA)
