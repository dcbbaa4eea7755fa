"""Holds (`ledger.holds`): money of a wallet reserved for something that is not settled yet.

A hold is `pending` until it is `posted` (the money leaves by a journal entry), `released` (given
back) or `expired` (released because nothing settled it in time). Each change runs under the
wallet's row lock, with the account's `held` total changed in the same transaction.
"""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from instapay_common.db.rawsql import RawConnection, Sql


class Hold(NamedTuple):
    id: uuid.UUID
    account_id: uuid.UUID
    amount: Decimal
    reason: str
    status: str
    expires_at: datetime
    entry_id: uuid.UUID | None
    created_at: datetime
    resolved_at: datetime | None


_COLUMNS = ", ".join(Hold._fields)
_INSERT = Sql(
    "INSERT INTO ledger.holds (id, account_id, amount, reason, expires_at) "  # noqa: S608 - fixed column list
    f"VALUES (:id, :a, :amt, :r, :exp) RETURNING {_COLUMNS}"
)
_GET = Sql(f"SELECT {_COLUMNS} FROM ledger.holds WHERE id = :id")  # noqa: S608
_RESOLVE = Sql(
    "UPDATE ledger.holds SET status = :s, entry_id = :e, resolved_at = clock_timestamp() "  # noqa: S608
    f"WHERE id = :id AND status = 'pending' RETURNING {_COLUMNS}"
)
_EXPIRED = Sql(
    "SELECT id FROM ledger.holds WHERE status = 'pending' AND expires_at <= :now ORDER BY expires_at LIMIT :lim"
)
_EXTEND = Sql("UPDATE ledger.holds SET expires_at = :exp WHERE id = :id AND status = 'pending'")
_PENDING_COUNT = Sql("SELECT count(*) FROM ledger.holds WHERE status = 'pending'")


async def insert(
    conn: RawConnection, *, account_id: uuid.UUID, amount: Decimal, reason: str, expires_at: datetime
) -> Hold:
    row = await conn.fetchrow(_INSERT, id=uuid.uuid4(), a=account_id, amt=amount, r=reason, exp=expires_at)
    assert row is not None  # INSERT ... RETURNING
    return Hold(*row)


async def get(conn: RawConnection, hold_id: uuid.UUID) -> Hold | None:
    row = await conn.fetchrow(_GET, id=hold_id)
    return None if row is None else Hold(*row)


async def resolve(conn: RawConnection, hold_id: uuid.UUID, *, status: str, entry_id: uuid.UUID | None) -> Hold | None:
    """Moves a pending hold to `status`; None if it was not pending (already resolved)."""
    row = await conn.fetchrow(_RESOLVE, id=hold_id, s=status, e=entry_id)
    return None if row is None else Hold(*row)


async def expired_ids(conn: RawConnection, *, now: datetime, limit: int) -> list[uuid.UUID]:
    return [r["id"] for r in await conn.fetch(_EXPIRED, now=now, lim=limit)]


async def extend(conn: RawConnection, hold_id: uuid.UUID, *, expires_at: datetime) -> None:
    await conn.execute(_EXTEND, id=hold_id, exp=expires_at)


async def pending_count(conn: RawConnection) -> int:
    return int(await conn.fetchval(_PENDING_COUNT))
