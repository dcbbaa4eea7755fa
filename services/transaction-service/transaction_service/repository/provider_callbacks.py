"""Provider callbacks as received (`ledger.provider_callbacks`), stored before they are applied and
deduplicated by the provider's event id."""

import uuid
from datetime import date
from typing import Any, NamedTuple

import orjson

from instapay_common.db.rawsql import RawConnection, Sql

_STORE = Sql(
    "INSERT INTO ledger.provider_callbacks (provider, event_id, type, operation_id, payload) "
    "VALUES (:p, :e, :t, :op, CAST(:body AS jsonb)) ON CONFLICT (provider, event_id) DO NOTHING RETURNING event_id"
)
_APPLIED_AT = Sql("SELECT applied_at IS NOT NULL FROM ledger.provider_callbacks WHERE provider = :p AND event_id = :e")
_MARK_APPLIED = Sql(
    "UPDATE ledger.provider_callbacks SET applied_at = clock_timestamp() WHERE provider = :p AND event_id = :e"
)
_SAVE_RUN = Sql(
    "INSERT INTO ledger.reconciliation_runs (provider, day, matched, missing_in_ledger, missing_at_provider, "
    "amount_mismatch) VALUES (:p, :d, :m, CAST(:mil AS jsonb), CAST(:map AS jsonb), CAST(:mm AS jsonb)) "
    "ON CONFLICT (provider, day) DO UPDATE SET ran_at = clock_timestamp(), matched = EXCLUDED.matched, "
    "missing_in_ledger = EXCLUDED.missing_in_ledger, missing_at_provider = EXCLUDED.missing_at_provider, "
    "amount_mismatch = EXCLUDED.amount_mismatch"
)
_GET_RUN = Sql(
    "SELECT day, ran_at, matched, missing_in_ledger, missing_at_provider, amount_mismatch "
    "FROM ledger.reconciliation_runs WHERE provider = :p AND day = :d"
)


class ReconciliationRun(NamedTuple):
    day: date
    ran_at: Any
    matched: int
    missing_in_ledger: list[dict[str, str]]
    missing_at_provider: list[dict[str, str]]
    amount_mismatch: list[dict[str, str]]


async def store(
    conn: RawConnection, *, provider: str, event_id: str, event_type: str, operation_id: uuid.UUID, body: bytes
) -> bool:
    """True if this event id is new (stored now), False for a duplicate."""
    return (
        await conn.fetchval(
            _STORE, p=provider, e=event_id, t=event_type, op=operation_id, body=body.decode("utf-8", "replace")
        )
        is not None
    )


async def was_applied(conn: RawConnection, *, provider: str, event_id: str) -> bool:
    return bool(await conn.fetchval(_APPLIED_AT, p=provider, e=event_id))


async def mark_applied(conn: RawConnection, *, provider: str, event_id: str) -> None:
    await conn.execute(_MARK_APPLIED, p=provider, e=event_id)


async def save_run(conn: RawConnection, provider: str, run: ReconciliationRun) -> None:
    await conn.execute(
        _SAVE_RUN,
        p=provider,
        d=run.day,
        m=run.matched,
        mil=orjson.dumps(run.missing_in_ledger).decode(),
        map=orjson.dumps(run.missing_at_provider).decode(),
        mm=orjson.dumps(run.amount_mismatch).decode(),
    )


async def get_run(conn: RawConnection, provider: str, day: date) -> ReconciliationRun | None:
    row = await conn.fetchrow(_GET_RUN, p=provider, d=day)
    if row is None:
        return None
    return ReconciliationRun(
        row["day"],
        row["ran_at"],
        row["matched"],
        row["missing_in_ledger"],  # JSONB columns come back decoded (rawsql's codecs)
        row["missing_at_provider"],
        row["amount_mismatch"],
    )
