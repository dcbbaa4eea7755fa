"""Subscriber-side dedupe: an event id is applied at most once per consuming service.

`claim_event` inserts the id in the caller's transaction; if the id was already there it
returns False and the caller skips the event. Commit or roll back together with the effect.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Column, DateTime, MetaData, String, Table, func
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.db.rawsql import Sql

INBOX_TABLE = "processed_events"


def inbox_table(metadata: MetaData) -> Table:
    key = f"{metadata.schema}.{INBOX_TABLE}" if metadata.schema else INBOX_TABLE
    if key in metadata.tables:
        return metadata.tables[key]
    return Table(
        INBOX_TABLE,
        metadata,
        Column("event_id", UUID(as_uuid=True), primary_key=True),
        Column("event_type", String(64), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


async def claim_event(session: AsyncSession, table: Table, event_id: uuid.UUID, event_type: str) -> bool:
    """True if this transaction is the first to apply the event."""
    stmt = (
        insert(table)
        .values(event_id=event_id, event_type=event_type)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(table.c.event_id)
    )
    return (await session.execute(stmt)).first() is not None


def claim_many_sql(schema: str) -> Sql:
    """For `event_batch`'s apply-many path on a raw connection: claims every id of a batch in one
    statement (`ids` uuid[], `types` text[]) and returns the rows of the ids claimed now; ids
    already in the inbox (and repeats inside the batch) come back as nothing."""
    return Sql(
        f"INSERT INTO {schema}.{INBOX_TABLE} (event_id, event_type) "  # noqa: S608 - schema is ours
        "SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:types AS text[])) "
        "ON CONFLICT (event_id) DO NOTHING RETURNING event_id"
    )
