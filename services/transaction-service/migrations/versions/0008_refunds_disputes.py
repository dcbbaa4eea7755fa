"""Refunds, reversals and disputes.

- A refund is a transfer (type `transfer`) from the original's recipient back to its sender with
  `refund_of` = the original's id; a reversal is an entry of the new type `reversal` (an operator's
  decision on a dispute) with `reversal_of`. Both are new, nullable columns: the original entry is
  never written to. At most one reversal per transfer (unique partial index).
- `disputes`: a sender's report of a problem with a transfer; at most one `open` per transfer
  (unique partial index), a human reference (`DP` + 8 characters) like a transaction's.

Revision ID: 0008_refunds_disputes
Revises: 0007_freeze_reason
Create Date: 2026-12-12
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008_refunds_disputes"
down_revision: str | None = "0007_freeze_reason"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UPGRADE = [
    "ALTER TABLE ledger.journal_entries ADD COLUMN refund_of uuid REFERENCES ledger.journal_entries (id)",
    "ALTER TABLE ledger.journal_entries ADD COLUMN reversal_of uuid REFERENCES ledger.journal_entries (id)",
    "ALTER TABLE ledger.journal_entries DROP CONSTRAINT ck_journal_entries_type",
    "ALTER TABLE ledger.journal_entries ADD CONSTRAINT ck_journal_entries_type "
    "CHECK (type IN ('transfer', 'topup', 'withdrawal', 'reversal'))",
    "ALTER TABLE ledger.journal_entries ADD CONSTRAINT ck_journal_entries_links "
    "CHECK ((refund_of IS NULL OR type = 'transfer') AND ((reversal_of IS NOT NULL) = (type = 'reversal')))",
    # What was already given back of a transfer: its refunds and its reversal, read under its lock.
    "CREATE INDEX ix_journal_entries_refund_of ON ledger.journal_entries (refund_of) WHERE refund_of IS NOT NULL",
    "CREATE UNIQUE INDEX uq_journal_entries_reversal_of ON ledger.journal_entries (reversal_of) "
    "WHERE reversal_of IS NOT NULL",
    """
    CREATE TABLE ledger.disputes (
        id uuid PRIMARY KEY,
        reference varchar(16) NOT NULL,
        transfer_id uuid NOT NULL REFERENCES ledger.journal_entries (id),
        sender_id uuid NOT NULL,
        recipient_id uuid NOT NULL,
        amount numeric(20, 2) NOT NULL,
        currency char(3) NOT NULL DEFAULT 'EGP',
        reason varchar(20) NOT NULL,
        note text,
        status varchar(20) NOT NULL DEFAULT 'open',
        resolution_note text,
        resolved_by uuid,
        resolved_at timestamptz,
        reversal_id uuid REFERENCES ledger.journal_entries (id),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT uq_disputes_reference UNIQUE (reference),
        CONSTRAINT ck_disputes_reason CHECK (reason IN ('wrong_recipient', 'not_received', 'fraud', 'other')),
        CONSTRAINT ck_disputes_status CHECK (status IN ('open', 'rejected', 'resolved_reversed')),
        CONSTRAINT ck_disputes_reversal CHECK ((status = 'resolved_reversed') = (reversal_id IS NOT NULL)),
        CONSTRAINT ck_disputes_resolved CHECK ((status = 'open') = (resolved_at IS NULL))
    )
    """,
    "CREATE UNIQUE INDEX uq_disputes_open_transfer ON ledger.disputes (transfer_id) WHERE status = 'open'",
    "CREATE INDEX ix_disputes_transfer ON ledger.disputes (transfer_id, created_at DESC)",
    "CREATE INDEX ix_disputes_sender ON ledger.disputes (sender_id, created_at DESC, id DESC)",
    "CREATE INDEX ix_disputes_recipient ON ledger.disputes (recipient_id, created_at DESC, id DESC)",
    "CREATE INDEX ix_disputes_status ON ledger.disputes (status, created_at DESC, id DESC)",
]

DOWNGRADE = [
    "DROP TABLE ledger.disputes",
    "DROP INDEX ledger.uq_journal_entries_reversal_of",
    "DROP INDEX ledger.ix_journal_entries_refund_of",
    "ALTER TABLE ledger.journal_entries DROP CONSTRAINT ck_journal_entries_links",
    "ALTER TABLE ledger.journal_entries DROP CONSTRAINT ck_journal_entries_type",
    # Reversals cannot be dropped (the ledger is append-only): a downgrade with reversals fails here.
    "ALTER TABLE ledger.journal_entries ADD CONSTRAINT ck_journal_entries_type "
    "CHECK (type IN ('transfer', 'topup', 'withdrawal'))",
    "ALTER TABLE ledger.journal_entries DROP COLUMN reversal_of",
    "ALTER TABLE ledger.journal_entries DROP COLUMN refund_of",
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for statement in DOWNGRADE:
        op.execute(statement)
