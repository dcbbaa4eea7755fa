"""The callback queue (`simulator.callbacks`): enqueued in the transaction of the state change,
claimed by the delivery worker with a lease, so a crash mid-delivery only delays a callback."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from instapay_common.db.rawsql import RawConnection, Sql


class QueuedCallback(NamedTuple):
    id: int
    event_id: str
    body: bytes
    attempts: int


class QueueHead(NamedTuple):
    due: int
    oldest_due_at: datetime | None


_ENQUEUE = Sql(
    "INSERT INTO simulator.callbacks (event_id, body, next_attempt_at) "
    "VALUES (:event_id, :body, now() + make_interval(secs => :delay_ms::int / 1000.0))"
)
_HEAD = Sql(
    "SELECT count(*), min(next_attempt_at) FROM simulator.callbacks "
    "WHERE delivered_at IS NULL AND next_attempt_at <= now()"
)
# The claimed rows are not due again for `lease` seconds: another worker (or this one, restarted)
# retries them only if this attempt never records its outcome.
_CLAIM = Sql(
    "UPDATE simulator.callbacks SET next_attempt_at = now() + make_interval(secs => :lease) "
    "WHERE id IN (SELECT id FROM simulator.callbacks WHERE delivered_at IS NULL AND next_attempt_at <= now() "
    "ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED) RETURNING id, event_id, body, attempts"
)
_DELIVERED = Sql(
    "UPDATE simulator.callbacks SET delivered_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = :id"
)
_RETRY_LATER = Sql(
    "UPDATE simulator.callbacks SET attempts = attempts + 1, last_error = :error, "
    "next_attempt_at = now() + make_interval(secs => :delay_ms::int / 1000.0) WHERE id = :id"
)
_NEXT_ATTEMPT_IN = Sql(
    "SELECT EXTRACT(EPOCH FROM min(next_attempt_at) - now())::float8 FROM simulator.callbacks "
    "WHERE delivered_at IS NULL"
)
_UNDELIVERED = Sql("SELECT count(*) FROM simulator.callbacks WHERE delivered_at IS NULL")


async def enqueue(conn: RawConnection, *, event_id: str, body: bytes, delay_ms: int) -> None:
    await conn.execute(_ENQUEUE, event_id=event_id, body=body, delay_ms=delay_ms)


async def head(conn: RawConnection) -> QueueHead:
    record = await conn.fetchrow(_HEAD)
    assert record is not None  # an aggregate always returns a row
    return QueueHead(int(record[0]), record[1])


async def claim(conn: RawConnection, *, limit: int, lease_seconds: float) -> list[QueuedCallback]:
    """Due callbacks, oldest first."""
    rows = [QueuedCallback(*r) for r in await conn.fetch(_CLAIM, limit=limit, lease=lease_seconds)]
    return sorted(rows, key=lambda c: c.id)


async def delivered(conn: RawConnection, *, id: int) -> None:
    await conn.execute(_DELIVERED, id=id)


async def retry_later(conn: RawConnection, *, id: int, delay_ms: int, error: str) -> None:
    await conn.execute(_RETRY_LATER, id=id, delay_ms=delay_ms, error=error[:500])


async def undelivered(conn: RawConnection) -> int:
    return int(await conn.fetchval(_UNDELIVERED))


async def next_attempt_in(conn: RawConnection) -> float | None:
    """Seconds until the next undelivered callback is due (<= 0: now); None if the queue is empty."""
    value = await conn.fetchval(_NEXT_ATTEMPT_IN)
    return None if value is None else float(value)
