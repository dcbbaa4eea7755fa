"""Revision 0001 of every service, the event tables in its own schema: the transactional outbox
(`instapay_common.events.outbox`) of the services that emit events, the inbox of processed event ids
(`instapay_common.events.inbox`) of those that consume them.

Frozen: this is what revision 0001 created, and databases migrated by it exist. Never edit it;
a later change to these tables is a new revision in each service that has them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


def create_outbox_tables(schema: str) -> None:
    op.create_table(
        "outbox_events",
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("payload", postgresql.JSONB(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("seq", name="pk_outbox_events"),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("id", name="uq_outbox_events_id"),
        schema=schema,
    )
    op.create_index(
        "ix_outbox_events_undispatched",
        "outbox_events",
        ["seq"],
        schema=schema,
        postgresql_where=sa.text("dispatched_at IS NULL"),
    )
    op.create_table(
        "outbox_deliveries",
        sa.Column("event_seq", sa.BigInteger(), nullable=False),
        sa.Column("subscriber", sa.String(64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("event_seq", "subscriber", name="pk_outbox_deliveries"),
        sa.ForeignKeyConstraint(
            ["event_seq"],
            [f"{schema}.outbox_events.seq"],
            name="fk_outbox_deliveries_event_seq_outbox_events",
            ondelete="CASCADE",
        ),
        schema=schema,
    )
    op.create_index(
        "ix_outbox_deliveries_pending",
        "outbox_deliveries",
        ["next_attempt_at", "event_seq"],
        schema=schema,
        postgresql_where=sa.text("delivered_at IS NULL"),
    )


def drop_outbox_tables(schema: str) -> None:
    op.drop_table("outbox_deliveries", schema=schema)
    op.drop_table("outbox_events", schema=schema)


def create_inbox_tables(schema: str) -> None:
    op.create_table(
        "processed_events",
        sa.Column("event_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("event_id", name="pk_processed_events"),
        schema=schema,
    )


def drop_inbox_tables(schema: str) -> None:
    op.drop_table("processed_events", schema=schema)
