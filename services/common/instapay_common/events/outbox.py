"""Transactional outbox: a service writes its events in the same database transaction as the
state change they describe; a relay (see `outbox_relay`) delivers them to subscribers later.

Every emitting service adds `outbox_table(Base.metadata)` to its models and a migration for it
(the 0001 migrations of auth, user and transaction create `outbox_events` and
`outbox_deliveries`).
Event envelope (what subscribers receive):
    {"id": uuid, "type": "transfer.completed", "occurred_at": RFC 3339, "source": service, "data": {...}}

Delivery tracking: the relay "dispatches" each event once (sets `dispatched_at` and inserts one
`outbox_deliveries` row per subscriber of its type, in one transaction), then delivers the
pending delivery rows, marking each `delivered_at` or scheduling a retry (`attempts`,
`next_attempt_at`). Per-row state (rather than a per-subscriber seq cursor) matters because
identity values are assigned before commit: a cursor could skip a slower transaction's event.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

import orjson
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.db.rawsql import RawConnection, Sql
from instapay_common.events.wakeup import wakeup_channel

OUTBOX_TABLE = "outbox_events"
DELIVERIES_TABLE = "outbox_deliveries"


def _key(metadata: MetaData, name: str) -> str:
    return f"{metadata.schema}.{name}" if metadata.schema else name


def outbox_table(metadata: MetaData) -> Table:
    """The outbox table in the metadata's schema (created once per metadata); also registers
    its delivery-tracking table (`outbox_deliveries_table`)."""
    key = _key(metadata, OUTBOX_TABLE)
    if key in metadata.tables:
        return metadata.tables[key]
    table = Table(
        OUTBOX_TABLE,
        metadata,
        # `seq` orders delivery; `id` is the event id subscribers dedupe on.
        Column("seq", BigInteger, Identity(always=True), primary_key=True),
        Column("id", UUID(as_uuid=True), nullable=False, unique=True),
        Column("event_type", String(64), nullable=False),
        Column("payload", JSONB, nullable=False),
        Column("occurred_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        # Set by the relay once the per-subscriber delivery rows exist.
        Column("dispatched_at", DateTime(timezone=True), nullable=True),
        Index("ix_outbox_events_undispatched", "seq", postgresql_where=text("dispatched_at IS NULL")),
    )
    outbox_deliveries_table(metadata)
    return table


def outbox_deliveries_table(metadata: MetaData) -> Table:
    """One row per (event, subscriber): the relay's delivery state."""
    key = _key(metadata, DELIVERIES_TABLE)
    if key in metadata.tables:
        return metadata.tables[key]
    outbox_ref = f"{_key(metadata, OUTBOX_TABLE)}.seq"
    return Table(
        DELIVERIES_TABLE,
        metadata,
        Column("event_seq", BigInteger, ForeignKey(outbox_ref, ondelete="CASCADE"), primary_key=True),
        Column("subscriber", String(64), primary_key=True),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Column("next_attempt_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("delivered_at", DateTime(timezone=True), nullable=True),
        Column("last_error", Text, nullable=True),
        Index(
            "ix_outbox_deliveries_pending",
            "next_attempt_at",
            "event_seq",
            postgresql_where=text("delivered_at IS NULL"),
        ),
    )


def utcnow() -> datetime:
    return datetime.now(UTC)


async def emit_event(
    session: AsyncSession,
    table: Table,
    event_type: str,
    data: dict[str, Any],
    *,
    event_id: uuid.UUID | None = None,
    occurred_at: datetime | None = None,
) -> uuid.UUID:
    """Adds an event to the caller's open transaction; it is only visible if that commits.

    The same statement NOTIFYs the relays (PostgreSQL delivers it on commit, once per transaction),
    so they sleep between events instead of polling the outbox several times a second."""
    eid = event_id or uuid.uuid4()
    inserted = (
        insert(table)
        .values(id=eid, event_type=event_type, payload=data, occurred_at=occurred_at or utcnow())
        .returning(table.c.seq)
        .cte("emitted")
    )
    await session.execute(select(func.pg_notify(wakeup_channel(table.schema), "")).select_from(inserted))
    return eid


_RAW_EMIT: dict[str, Sql] = {}


def _raw_emit_sql(table: Table) -> Sql:
    key = _key(table.metadata, table.name)
    sql = _RAW_EMIT.get(key)
    if sql is None:
        sql = _RAW_EMIT[key] = Sql(
            f"WITH emitted AS (INSERT INTO {key} (id, event_type, payload, occurred_at) "  # noqa: S608 - our table name
            "VALUES (:id, :event_type, CAST(:payload AS jsonb), :occurred_at) RETURNING seq) "
            "SELECT pg_notify(:channel, '') FROM emitted"
        )
    return sql


async def emit_event_raw(
    conn: RawConnection,
    table: Table,
    event_type: str,
    data: dict[str, Any],
    *,
    event_id: uuid.UUID | None = None,
    occurred_at: datetime | None = None,
) -> uuid.UUID:
    """`emit_event` for a transaction run on the raw asyncpg connection (`instapay_common.db.rawsql`):
    the same row and the same NOTIFY, in one statement of the caller's transaction."""
    eid = event_id or uuid.uuid4()
    await conn.execute(
        _raw_emit_sql(table),
        id=eid,
        event_type=event_type,
        payload=orjson.dumps(data).decode(),
        occurred_at=occurred_at or utcnow(),
        channel=wakeup_channel(table.schema),
    )
    return eid


class PendingEvent(NamedTuple):
    """An event emitted but not yet written: a caller that writes it with a statement of its own
    (`with_events_sql`) saves the round trip of `emit_event_raw`."""

    id: uuid.UUID
    event_type: str
    payload: str  # the data as JSON text, serialised when emitted
    occurred_at: datetime


def pending_event(event_type: str, data: dict[str, Any]) -> PendingEvent:
    return PendingEvent(uuid.uuid4(), event_type, orjson.dumps(data).decode(), utcnow())


def with_events_sql(table: Table, statement: str) -> str:
    """SQL text of one statement: `statement` (INSERT/UPDATE/DELETE without RETURNING), then the
    events of `events_params` written in their order with the relays' NOTIFY, as `emit_event_raw`
    writes each; `statement` and the events commit or roll back together with the transaction."""
    key = _key(table.metadata, table.name)
    return (
        f"WITH done AS ({statement}), emitted AS ("  # noqa: S608 - our table name
        f"INSERT INTO {key} (id, event_type, payload, occurred_at) "
        "SELECT e.id, e.event_type, CAST(e.payload AS jsonb), e.occurred_at FROM unnest("
        "CAST(:event_ids AS uuid[]), CAST(:event_types AS text[]), CAST(:event_payloads AS text[]), "
        "CAST(:event_times AS timestamptz[])) WITH ORDINALITY AS e(id, event_type, payload, occurred_at, ord) "
        "ORDER BY e.ord RETURNING seq) "
        "SELECT pg_notify(:channel, '') FROM emitted"
    )


def events_params(table: Table, events: Sequence[PendingEvent]) -> dict[str, Any]:
    """The named values of `with_events_sql`'s events."""
    return {
        "event_ids": [e.id for e in events],
        "event_types": [e.event_type for e in events],
        "event_payloads": [e.payload for e in events],
        "event_times": [e.occurred_at for e in events],
        "channel": wakeup_channel(table.schema),
    }
