"""Disputes (`ledger.disputes`): a sender's report of a problem with a transfer, and how an
operator resolved it. At most one open dispute per transfer (unique partial index)."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from asyncpg import UniqueViolationError

from instapay_common.db.rawsql import RawConnection, Sql
from transaction_service.parties import PartyRef


class Dispute(NamedTuple):
    id: uuid.UUID
    reference: str
    transfer_id: uuid.UUID
    sender_id: uuid.UUID
    recipient_id: uuid.UUID
    amount: Decimal
    currency: str
    reason: str
    note: str | None
    status: str
    resolution_note: str | None
    resolved_by: uuid.UUID | None
    resolved_at: datetime | None
    reversal_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    # Read from the transfer and the reference registry (never stored twice).
    transfer_reference: str | None
    sender: PartyRef
    recipient: PartyRef


@dataclass(frozen=True, slots=True)
class DisputeFilter:
    user_id: uuid.UUID | None = None  # either side's; None: every dispute (operators)
    status: str | None = None
    before: tuple[datetime, uuid.UUID] | None = None  # keyset: (created_at, id) of the last row seen


_OWN_COLUMNS = [f for f in Dispute._fields if f not in ("transfer_reference", "sender", "recipient")]
_SELECT = (
    "SELECT "  # noqa: S608 - fixed column list
    + ", ".join(f"d.{c}" for c in _OWN_COLUMNS)
    + ", tr.reference AS transfer_reference, e.sender, e.recipient FROM ledger.disputes d "
    "JOIN ledger.journal_entries e ON e.id = d.transfer_id "
    "LEFT JOIN ledger.transaction_references tr ON tr.transaction_id = d.transfer_id "
)
_INSERT = Sql(
    "INSERT INTO ledger.disputes (id, reference, transfer_id, sender_id, recipient_id, amount, currency, reason, note) "
    "VALUES (:id, :ref, :t, :s, :r, :a, :c, :reason, :n)"
)
_GET = Sql(f"{_SELECT}WHERE d.id = :id")
_FOR_PARTY = Sql(f"{_SELECT}WHERE d.id = :id AND (d.sender_id = :u OR d.recipient_id = :u)")
_LOCK_ROW = Sql("SELECT id FROM ledger.disputes WHERE id = :id FOR UPDATE")
_LATEST_OF_TRANSFER = Sql(f"{_SELECT}WHERE d.transfer_id = :t ORDER BY d.created_at DESC, d.id DESC LIMIT 1")
_RESOLVE = Sql(
    "UPDATE ledger.disputes SET status = :s, resolution_note = :n, resolved_by = :by, resolved_at = clock_timestamp(), "
    "reversal_id = :rv, updated_at = clock_timestamp() WHERE id = :id AND status = 'open'"
)
_CONDITIONS = {
    "user": "(d.sender_id = :u OR d.recipient_id = :u)",
    "status": "d.status = :s",
    "before": "(d.created_at, d.id) < (:cur_t, :cur_id)",
}
_page_sql: dict[tuple[str, ...], Sql] = {}


async def insert(
    conn: RawConnection,
    *,
    reference: str,
    transfer_id: uuid.UUID,
    sender_id: uuid.UUID,
    recipient_id: uuid.UUID,
    amount: Decimal,
    currency: str,
    reason: str,
    note: str | None,
) -> uuid.UUID | None:
    """The new dispute's id; None if the reference was taken (draw another). Raises
    `UniqueViolationError` for a second open dispute of the transfer."""
    dispute_id = uuid.uuid4()
    try:
        async with conn.savepoint():
            await conn.execute(
                _INSERT,
                id=dispute_id,
                ref=reference,
                t=transfer_id,
                s=sender_id,
                r=recipient_id,
                a=amount,
                c=currency,
                reason=reason,
                n=note,
            )
    except UniqueViolationError as exc:
        if exc.constraint_name == "uq_disputes_reference":
            return None
        raise
    return dispute_id


async def get(conn: RawConnection, dispute_id: uuid.UUID) -> Dispute | None:
    row = await conn.fetchrow(_GET, id=dispute_id)
    return None if row is None else Dispute(*row)


async def for_party(conn: RawConnection, dispute_id: uuid.UUID, user_id: uuid.UUID) -> Dispute | None:
    row = await conn.fetchrow(_FOR_PARTY, id=dispute_id, u=user_id)
    return None if row is None else Dispute(*row)


async def lock(conn: RawConnection, dispute_id: uuid.UUID) -> Dispute | None:
    """The dispute, row-locked until the transaction ends (None: no such dispute)."""
    if await conn.fetchval(_LOCK_ROW, id=dispute_id) is None:
        return None
    return await get(conn, dispute_id)


async def latest_of_transfer(conn: RawConnection, transfer_id: uuid.UUID) -> Dispute | None:
    row = await conn.fetchrow(_LATEST_OF_TRANSFER, t=transfer_id)
    return None if row is None else Dispute(*row)


async def resolve(
    conn: RawConnection,
    dispute_id: uuid.UUID,
    *,
    status: str,
    note: str,
    resolved_by: uuid.UUID,
    reversal_id: uuid.UUID | None,
) -> None:
    await conn.execute(_RESOLVE, id=dispute_id, s=status, n=note, by=resolved_by, rv=reversal_id)


async def page(conn: RawConnection, query: DisputeFilter, *, limit: int) -> list[Dispute]:
    """Newest first, up to `limit`."""
    keys: list[str] = []
    params: dict[str, object] = {"lim": limit}
    if query.user_id is not None:
        keys.append("user")
        params["u"] = query.user_id
    if query.status is not None:
        keys.append("status")
        params["s"] = query.status
    if query.before is not None:
        keys.append("before")
        params["cur_t"], params["cur_id"] = query.before
    sql = _page_sql.get(tuple(keys))
    if sql is None:
        where = " AND ".join(_CONDITIONS[k] for k in keys) or "true"
        sql = _page_sql[tuple(keys)] = Sql(f"{_SELECT}WHERE {where} ORDER BY d.created_at DESC, d.id DESC LIMIT :lim")
    return [Dispute(*r) for r in await conn.fetch(sql, **params)]
