"""Transactional outbox: a service writes its events in the same database transaction as the
state change they describe; a relay (see `outbox_relay`) delivers them to subscribers later.

Every emitting service adds `outbox_table(Base.metadata)` to its models and a migration for it.
Event envelope (what subscribers receive):
    {"id": uuid, "type": "transfer.completed", "occurred_at": RFC 3339, "source": service, "data": {...}}
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Identity, MetaData, String, Table, func, insert
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession

OUTBOX_TABLE = "outbox_events"


def outbox_table(metadata: MetaData) -> Table:
    """The outbox table in the metadata's schema (created once per metadata)."""
    key = f"{metadata.schema}.{OUTBOX_TABLE}" if metadata.schema else OUTBOX_TABLE
    if key in metadata.tables:
        return metadata.tables[key]
    return Table(
        OUTBOX_TABLE,
        metadata,
        # `seq` orders delivery; `id` is the event id subscribers dedupe on.
        Column("seq", BigInteger, Identity(always=True), primary_key=True),
        Column("id", UUID(as_uuid=True), nullable=False, unique=True),
        Column("event_type", String(64), nullable=False),
        Column("payload", JSONB, nullable=False),
        Column("occurred_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


def utcnow() -> datetime:
    return datetime.now(UTC)


async def emit_event(session: AsyncSession, table: Table, event_type: str, data: dict[str, Any],
                     *, event_id: uuid.UUID | None = None, occurred_at: datetime | None = None) -> uuid.UUID:
    """Adds an event to the caller's open transaction; it is only visible if that commits."""
    eid = event_id or uuid.uuid4()
    await session.execute(insert(table).values(id=eid, event_type=event_type, payload=data,
                                               occurred_at=occurred_at or utcnow()))
    return eid
