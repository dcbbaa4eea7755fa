"""Two-person control and the tamper-evident audit log.

- `approvals`: an admin action that moves or blocks money (a wallet freeze or unfreeze, later a
  dispute's resolution) proposed by one admin and carried out when a different one approves it
  (transaction_service.service.approvals); the database itself refuses an approver who is the
  proposer.
- `audit_log`: the service's hash chain (instapay_common.audit). The runtime role may only INSERT
  and SELECT it (instapay_common.db.roles.APPEND_ONLY_TABLES). `admin_audit_log` (one admin's
  freezes before this revision) stays as it was, no longer written.

Revision ID: 0010_approvals_audit
Revises: 0007_freeze_reason
Create Date: 2026-12-10
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from instapay_common.audit.migration import create_audit_table, drop_audit_table

revision: str = "0010_approvals_audit"
down_revision: str | None = "0009_schedules"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "ledger"


def upgrade() -> None:
    create_audit_table(SCHEMA)
    op.create_table(
        "approvals",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(128), nullable=False),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column("proposed_by", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("approved_by", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejected_by", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("result", postgresql.JSONB(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_approvals"),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'expired', 'rejected')", name="ck_approvals_status_known"
        ),
        # Two people: whoever approves is not whoever proposed (a rejection may be a withdrawal).
        sa.CheckConstraint(
            "status <> 'approved' OR (approved_by IS NOT NULL AND approved_by <> proposed_by)",
            name="ck_approvals_two_people",
        ),
        schema=SCHEMA,
    )
    op.create_index("ix_approvals_proposed_at", "approvals", ["proposed_at", "id"], schema=SCHEMA)
    op.create_index(
        "ix_approvals_pending", "approvals", ["expires_at"], schema=SCHEMA, postgresql_where=sa.text("status = 'pending'")
    )


def downgrade() -> None:
    op.drop_table("approvals", schema=SCHEMA)
    drop_audit_table(SCHEMA)
