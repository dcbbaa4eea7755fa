"""Human references for every transaction, payment links, favourites.

- `transaction_references` is the one registry of references (`IP` + 8 Crockford base32
  characters): its primary key makes a reference unique across transfers, top-ups and
  withdrawals, whichever table holds the transaction (a pending funding operation has no journal
  entry yet; its entry later takes the operation's id, and so its reference). Journal entries
  stay append-only: their reference is read by a join, never written onto them.
- `funding_operations.txn_reference` copies the operation's reference so every statement that
  returns an operation row carries it.
- Existing transactions get references here, drawn from `gen_random_uuid()` (cryptographically
  random bytes; bytes 6 and 8 hold the UUID's version and variant bits and are not used).
- `payment_links`: a user's links to get paid (the signed token names the link's id), and the
  user's one `static` link behind the receive code; a single-use link is consumed by the transfer
  that pays it (`paid_transfer_id`), in the same transaction.
- `favourites`: saved recipients per user, unique per (owner, recipient).

Revision ID: 0006_references_links
Revises: 0005_phone_verified
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006_references_links"
down_revision: str | None = "0005_phone_verified"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NEW_REFERENCE = """
CREATE FUNCTION ledger.backfill_reference() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT 'IP' || string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', get_byte(b, i) % 32 + 1, 1), '' ORDER BY i)
    FROM (SELECT uuid_send(gen_random_uuid()) AS b) s, unnest(ARRAY[0, 1, 2, 3, 4, 5, 9, 10]) AS i
$$
"""

_BACKFILL = """
DO $$
BEGIN
    INSERT INTO ledger.transaction_references (transaction_id, reference)
    SELECT id, ledger.backfill_reference() FROM ledger.journal_entries
    UNION ALL
    SELECT f.id, ledger.backfill_reference() FROM ledger.funding_operations f
    WHERE NOT EXISTS (SELECT 1 FROM ledger.journal_entries e WHERE e.id = f.id);
    -- A duplicate (1 in ~10^12 per pair) is drawn again until none is left.
    LOOP
        UPDATE ledger.transaction_references t SET reference = ledger.backfill_reference()
        WHERE t.transaction_id IN (
            SELECT transaction_id FROM (
                SELECT transaction_id, row_number() OVER (PARTITION BY reference ORDER BY transaction_id) AS n
                FROM ledger.transaction_references
            ) d WHERE d.n > 1
        );
        EXIT WHEN NOT FOUND;
    END LOOP;
END $$
"""

UPGRADE = [
    """
    CREATE TABLE ledger.transaction_references (
        transaction_id uuid PRIMARY KEY,
        reference varchar(16) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )
    """,
    _NEW_REFERENCE,
    _BACKFILL,
    "ALTER TABLE ledger.transaction_references ADD CONSTRAINT uq_transaction_references_reference UNIQUE (reference)",
    "ALTER TABLE ledger.funding_operations ADD COLUMN txn_reference varchar(16)",
    "UPDATE ledger.funding_operations f SET txn_reference = t.reference "
    "FROM ledger.transaction_references t WHERE t.transaction_id = f.id",
    "ALTER TABLE ledger.funding_operations ALTER COLUMN txn_reference SET NOT NULL",
    "DROP FUNCTION ledger.backfill_reference()",
    """
    CREATE TABLE ledger.payment_links (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        kind varchar(8) NOT NULL DEFAULT 'link',
        handle text NOT NULL,
        amount numeric(20, 2),
        reference varchar(64),
        single_use boolean NOT NULL DEFAULT false,
        expires_at timestamptz,
        status varchar(16) NOT NULL DEFAULT 'active',
        paid_transfer_id uuid,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT ck_payment_links_amount_positive CHECK (amount IS NULL OR amount > 0),
        CONSTRAINT ck_payment_links_kind CHECK (kind IN ('link', 'static')),
        CONSTRAINT ck_payment_links_status CHECK (status IN ('active', 'used', 'cancelled')),
        CONSTRAINT ck_payment_links_used CHECK ((status = 'used') = (paid_transfer_id IS NOT NULL))
    )
    """,
    "CREATE INDEX ix_payment_links_user ON ledger.payment_links (user_id, created_at DESC, id DESC)",
    # A user's static receive code is the one `static` link of the user.
    "CREATE UNIQUE INDEX uq_payment_links_static ON ledger.payment_links (user_id) WHERE kind = 'static'",
    """
    CREATE TABLE ledger.favourites (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        recipient_user_id uuid NOT NULL,
        handle text,
        display_name text,
        nickname varchar(40),
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT uq_favourites_user_recipient UNIQUE (user_id, recipient_user_id)
    )
    """,
    # The link a transfer paid (a new, nullable column: no rewrite, no UPDATE of an entry).
    "ALTER TABLE ledger.journal_entries ADD COLUMN payment_link_id uuid",
    "CREATE INDEX ix_favourites_user ON ledger.favourites (user_id, created_at DESC, id DESC)",
    # Recent recipients: a user's outgoing transfers, newest first.
    "CREATE INDEX ix_journal_entries_sender_recent ON ledger.journal_entries "
    "((sender->>'user_id'), created_at DESC) WHERE type = 'transfer'",
]

DOWNGRADE = [
    "DROP INDEX ledger.ix_journal_entries_sender_recent",
    "DROP TABLE ledger.favourites",
    "ALTER TABLE ledger.journal_entries DROP COLUMN payment_link_id",
    "DROP TABLE ledger.payment_links",
    "ALTER TABLE ledger.funding_operations DROP COLUMN txn_reference",
    "DROP TABLE ledger.transaction_references",
]


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    for statement in DOWNGRADE:
        op.execute(statement)
