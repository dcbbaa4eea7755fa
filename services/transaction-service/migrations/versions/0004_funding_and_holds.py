"""Holds, funding operations confirmed by the provider, stored provider callbacks, reconciliation.

- A hold reserves part of a wallet's balance (`accounts.held`, the sum of its pending holds):
  available = balance - held, and the database refuses a user account whose available balance
  would go below zero, whatever the code does.
- A funding operation is a top-up or withdrawal as the provider sees it; its id is our operation
  id (the provider's idempotency key) and the journal entry's id once it completes. `seq` comes
  from the postings' sequence so pending/failed operations and postings share one history order.
- Provider callbacks are stored (deduplicated by the provider's event id) before they are applied.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UPGRADE = [
    "ALTER TABLE ledger.accounts ADD COLUMN held numeric(20, 2) NOT NULL DEFAULT 0",
    "ALTER TABLE ledger.accounts ADD CONSTRAINT ck_accounts_held_non_negative CHECK (held >= 0)",
    "ALTER TABLE ledger.accounts ADD CONSTRAINT ck_accounts_user_available_non_negative "
    "CHECK (kind <> 'user' OR balance - held >= 0)",
    """
    CREATE TABLE ledger.holds (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES ledger.accounts (id),
        amount numeric(20, 2) NOT NULL,
        reason varchar(40) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending',
        expires_at timestamptz NOT NULL,
        entry_id uuid,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        resolved_at timestamptz,
        CONSTRAINT ck_holds_amount_positive CHECK (amount > 0),
        CONSTRAINT ck_holds_status CHECK (status IN ('pending', 'posted', 'released', 'expired')),
        CONSTRAINT ck_holds_posted_entry CHECK ((status = 'posted') = (entry_id IS NOT NULL))
    )
    """,
    "CREATE INDEX ix_holds_pending_expiry ON ledger.holds (expires_at) WHERE status = 'pending'",
    "CREATE INDEX ix_holds_account ON ledger.holds (account_id) WHERE status = 'pending'",
    """
    CREATE TABLE ledger.funding_operations (
        id uuid PRIMARY KEY,
        seq bigint NOT NULL DEFAULT nextval(pg_get_serial_sequence('ledger.postings', 'id')),
        user_id uuid NOT NULL,
        account_id uuid NOT NULL REFERENCES ledger.accounts (id),
        kind varchar(16) NOT NULL,
        method varchar(8) NOT NULL,
        reference text NOT NULL,
        amount numeric(20, 2) NOT NULL,
        currency char(3) NOT NULL DEFAULT 'EGP',
        status varchar(16) NOT NULL DEFAULT 'pending',
        provider varchar(40) NOT NULL,
        provider_id text,
        hold_id uuid REFERENCES ledger.holds (id),
        failure_reason text,
        handle text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        completed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT ck_funding_operations_kind CHECK (kind IN ('topup', 'withdrawal')),
        CONSTRAINT ck_funding_operations_method CHECK (method IN ('card', 'bank')),
        CONSTRAINT ck_funding_operations_amount_positive CHECK (amount > 0),
        CONSTRAINT ck_funding_operations_status CHECK (status IN ('pending', 'completed', 'failed')),
        CONSTRAINT ck_funding_operations_withdrawal_hold CHECK (kind <> 'withdrawal' OR hold_id IS NOT NULL)
    )
    """,
    # History rows that have no posting (yet): pending and failed operations.
    "CREATE INDEX ix_funding_operations_open ON ledger.funding_operations "
    "(account_id, created_at DESC, seq DESC) WHERE status <> 'completed'",
    # Top-up limits: what a wallet topped up since a date.
    "CREATE INDEX ix_funding_operations_account_kind_time ON ledger.funding_operations "
    "(account_id, kind, created_at)",
    "CREATE INDEX ix_funding_operations_pending ON ledger.funding_operations (created_at) WHERE status = 'pending'",
    "CREATE INDEX ix_funding_operations_completed ON ledger.funding_operations (completed_at) "
    "WHERE status = 'completed'",
    """
    CREATE TABLE ledger.provider_callbacks (
        provider varchar(40) NOT NULL,
        event_id varchar(255) NOT NULL,
        type varchar(40) NOT NULL,
        operation_id uuid NOT NULL,
        payload jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        applied_at timestamptz,
        CONSTRAINT pk_provider_callbacks PRIMARY KEY (provider, event_id)
    )
    """,
    """
    CREATE TABLE ledger.reconciliation_runs (
        provider varchar(40) NOT NULL,
        day date NOT NULL,
        ran_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        matched integer NOT NULL,
        missing_in_ledger jsonb NOT NULL,
        missing_at_provider jsonb NOT NULL,
        amount_mismatch jsonb NOT NULL,
        CONSTRAINT pk_reconciliation_runs PRIMARY KEY (provider, day)
    )
    """,
]

DOWNGRADE = [
    "DROP TABLE ledger.reconciliation_runs",
    "DROP TABLE ledger.provider_callbacks",
    "DROP TABLE ledger.funding_operations",
    "DROP TABLE ledger.holds",
    "ALTER TABLE ledger.accounts DROP CONSTRAINT ck_accounts_user_available_non_negative",
    "ALTER TABLE ledger.accounts DROP CONSTRAINT ck_accounts_held_non_negative",
    "ALTER TABLE ledger.accounts DROP COLUMN held",
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for statement in DOWNGRADE:
        op.execute(statement)
