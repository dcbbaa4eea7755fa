"""Scheduled transfers (`ledger.scheduled_transfers`) and the record of their occurrences
(`ledger.scheduled_transfer_runs`)."""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

import orjson

from instapay_common.db.rawsql import RawConnection, Sql
from transaction_service.parties import PartyRef


class Schedule(NamedTuple):
    id: uuid.UUID
    user_id: uuid.UUID
    sender: PartyRef
    recipient: PartyRef
    amount: Decimal
    currency: str
    note: str | None
    repeat: str
    start_at: datetime
    end_after: int | None
    status: str
    tick: int
    next_run_at: datetime | None
    runs: int
    last_run_at: datetime | None
    last_outcome: str | None
    last_transfer_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class Due(NamedTuple):
    id: uuid.UUID
    occurrence: int  # 1-based: the (runs + 1)-th occurrence is the one due


_COLUMNS = ", ".join(Schedule._fields)
_INSERT = Sql(
    "INSERT INTO ledger.scheduled_transfers (id, user_id, sender, recipient, amount, note, repeat, start_at, "  # noqa: S608
    "end_after, next_run_at) "
    "VALUES (:id, :u, CAST(:s AS jsonb), CAST(:r AS jsonb), :a, :n, :rep, :start, :end, :start) "
    f"RETURNING {_COLUMNS}"
)
_PAGE = Sql(
    f"SELECT {_COLUMNS} FROM ledger.scheduled_transfers WHERE user_id = :u "  # noqa: S608
    "AND (CAST(:cur_t AS timestamptz) IS NULL OR (created_at, id) < (:cur_t, :cur_id)) "
    "ORDER BY created_at DESC, id DESC LIMIT :lim"
)
_LOCK = Sql(f"SELECT {_COLUMNS} FROM ledger.scheduled_transfers WHERE id = :id FOR UPDATE")  # noqa: S608
_LOCK_OWNED = Sql(
    f"SELECT {_COLUMNS} FROM ledger.scheduled_transfers WHERE id = :id AND user_id = :u FOR UPDATE"  # noqa: S608
)
_UPDATE = Sql(
    "UPDATE ledger.scheduled_transfers SET amount = :a, status = :st, tick = :tick, next_run_at = :next, "  # noqa: S608
    "runs = :runs, last_run_at = :lra, last_outcome = :lo, last_transfer_id = :lt, updated_at = clock_timestamp() "
    f"WHERE id = :id RETURNING {_COLUMNS}"
)
_LOCK_OWNER = Sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
_COUNT_LIVE = Sql(
    "SELECT count(*) FROM ledger.scheduled_transfers WHERE user_id = :u AND status IN ('active', 'paused')"
)
# Oldest due first; rows another scan or run holds are skipped (they are being handled).
_DUE = Sql(
    "SELECT id, runs + 1 AS occurrence FROM ledger.scheduled_transfers "
    "WHERE status = 'active' AND next_run_at <= :now ORDER BY next_run_at LIMIT :lim FOR UPDATE SKIP LOCKED"
)
_RECORD_RUN = Sql(
    "INSERT INTO ledger.scheduled_transfer_runs (schedule_id, occurrence, due_at, outcome, transfer_id) "
    "VALUES (:id, :occ, :due, :outcome, :t) ON CONFLICT DO NOTHING RETURNING occurrence"
)


def _party(value: object) -> PartyRef:
    data = orjson.loads(value) if isinstance(value, str | bytes) else value
    assert isinstance(data, dict)
    return {"user_id": str(data["user_id"]), "handle": data.get("handle"), "display_name": data.get("display_name")}


def _row(record: object) -> Schedule:
    values = list(record)  # type: ignore[call-overload]
    values[2], values[3] = _party(values[2]), _party(values[3])
    return Schedule(*values)


def _json(party: PartyRef) -> str:
    return orjson.dumps(party).decode()


async def lock_owner(conn: RawConnection, user_id: uuid.UUID) -> int:
    """Serialises one user's creations until commit; returns their live (active or paused) count."""
    await conn.execute(_LOCK_OWNER, key=f"schedules:{user_id}")
    return int(await conn.fetchval(_COUNT_LIVE, u=user_id))


async def insert(
    conn: RawConnection,
    *,
    user_id: uuid.UUID,
    sender: PartyRef,
    recipient: PartyRef,
    amount: Decimal,
    note: str | None,
    repeat: str,
    start_at: datetime,
    end_after: int | None,
) -> Schedule:
    row = await conn.fetchrow(
        _INSERT,
        id=uuid.uuid4(),
        u=user_id,
        s=_json(sender),
        r=_json(recipient),
        a=amount,
        n=note,
        rep=repeat,
        start=start_at,
        end=end_after,
    )
    return _row(row)


async def page(
    conn: RawConnection, user_id: uuid.UUID, *, before: tuple[datetime, uuid.UUID] | None, limit: int
) -> list[Schedule]:
    cur_t, cur_id = before if before else (None, None)
    return [_row(r) for r in await conn.fetch(_PAGE, u=user_id, cur_t=cur_t, cur_id=cur_id, lim=limit)]


async def lock(conn: RawConnection, schedule_id: uuid.UUID, *, user_id: uuid.UUID | None = None) -> Schedule | None:
    """The schedule, row-locked until commit (only if it is `user_id`'s, when given)."""
    if user_id is None:
        row = await conn.fetchrow(_LOCK, id=schedule_id)
    else:
        row = await conn.fetchrow(_LOCK_OWNED, id=schedule_id, u=user_id)
    return None if row is None else _row(row)


async def update(conn: RawConnection, s: Schedule) -> Schedule:
    """Writes the mutable fields of `s` (a locked row, changed with `_replace`)."""
    row = await conn.fetchrow(
        _UPDATE,
        id=s.id,
        a=s.amount,
        st=s.status,
        tick=s.tick,
        next=s.next_run_at,
        runs=s.runs,
        lra=s.last_run_at,
        lo=s.last_outcome,
        lt=s.last_transfer_id,
    )
    return _row(row)


async def due(conn: RawConnection, *, now: datetime, limit: int) -> list[Due]:
    return [Due(r["id"], r["occurrence"]) for r in await conn.fetch(_DUE, now=now, lim=limit)]


async def record_run(
    conn: RawConnection,
    *,
    schedule_id: uuid.UUID,
    occurrence: int,
    due_at: datetime,
    outcome: str,
    transfer_id: uuid.UUID | None,
) -> bool:
    """False if the occurrence was already recorded (then the caller must roll back)."""
    row = await conn.fetchrow(_RECORD_RUN, id=schedule_id, occ=occurrence, due=due_at, outcome=outcome, t=transfer_id)
    return row is not None
