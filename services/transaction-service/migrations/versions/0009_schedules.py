"""Scheduled and recurring transfers, and the job queue that runs them.

- `scheduled_transfers`: a user's standing order. `tick` is the index of `next_run_at` in the
  schedule's calendar (start_at + tick weeks, or months with the day clamped), `runs` how many
  occurrences ran (a completed or a failed transfer); `end_after` bounds `runs`.
- `scheduled_transfer_runs`: one row per occurrence that ran, written in the transaction of its
  transfer (primary key (schedule_id, occurrence): an occurrence cannot run twice, whatever the
  queue does); `transfer_id` links the transfer's history row back to its schedule.
- procrastinate's own tables, types and functions (the job queue, docs/ARCHITECTURE.md,
  "Scheduled transfers"), created in this schema by this migration: the runtime role may not run
  DDL, and being in `ledger` they get the runtime role's grants like every other table here
  (instapay_common.db.roles). The SQL is the pinned procrastinate's own `schema.sql`; a later
  procrastinate with schema changes comes with a migration applying its migration scripts.

Revision ID: 0009_schedules
Revises: 0007_freeze_reason
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op
from procrastinate.schema import SchemaManager
from sqlalchemy.util import await_only

revision: str = "0009_schedules"
down_revision: str | None = "0008_refunds_disputes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UPGRADE = [
    """
    CREATE TABLE ledger.scheduled_transfers (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        sender jsonb NOT NULL,
        recipient jsonb NOT NULL,
        amount numeric(20, 2) NOT NULL,
        currency varchar(3) NOT NULL DEFAULT 'EGP',
        note text,
        repeat varchar(8) NOT NULL,
        start_at timestamptz NOT NULL,
        end_after integer,
        status varchar(16) NOT NULL DEFAULT 'active',
        tick integer NOT NULL DEFAULT 0,
        next_run_at timestamptz,
        runs integer NOT NULL DEFAULT 0,
        last_run_at timestamptz,
        last_outcome varchar(64),
        last_transfer_id uuid,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT ck_scheduled_transfers_amount_positive CHECK (amount > 0),
        CONSTRAINT ck_scheduled_transfers_repeat CHECK (repeat IN ('none', 'weekly', 'monthly')),
        CONSTRAINT ck_scheduled_transfers_status CHECK (status IN ('active', 'paused', 'cancelled', 'completed')),
        CONSTRAINT ck_scheduled_transfers_end_after CHECK (end_after IS NULL OR end_after >= 1),
        CONSTRAINT ck_scheduled_transfers_runs CHECK (runs >= 0 AND (end_after IS NULL OR runs <= end_after)),
        -- Only a live schedule has a next run.
        CONSTRAINT ck_scheduled_transfers_next CHECK ((next_run_at IS NULL) = (status IN ('cancelled', 'completed')))
    )
    """,
    "CREATE INDEX ix_scheduled_transfers_user ON ledger.scheduled_transfers (user_id, created_at DESC, id DESC)",
    # The due scan: active schedules by time, a range scan from the oldest due.
    "CREATE INDEX ix_scheduled_transfers_due ON ledger.scheduled_transfers (next_run_at) WHERE status = 'active'",
    """
    CREATE TABLE ledger.scheduled_transfer_runs (
        schedule_id uuid NOT NULL REFERENCES ledger.scheduled_transfers (id),
        occurrence integer NOT NULL,
        due_at timestamptz NOT NULL,
        outcome varchar(64) NOT NULL,
        transfer_id uuid,
        ran_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (schedule_id, occurrence),
        CONSTRAINT ck_scheduled_transfer_runs_outcome CHECK ((outcome = 'completed') = (transfer_id IS NOT NULL))
    )
    """,
    "CREATE UNIQUE INDEX uq_scheduled_transfer_runs_transfer ON ledger.scheduled_transfer_runs (transfer_id) "
    "WHERE transfer_id IS NOT NULL",
]

DOWNGRADE = [
    "DROP TABLE ledger.scheduled_transfer_runs",
    "DROP TABLE ledger.scheduled_transfers",
]

# Every object procrastinate's schema.sql creates (names are unqualified there: it is run with
# `ledger` first on the search path, and the worker's connections use the same search path).
_PROCRASTINATE_DROP = """
DROP TABLE IF EXISTS ledger.procrastinate_events, ledger.procrastinate_periodic_defers,
    ledger.procrastinate_jobs, ledger.procrastinate_workers CASCADE;
DROP TYPE IF EXISTS ledger.procrastinate_job_to_defer_v1, ledger.procrastinate_job_event_type,
    ledger.procrastinate_job_status CASCADE;
DO $$
DECLARE f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'ledger' AND p.proname LIKE 'procrastinate\\_%' LOOP
        EXECUTE 'DROP FUNCTION ' || f.sig || ' CASCADE';
    END LOOP;
END $$;
"""


def _run_script(sql: str) -> None:
    """A multi-statement script (functions with `$$` bodies: not splittable) through the driver's
    simple-query path; SQLAlchemy's execute prepares one statement at a time."""
    driver = op.get_bind().connection.dbapi_connection.driver_connection  # type: ignore[union-attr]
    await_only(driver.execute(sql))


def upgrade() -> None:
    for statement in UPGRADE:
        op.execute(statement)
    _run_script("SET LOCAL search_path TO ledger;\n" + SchemaManager.get_schema())
    op.execute("SET LOCAL search_path TO DEFAULT")


def downgrade() -> None:
    _run_script(_PROCRASTINATE_DROP)
    for statement in DOWNGRADE:
        op.execute(statement)
