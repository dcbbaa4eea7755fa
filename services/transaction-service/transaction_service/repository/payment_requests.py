"""Payment requests (`ledger.payment_requests`). `expired` is never stored: a pending request
past `expires_at` reads as expired (`service.payment_requests.effective_status`)."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal, NamedTuple

import orjson

from instapay_common.db.rawsql import RawConnection, Sql
from transaction_service.parties import PartyRef

Side = Literal["payer", "requester"]


class PaymentRequest(NamedTuple):
    id: uuid.UUID
    requester_id: uuid.UUID
    payer_id: uuid.UUID
    requester: PartyRef
    payer: PartyRef
    amount: Decimal
    currency: str
    note: str | None
    status: str
    transfer_id: uuid.UUID | None
    expires_at: datetime
    created_at: datetime
    updated_at: datetime
    transfer_reference: str | None  # the paying transfer's human reference, once accepted


@dataclass(frozen=True, slots=True)
class RequestFilter:
    user_id: uuid.UUID
    role: Literal["incoming", "outgoing"] | None = None  # incoming: user is the payer; None: either side
    status: str | None = None  # a stored status, or "pending"/"expired" as the API shows them
    before: tuple[datetime, uuid.UUID] | None = None  # keyset: (created_at, id) of the last row seen


# The last field is read from the reference registry (`transfer_id` is the request row's column).
_COLUMNS = ", ".join(PaymentRequest._fields[:-1]) + (  # noqa: S608 - fixed text
    ", (SELECT reference FROM ledger.transaction_references WHERE transaction_id = transfer_id) AS transfer_reference"
)
_INSERT = Sql(
    "INSERT INTO ledger.payment_requests (id, requester_id, payer_id, requester, payer, amount, note, "  # noqa: S608
    "expires_at) VALUES (:id, :r, :p, CAST(:rj AS jsonb), CAST(:pj AS jsonb), :a, :n, :e) "
    f"RETURNING {_COLUMNS}"
)
# Side names and the column list are fixed: no user input in the SQL text.
_LOCK = {
    side: Sql(f"SELECT {_COLUMNS} FROM ledger.payment_requests WHERE id = :id AND {side}_id = :u FOR UPDATE")  # noqa: S608
    for side in ("payer", "requester")
}
_IS_PARTY = {
    side: Sql(f"SELECT 1 FROM ledger.payment_requests WHERE id = :id AND {side}_id = :u")  # noqa: S608
    for side in ("payer", "requester")
}
_SET_STATUS = Sql(
    "UPDATE ledger.payment_requests SET status = :s, transfer_id = :t, "  # noqa: S608
    f"updated_at = clock_timestamp() WHERE id = :id RETURNING {_COLUMNS}"
)
_ROLE = {
    "incoming": "payer_id = :me",
    "outgoing": "requester_id = :me",
    None: "(payer_id = :me OR requester_id = :me)",
}
_STATUS = {
    "expired": "status = 'pending' AND expires_at <= now()",
    "pending": "status = 'pending' AND expires_at > now()",
    "stored": "status = :s",
}
_list_sql: dict[tuple[str | None, str | None, bool], Sql] = {}
# One requester's creations one at a time (until commit), so a parallel burst cannot pass the cap.
_LOCK_REQUESTER = Sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
_RECENT = Sql(
    "SELECT count(*) AS n, min(created_at) AS oldest FROM ledger.payment_requests "
    "WHERE requester_id = :u AND created_at > now() - make_interval(secs => :w)"
)


class RecentRequests(NamedTuple):
    made: int
    oldest: datetime | None


async def recent_of_requester(conn: RawConnection, requester_id: uuid.UUID, *, window_seconds: int) -> RecentRequests:
    """How many requests `requester_id` made in the last `window_seconds`, and when the oldest of
    them was; holds the requester's lock until the transaction ends."""
    await conn.execute(_LOCK_REQUESTER, key=f"payment_requests:{requester_id}")
    row = await conn.fetchrow(_RECENT, u=requester_id, w=window_seconds)
    return RecentRequests(0, None) if row is None else RecentRequests(int(row["n"]), row["oldest"])


async def insert(
    conn: RawConnection,
    *,
    requester: PartyRef,
    payer: PartyRef,
    amount: Decimal,
    note: str | None,
    expires_at: datetime,
) -> PaymentRequest:
    row = await conn.fetchrow(
        _INSERT,
        id=uuid.uuid4(),
        r=uuid.UUID(requester["user_id"]),
        p=uuid.UUID(payer["user_id"]),
        rj=orjson.dumps(requester).decode(),
        pj=orjson.dumps(payer).decode(),
        a=amount,
        n=note,
        e=expires_at,
    )
    if row is None:  # INSERT ... RETURNING always answers its row
        raise RuntimeError("payment request insert returned no row")
    return PaymentRequest(*row)


async def lock(conn: RawConnection, request_id: uuid.UUID, *, side: Side, user_id: uuid.UUID) -> PaymentRequest | None:
    """The request, row-locked until the transaction ends, if `user_id` is its `side`."""
    row = await conn.fetchrow(_LOCK[side], id=request_id, u=user_id)
    return None if row is None else PaymentRequest(*row)


async def is_party(conn: RawConnection, request_id: uuid.UUID, *, side: Side, user_id: uuid.UUID) -> bool:
    return await conn.fetchrow(_IS_PARTY[side], id=request_id, u=user_id) is not None


async def set_status(
    conn: RawConnection, request_id: uuid.UUID, *, status: str, transfer_id: uuid.UUID | None = None
) -> PaymentRequest:
    """For a request this transaction holds locked (so it exists)."""
    row = await conn.fetchrow(_SET_STATUS, s=status, t=transfer_id, id=request_id)
    if row is None:
        raise RuntimeError("payment request vanished under its row lock")
    return PaymentRequest(*row)


def _list_statement(role: str | None, status: str | None, keyset: bool) -> Sql:
    key = (role, status, keyset)
    sql = _list_sql.get(key)
    if sql is None:
        where = [_ROLE[role]]
        if status:
            where.append(_STATUS[status])
        if keyset:
            where.append("(created_at, id) < (:cc, :ci)")
        sql = _list_sql[key] = Sql(
            f"SELECT {_COLUMNS} FROM ledger.payment_requests WHERE {' AND '.join(where)} "  # noqa: S608
            "ORDER BY created_at DESC, id DESC LIMIT :lim"
        )
    return sql


async def page(conn: RawConnection, query: RequestFilter, *, limit: int) -> list[PaymentRequest]:
    """Up to `limit` requests, newest first."""
    params: dict[str, object] = {"me": query.user_id, "lim": limit}
    status = None
    if query.status in ("expired", "pending"):
        status = query.status
    elif query.status:
        status = "stored"
        params["s"] = query.status
    if query.before:
        params["cc"], params["ci"] = query.before
    rows = await conn.fetch(_list_statement(query.role, status, query.before is not None), **params)
    return [PaymentRequest(*r) for r in rows]
