"""The double-entry ledger: accounts, journal entries, postings, idempotency keys, payment
requests and the admin audit log, with the invariants enforced by the database itself.

- postings of one journal entry sum to zero: a deferred constraint trigger checks it at commit;
- journal entries and postings are append-only: UPDATE/DELETE/TRUNCATE are refused by triggers;
- a user wallet never goes below zero: CHECK on the account row (system accounts may, they are
  the funding provider's side of top-ups and withdrawals).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UPGRADE = r"""
CREATE TABLE ledger.accounts (
    id uuid PRIMARY KEY,
    user_id uuid,
    system_code varchar(40),
    kind varchar(16) NOT NULL,
    currency char(3) NOT NULL DEFAULT 'EGP',
    balance numeric(20, 2) NOT NULL DEFAULT 0,
    status varchar(16) NOT NULL DEFAULT 'active',
    frozen_reason text,
    -- money sent out (transfers + withdrawals) in the current day/month, kept under the row lock
    spent_day numeric(20, 2) NOT NULL DEFAULT 0,
    spent_day_date date,
    spent_month numeric(20, 2) NOT NULL DEFAULT 0,
    spent_month_start date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_accounts_user_id UNIQUE (user_id),
    CONSTRAINT uq_accounts_system_code UNIQUE (system_code),
    CONSTRAINT ck_accounts_kind CHECK (kind IN ('user', 'system')),
    CONSTRAINT ck_accounts_owner CHECK ((kind = 'user' AND user_id IS NOT NULL AND system_code IS NULL)
                                        OR (kind = 'system' AND user_id IS NULL AND system_code IS NOT NULL)),
    CONSTRAINT ck_accounts_status CHECK (status IN ('active', 'frozen')),
    CONSTRAINT ck_accounts_user_balance_non_negative CHECK (kind <> 'user' OR balance >= 0)
);

INSERT INTO ledger.accounts (id, system_code, kind) VALUES
    ('00000000-0000-0000-0000-00000000c0de', 'funding:card', 'system'),
    ('00000000-0000-0000-0000-00000000ba4c', 'funding:bank', 'system');

CREATE TABLE ledger.journal_entries (
    id uuid PRIMARY KEY,
    type varchar(16) NOT NULL,
    amount numeric(20, 2) NOT NULL,
    currency char(3) NOT NULL DEFAULT 'EGP',
    note text,
    -- snapshots of both parties at the time of the movement (handles may change later)
    sender jsonb,
    recipient jsonb,
    payment_request_id uuid,
    funding_type varchar(16),
    funding_reference text,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT ck_journal_entries_type CHECK (type IN ('transfer', 'topup', 'withdrawal')),
    CONSTRAINT ck_journal_entries_amount_positive CHECK (amount > 0)
);

CREATE TABLE ledger.postings (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_id uuid NOT NULL REFERENCES ledger.journal_entries (id),
    account_id uuid NOT NULL REFERENCES ledger.accounts (id),
    amount numeric(20, 2) NOT NULL,
    balance_after numeric(20, 2) NOT NULL,
    -- denormalised from the entry so a history page is one index range scan on this table
    type varchar(16) NOT NULL,
    counterparty_user_id uuid,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT ck_postings_amount_non_zero CHECK (amount <> 0)
);
-- History: newest first per account (keyset on id), optionally one type.
CREATE INDEX ix_postings_account_id_id ON ledger.postings (account_id, id DESC);
CREATE INDEX ix_postings_account_type_id ON ledger.postings (account_id, type, id DESC);
CREATE INDEX ix_postings_account_counterparty_id ON ledger.postings (account_id, counterparty_user_id, id DESC)
    WHERE counterparty_user_id IS NOT NULL;
CREATE INDEX ix_postings_entry_id ON ledger.postings (entry_id);

CREATE FUNCTION ledger.refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger rows are append-only (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON ledger.journal_entries
    FOR EACH ROW EXECUTE FUNCTION ledger.refuse_ledger_change();
CREATE TRIGGER journal_entries_no_truncate BEFORE TRUNCATE ON ledger.journal_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_ledger_change();
CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON ledger.postings
    FOR EACH ROW EXECUTE FUNCTION ledger.refuse_ledger_change();
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON ledger.postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_ledger_change();

CREATE FUNCTION ledger.check_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    total numeric;
BEGIN
    SELECT sum(amount) INTO total FROM ledger.postings WHERE entry_id = NEW.entry_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'journal entry % does not balance (sum of postings %)', NEW.entry_id, total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

-- Deferred: checked at commit, after every posting of the entry is in.
CREATE CONSTRAINT TRIGGER postings_balanced AFTER INSERT ON ledger.postings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger.check_entry_balanced();

CREATE TABLE ledger.idempotency_keys (
    owner_id uuid NOT NULL,
    key varchar(255) NOT NULL,
    request_hash char(64) NOT NULL,
    status_code smallint NOT NULL,
    response jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_idempotency_keys PRIMARY KEY (owner_id, key)
);
CREATE INDEX ix_idempotency_keys_created_at ON ledger.idempotency_keys (created_at);

CREATE TABLE ledger.payment_requests (
    id uuid PRIMARY KEY,
    requester_id uuid NOT NULL,
    payer_id uuid NOT NULL,
    requester jsonb NOT NULL,
    payer jsonb NOT NULL,
    amount numeric(20, 2) NOT NULL,
    currency char(3) NOT NULL DEFAULT 'EGP',
    note text,
    status varchar(16) NOT NULL DEFAULT 'pending',
    transfer_id uuid,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT ck_payment_requests_status CHECK (status IN ('pending', 'accepted', 'declined', 'cancelled')),
    CONSTRAINT ck_payment_requests_amount_positive CHECK (amount > 0)
);
CREATE INDEX ix_payment_requests_requester ON ledger.payment_requests (requester_id, created_at DESC, id DESC);
CREATE INDEX ix_payment_requests_payer ON ledger.payment_requests (payer_id, created_at DESC, id DESC);

CREATE TABLE ledger.admin_audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_user_id uuid NOT NULL,
    action varchar(40) NOT NULL,
    target_user_id uuid NOT NULL,
    reason text,
    request_id varchar(128),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER admin_audit_log_append_only BEFORE UPDATE OR DELETE ON ledger.admin_audit_log
    FOR EACH ROW EXECUTE FUNCTION ledger.refuse_ledger_change();
"""

DOWNGRADE = r"""
DROP TABLE ledger.admin_audit_log;

DROP TABLE ledger.payment_requests;

DROP TABLE ledger.idempotency_keys;

DROP TABLE ledger.postings;

DROP TABLE ledger.journal_entries;

DROP TABLE ledger.accounts;

DROP FUNCTION ledger.check_entry_balanced();

DROP FUNCTION ledger.refuse_ledger_change();
"""


def _statements(script: str) -> list[str]:
    """asyncpg prepares each statement, so run them one by one: split on `;` outside `$$` bodies."""
    statements, current, in_body = [], [], False
    for line in script.splitlines():
        current.append(line)
        in_body ^= line.count("$$") % 2 == 1
        if not in_body and line.rstrip().endswith(";"):
            statements.append("\n".join(current).strip())
            current = []
    return [s for s in statements if s]


def upgrade() -> None:
    for statement in _statements(UPGRADE):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(DOWNGRADE):
        op.execute(statement)
