"""All SQL of the relay: the emitting service's `outbox_events` and `outbox_deliveries` tables.

The tables live in the emitter's schema, so every statement is bound to a schema name once
(`OutboxRepository(schema)`). Identifiers cannot be bind parameters; the name is checked against a
strict pattern and quoted instead. Rows come back as typed tuples.

Every read that feeds a write takes its rows `FOR UPDATE SKIP LOCKED`, so any number of relay
replicas share the work without two of them handling the same row at the same time.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple, TypeAlias
from uuid import UUID

if TYPE_CHECKING:
    import asyncpg
    from asyncpg.pool import PoolConnectionProxy

    # A pooled connection or a plain one: the statements run on either.
    Conn: TypeAlias = asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class NewEvent(NamedTuple):
    """An outbox row not yet dispatched (no delivery rows yet)."""

    seq: int
    event_type: str


class DueDelivery(NamedTuple):
    """A delivery row that is undelivered and due, with its event (`payload` is JSON text)."""

    event_seq: int
    subscriber: str
    attempts: int
    id: UUID
    event_type: str
    payload: str
    occurred_at: datetime


class Backlog(NamedTuple):
    """Events not yet delivered to every subscriber, and when the oldest of them occurred."""

    events: int
    oldest: datetime | None


class OutboxRepository:
    def __init__(self, schema: str) -> None:
        if not _IDENTIFIER.match(schema):
            raise ValueError(f"invalid schema name {schema!r}")
        quoted = f'"{schema}"'

        def q(sql: str) -> str:
            return sql.replace("{s}", quoted)

        self._pick_new = q(
            "SELECT seq, event_type FROM {s}.outbox_events WHERE dispatched_at IS NULL "
            "ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED"
        )
        self._insert_deliveries = q(
            "INSERT INTO {s}.outbox_deliveries (event_seq, subscriber) "
            "SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING"
        )
        self._mark_dispatched = q("UPDATE {s}.outbox_events SET dispatched_at = now() WHERE seq = ANY($1::bigint[])")
        self._due = q(
            "SELECT d.event_seq, d.subscriber, d.attempts, e.id, e.event_type, e.payload::text AS payload, "
            "e.occurred_at FROM {s}.outbox_deliveries d JOIN {s}.outbox_events e ON e.seq = d.event_seq "
            "WHERE d.delivered_at IS NULL AND d.next_attempt_at <= now() "
            "ORDER BY d.event_seq LIMIT $1 FOR UPDATE OF d SKIP LOCKED"
        )
        self._delivered = q(
            "UPDATE {s}.outbox_deliveries d SET delivered_at = now(), attempts = d.attempts + 1, last_error = NULL "
            "FROM unnest($1::bigint[], $2::text[]) AS x(seq, sub) WHERE d.event_seq = x.seq AND d.subscriber = x.sub"
        )
        self._retry = q(
            "UPDATE {s}.outbox_deliveries d SET attempts = d.attempts + 1, last_error = x.err, "
            "next_attempt_at = clock_timestamp() + make_interval(secs => x.delay) "
            "FROM unnest($1::bigint[], $2::text[], $3::float8[], $4::text[]) AS x(seq, sub, delay, err) "
            "WHERE d.event_seq = x.seq AND d.subscriber = x.sub"
        )
        self._backlog = q(
            "SELECT count(*) AS n, min(e.occurred_at) AS oldest FROM {s}.outbox_events e "
            "WHERE e.dispatched_at IS NULL OR e.seq IN "
            "(SELECT event_seq FROM {s}.outbox_deliveries WHERE delivered_at IS NULL)"
        )

    async def pick_new(self, conn: Conn, limit: int) -> list[NewEvent]:
        """Up to `limit` undispatched events in outbox order, locked until the transaction ends."""
        return [NewEvent(*row) for row in await conn.fetch(self._pick_new, limit)]

    async def add_deliveries(self, conn: Conn, seqs: list[int], subscribers: list[str]) -> None:
        """One delivery row per (seqs[i], subscribers[i]) pair; an existing pair is left as it is."""
        await conn.execute(self._insert_deliveries, seqs, subscribers)

    async def mark_dispatched(self, conn: Conn, seqs: list[int]) -> None:
        await conn.execute(self._mark_dispatched, seqs)

    async def pick_due(self, conn: Conn, limit: int) -> list[DueDelivery]:
        """Up to `limit` due, undelivered delivery rows in outbox order, locked until the transaction ends."""
        return [DueDelivery(*row) for row in await conn.fetch(self._due, limit)]

    async def mark_delivered(self, conn: Conn, seqs: list[int], subscribers: list[str]) -> None:
        await conn.execute(self._delivered, seqs, subscribers)

    async def reschedule(
        self, conn: Conn, seqs: list[int], subscribers: list[str], delays: list[float], errors: list[str]
    ) -> None:
        """The attempt counted and its error kept; tried again `delays[i]` seconds from now."""
        await conn.execute(self._retry, seqs, subscribers, delays, errors)

    async def backlog(self, conn: Conn) -> Backlog:
        row = await conn.fetchrow(self._backlog)
        if row is None:  # an aggregate without GROUP BY always returns one row
            return Backlog(0, None)
        return Backlog(row["n"], row["oldest"])
