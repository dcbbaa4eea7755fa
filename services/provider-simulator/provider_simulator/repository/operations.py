"""Charges and payouts (`simulator.operations`): one row per idempotency key and kind."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

import orjson

from instapay_common.db.rawsql import RawConnection, Sql


class OperationRow(NamedTuple):
    id: str
    kind: str
    idempotency_key: str
    request_hash: str | None
    amount: Decimal | None
    currency: str | None
    method: str | None
    reference: str | None
    metadata: dict[str, str]
    status: str
    failure_reason: str | None
    due_at: datetime | None
    created_at: datetime
    settled_at: datetime | None


_COLUMNS = ", ".join(OperationRow._fields)
_INSERT = Sql(
    "INSERT INTO simulator.operations (id, kind, idempotency_key, request_hash, amount, currency, method, "  # noqa: S608
    "reference, metadata, status, failure_reason, due_at, settled_at) VALUES (:id, :kind, :key, :hash, :amount, "
    ":currency, :method, :reference, CAST(:metadata AS jsonb), :status, :reason, "
    "CASE WHEN :due_ms::int IS NULL THEN NULL ELSE now() + make_interval(secs => :due_ms::int / 1000.0) END, "
    "CASE WHEN :status IN ('succeeded', 'paid') THEN now() END) "
    f"ON CONFLICT (kind, idempotency_key) DO NOTHING RETURNING {_COLUMNS}"
)
_BY_KEY = Sql(f"SELECT {_COLUMNS} FROM simulator.operations WHERE kind = :kind AND idempotency_key = :key")  # noqa: S608
_BY_KEY_FOR_UPDATE = Sql(
    f"SELECT {_COLUMNS} FROM simulator.operations WHERE kind = :kind AND idempotency_key = :key FOR UPDATE"  # noqa: S608
)
_FILL_TOMBSTONE = Sql(
    "UPDATE simulator.operations SET request_hash = :hash, amount = :amount, currency = :currency, "  # noqa: S608
    "method = :method, reference = :reference, metadata = CAST(:metadata AS jsonb) "
    f"WHERE id = :id AND request_hash IS NULL RETURNING {_COLUMNS}"
)
_SET_STATUS = Sql(
    "UPDATE simulator.operations SET status = :status, failure_reason = :reason, due_at = NULL, "  # noqa: S608
    "settled_at = CASE WHEN :status IN ('succeeded', 'paid') THEN now() END "
    f"WHERE id = :id RETURNING {_COLUMNS}"
)
_DUE = Sql(
    f"SELECT {_COLUMNS} FROM simulator.operations WHERE status = 'pending' AND due_at <= now() "  # noqa: S608
    "ORDER BY due_at LIMIT :limit FOR UPDATE SKIP LOCKED"
)
_SETTLED_BETWEEN = Sql(
    f"SELECT {_COLUMNS} FROM simulator.operations WHERE settled_at >= :start AND settled_at < :end "  # noqa: S608
    "AND status IN ('succeeded', 'paid') ORDER BY settled_at, id"
)
_NEXT_DUE_IN = Sql(
    "SELECT EXTRACT(EPOCH FROM min(due_at) - now())::float8 FROM simulator.operations WHERE status = 'pending'"
)
_ALL_OF_KIND = Sql(f"SELECT {_COLUMNS} FROM simulator.operations WHERE kind = :kind ORDER BY created_at, id")  # noqa: S608


def _row(record: Any) -> OperationRow:
    return OperationRow(*record)


async def insert(
    conn: RawConnection,
    *,
    id: str,
    kind: str,
    key: str,
    request_hash: str | None,
    amount: Decimal | None,
    currency: str | None,
    method: str | None,
    reference: str | None,
    metadata: dict[str, str],
    status: str,
    failure_reason: str | None = None,
    due_in_ms: int | None = None,
) -> OperationRow | None:
    """The new row, or None if the key is taken (then read the existing one)."""
    record = await conn.fetchrow(
        _INSERT,
        id=id,
        kind=kind,
        key=key,
        hash=request_hash,
        amount=amount,
        currency=currency,
        method=method,
        reference=reference,
        metadata=orjson.dumps(metadata).decode(),
        status=status,
        reason=failure_reason,
        due_ms=due_in_ms,
    )
    return None if record is None else _row(record)


async def by_key(conn: RawConnection, *, kind: str, key: str, for_update: bool = False) -> OperationRow | None:
    record = await conn.fetchrow(_BY_KEY_FOR_UPDATE if for_update else _BY_KEY, kind=kind, key=key)
    return None if record is None else _row(record)


async def fill_tombstone(
    conn: RawConnection,
    *,
    id: str,
    request_hash: str,
    amount: Decimal,
    currency: str,
    method: str,
    reference: str,
    metadata: dict[str, str],
) -> OperationRow | None:
    record = await conn.fetchrow(
        _FILL_TOMBSTONE,
        id=id,
        hash=request_hash,
        amount=amount,
        currency=currency,
        method=method,
        reference=reference,
        metadata=orjson.dumps(metadata).decode(),
    )
    return None if record is None else _row(record)


async def set_status(conn: RawConnection, *, id: str, status: str, failure_reason: str | None) -> OperationRow:
    record = await conn.fetchrow(_SET_STATUS, id=id, status=status, reason=failure_reason)
    assert record is not None, id  # called only with an id read under FOR UPDATE in this transaction
    return _row(record)


async def lock_due(conn: RawConnection, *, limit: int) -> list[OperationRow]:
    """Pending operations whose confirmation time has come, locked (others skip them)."""
    return [_row(r) for r in await conn.fetch(_DUE, limit=limit)]


async def settled_between(conn: RawConnection, *, start: datetime, end: datetime) -> list[OperationRow]:
    return [_row(r) for r in await conn.fetch(_SETTLED_BETWEEN, start=start, end=end)]


async def all_of_kind(conn: RawConnection, *, kind: str) -> list[OperationRow]:
    return [_row(r) for r in await conn.fetch(_ALL_OF_KIND, kind=kind)]


async def next_due_in(conn: RawConnection) -> float | None:
    """Seconds until the next pending operation is due (<= 0: now); None if none is pending."""
    value = await conn.fetchval(_NEXT_DUE_IN)
    return None if value is None else float(value)
