"""Funding operations (`ledger.funding_operations`): top-ups and withdrawals as the provider sees
them, from `pending` to `completed` (with a journal entry of the same id) or `failed`.

Status changes run under the wallet's row lock and only from `pending` (`finish` returns None
when the operation was already finished), so a duplicated or reordered callback changes nothing.
"""

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from instapay_common.db.rawsql import RawConnection, Sql
from transaction_service import references


class FundingOperation(NamedTuple):
    id: uuid.UUID
    seq: int
    user_id: uuid.UUID
    account_id: uuid.UUID
    kind: str  # topup | withdrawal
    method: str  # card | bank
    reference: str
    amount: Decimal
    currency: str
    status: str  # pending | completed | failed
    provider: str
    provider_id: str | None
    hold_id: uuid.UUID | None
    failure_reason: str | None
    handle: str | None
    created_at: datetime
    completed_at: datetime | None
    txn_reference: str  # the transaction's human reference (`reference` is the card or bank account)


class NewOperation(NamedTuple):
    id: uuid.UUID
    user_id: uuid.UUID
    account_id: uuid.UUID
    kind: str
    method: str
    reference: str
    amount: Decimal
    provider: str
    handle: str | None
    hold_id: uuid.UUID | None = None
    provider_id: str | None = None


_COLUMNS = ", ".join(FundingOperation._fields)
# The operation registers its human reference in the same statement; an existing operation (its
# id is registered) or a reference already taken inserts nothing (`insert` tells them apart).
_INSERT = Sql(
    "WITH tref AS (INSERT INTO ledger.transaction_references (transaction_id, reference) "  # noqa: S608
    "VALUES (:id, :tref) ON CONFLICT DO NOTHING RETURNING reference) "
    "INSERT INTO ledger.funding_operations (id, user_id, account_id, kind, method, reference, amount, "
    "provider, handle, hold_id, provider_id, txn_reference) "
    "SELECT :id, :u, :a, :k, :m, :ref, :amt, :p, :h, :hold, :pid, tref.reference FROM tref "
    f"ON CONFLICT (id) DO NOTHING RETURNING {_COLUMNS}"
)
_EXISTS = Sql("SELECT EXISTS (SELECT 1 FROM ledger.transaction_references WHERE transaction_id = :id)")
_GET = Sql(f"SELECT {_COLUMNS} FROM ledger.funding_operations WHERE id = :id")  # noqa: S608
_OF_USER = Sql(
    f"SELECT {_COLUMNS}, updated_at FROM ledger.funding_operations WHERE id = :id AND user_id = :u"  # noqa: S608
)
_LOCK = Sql(f"SELECT {_COLUMNS} FROM ledger.funding_operations WHERE id = :id FOR UPDATE")  # noqa: S608
_FINISH = Sql(
    "UPDATE ledger.funding_operations SET status = :s, failure_reason = :why, "  # noqa: S608
    "provider_id = COALESCE(:pid, provider_id), completed_at = CASE WHEN :done "
    "THEN clock_timestamp() END, updated_at = clock_timestamp() "
    f"WHERE id = :id AND status = 'pending' RETURNING {_COLUMNS}"
)
_SET_PROVIDER_ID = Sql(
    "UPDATE ledger.funding_operations SET provider_id = :pid, updated_at = clock_timestamp() "
    "WHERE id = :id AND provider_id IS NULL"
)
_TOPPED_UP = Sql(
    "SELECT COALESCE(sum(amount) FILTER (WHERE created_at >= :day), 0), COALESCE(sum(amount), 0) "
    "FROM ledger.funding_operations "
    "WHERE account_id = :a AND kind = 'topup' AND status <> 'failed' AND created_at >= :month"
)
_BY_HOLD = Sql(f"SELECT {_COLUMNS} FROM ledger.funding_operations WHERE hold_id = :h")  # noqa: S608
_PENDING_BEFORE = Sql(
    "SELECT id FROM ledger.funding_operations WHERE status = 'pending' AND kind = :k AND created_at < :before "
    "ORDER BY created_at LIMIT :lim"
)
_COMPLETED_BETWEEN = Sql(
    f"SELECT {_COLUMNS} FROM ledger.funding_operations "  # noqa: S608
    "WHERE status = 'completed' AND provider = :p AND completed_at >= :start AND completed_at < :end"
)
_BY_IDS = Sql(f"SELECT {_COLUMNS} FROM ledger.funding_operations WHERE id = ANY(:ids)")  # noqa: S608
_OPEN_HISTORY = (
    f"SELECT {_COLUMNS} FROM ledger.funding_operations "  # noqa: S608
    "WHERE account_id = :a AND status <> 'completed'"
)
_open_history_sql: dict[tuple[str, ...], Sql] = {}
_OPEN_CONDITIONS = {
    "before": "(created_at, seq) < (:cur_t, :cur_id)",
    "in": "kind = 'topup'",
    "out": "kind = 'withdrawal'",
    "entry_type": "kind = :t",
    "start": "created_at >= :start",
    "end": "created_at < :end",
}


async def insert(conn: RawConnection, op: NewOperation) -> FundingOperation | None:
    """The new operation, or None if one with this id exists."""
    for _ in range(references.ATTEMPTS):
        row = await conn.fetchrow(
            _INSERT,
            id=op.id,
            tref=references.new_reference(),
            u=op.user_id,
            a=op.account_id,
            k=op.kind,
            m=op.method,
            ref=op.reference,
            amt=op.amount,
            p=op.provider,
            h=op.handle,
            hold=op.hold_id,
            pid=op.provider_id,
        )
        if row is not None:
            return FundingOperation(*row)
        if await conn.fetchval(_EXISTS, id=op.id):
            return None
    raise RuntimeError("no free transaction reference after several draws")


async def get(conn: RawConnection, op_id: uuid.UUID) -> FundingOperation | None:
    row = await conn.fetchrow(_GET, id=op_id)
    return None if row is None else FundingOperation(*row)


async def of_user(
    conn: RawConnection, op_id: uuid.UUID, user_id: uuid.UUID
) -> tuple[FundingOperation, datetime] | None:
    """The user's operation and when its status last changed; None if unknown or someone else's."""
    row = await conn.fetchrow(_OF_USER, id=op_id, u=user_id)
    return None if row is None else (FundingOperation(*list(row)[:-1]), row["updated_at"])


async def lock(conn: RawConnection, op_id: uuid.UUID) -> FundingOperation | None:
    row = await conn.fetchrow(_LOCK, id=op_id)
    return None if row is None else FundingOperation(*row)


async def finish(
    conn: RawConnection, op_id: uuid.UUID, *, status: str, reason: str | None = None, provider_id: str | None = None
) -> FundingOperation | None:
    """Moves a pending operation to `completed` or `failed`; None if it was not pending."""
    row = await conn.fetchrow(_FINISH, id=op_id, s=status, done=status == "completed", why=reason, pid=provider_id)
    return None if row is None else FundingOperation(*row)


async def set_provider_id(conn: RawConnection, op_id: uuid.UUID, provider_id: str) -> None:
    await conn.execute(_SET_PROVIDER_ID, id=op_id, pid=provider_id)


async def topped_up(
    conn: RawConnection, account_id: uuid.UUID, *, day_start: datetime, month_start: datetime
) -> tuple[Decimal, Decimal]:
    """Top-ups of the account (pending or completed) created since each start: (day, month)."""
    row = await conn.fetchrow(_TOPPED_UP, a=account_id, day=day_start, month=month_start)
    assert row is not None  # an aggregate always has a row
    return row[0], row[1]


async def by_hold(conn: RawConnection, hold_id: uuid.UUID) -> FundingOperation | None:
    row = await conn.fetchrow(_BY_HOLD, h=hold_id)
    return None if row is None else FundingOperation(*row)


async def pending_before(conn: RawConnection, *, kind: str, before: datetime, limit: int) -> list[uuid.UUID]:
    return [r["id"] for r in await conn.fetch(_PENDING_BEFORE, k=kind, before=before, lim=limit)]


async def completed_between(
    conn: RawConnection, *, provider: str, start: datetime, end: datetime
) -> list[FundingOperation]:
    return [FundingOperation(*r) for r in await conn.fetch(_COMPLETED_BETWEEN, p=provider, start=start, end=end)]


async def by_ids(conn: RawConnection, ids: list[uuid.UUID]) -> dict[uuid.UUID, FundingOperation]:
    return {r["id"]: FundingOperation(*r) for r in await conn.fetch(_BY_IDS, ids=ids)}


async def open_history(
    conn: RawConnection,
    *,
    account_id: uuid.UUID,
    before: tuple[datetime, int] | None,
    direction: str | None,
    entry_type: str | None,
    start: datetime | None,
    end: datetime | None,
    limit: int,
) -> list[FundingOperation]:
    """Pending and failed operations of the account (rows of its history without a posting),
    newest first by (created_at, seq): the order of postings, whose ids share `seq`'s sequence."""
    keys: list[str] = []
    params: dict[str, object] = {"a": account_id, "lim": limit}
    if before:
        keys.append("before")
        params["cur_t"], params["cur_id"] = before
    if direction:
        keys.append(direction)
    if entry_type:
        keys.append("entry_type")
        params["t"] = entry_type
    if start:
        keys.append("start")
        params["start"] = start
    if end:
        keys.append("end")
        params["end"] = end
    sql = _open_history_sql.get(tuple(keys))
    if sql is None:
        where = "".join(f" AND {_OPEN_CONDITIONS[k]}" for k in keys)
        sql = _open_history_sql[tuple(keys)] = Sql(
            f"{_OPEN_HISTORY}{where} ORDER BY created_at DESC, seq DESC LIMIT :lim"
        )
    return [FundingOperation(*r) for r in await conn.fetch(sql, **params)]


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a UTC day."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start, start + timedelta(days=1)
