"""Payment requests: a requester asks a payer for money; the payer accepts (a transfer), declines,
or the requester cancels. Pending requests expire after `payment_request_ttl_seconds`; expiry is
evaluated when read or acted on (no sweeper needed: `expired` is shown, never stored).
"""

import base64
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, NamedTuple

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.db.rawsql import RawConnection, Sql
from instapay_common.security.tokens import Principal
from instapay_common.web.cursor import unpack, utc_timestamp
from transaction_service import events
from transaction_service.config import TransactionSettings
from transaction_service.events import rfc3339
from transaction_service.exceptions import (
    InvalidCursor,
    PaymentRequestExpired,
    PaymentRequestNotFound,
    PaymentRequestNotPending,
    PaymentRequestOtherSide,
    SelfTransfer,
)
from transaction_service.idempotency import Outcome, execute_once, find_stored, request_hash
from transaction_service.metrics import MONEY_MOVED
from transaction_service.money import fmt
from transaction_service.peers import Peers
from transaction_service.schemas import PaymentRequestIn
from transaction_service.transfers import post_transfer
from transaction_service.validation import check_amount, check_currency, clean_note, needs_pin


class PaymentRequest(NamedTuple):
    """A payment request row read on the raw connection (the accept path), with the attribute
    access SQLAlchemy rows have, so the views below read both."""

    id: uuid.UUID
    requester_id: uuid.UUID
    payer_id: uuid.UUID
    requester: dict[str, Any]
    payer: dict[str, Any]
    amount: Decimal
    currency: str
    note: str | None
    status: str
    transfer_id: uuid.UUID | None
    expires_at: datetime
    created_at: datetime
    updated_at: datetime


COLUMNS = ", ".join(PaymentRequest._fields)
# The caller must be the request's payer (accept, decline) or requester (cancel); a fixed column
# list and side names, no user input in the SQL text.
_LOCK_SQL = {
    side: f"SELECT {COLUMNS} FROM ledger.payment_requests WHERE id = :id AND {side}_id = :u FOR UPDATE"  # noqa: S608
    for side in ("payer", "requester")
}
_SET_STATUS_SQL = (
    f"UPDATE ledger.payment_requests SET status = :s, transfer_id = :t, "  # noqa: S608
    f"updated_at = clock_timestamp() WHERE id = :id RETURNING {COLUMNS}"
)
_LOCK_RAW = {side: Sql(sql) for side, sql in _LOCK_SQL.items()}
_SET_STATUS_RAW = Sql(_SET_STATUS_SQL)
_PARTY_SQL = {
    side: f"SELECT 1 FROM ledger.payment_requests WHERE id = :id AND {side}_id = :u"  # noqa: S608
    for side in ("payer", "requester")
}
_PAYER_OF, _REQUESTER_OF = Sql(_PARTY_SQL["payer"]), Sql(_PARTY_SQL["requester"])
_OTHER_SIDE = {"payer": "requester", "requester": "payer"}
# What the other party can do instead of the action it tried.
_INSTEAD = {"decline": "; cancel it instead", "cancel": "; decline it instead", "accept": ""}


def effective_status(row: Any, now: datetime | None = None) -> str:
    if row.status == "pending" and row.expires_at <= (now or datetime.now(UTC)):
        return "expired"
    return row.status


def request_view(row: Any) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "status": effective_status(row),
        "amount": fmt(row.amount),
        "currency": row.currency,
        "note": row.note,
        "requester": row.requester,
        "payer": row.payer,
        "transfer_id": str(row.transfer_id) if row.transfer_id else None,
        "expires_at": rfc3339(row.expires_at),
        "created_at": rfc3339(row.created_at),
        "updated_at": rfc3339(row.updated_at),
    }


def event_data(row: Any) -> dict[str, Any]:
    return {
        "request_id": str(row.id),
        "amount": fmt(row.amount),
        "currency": row.currency,
        "note": row.note,
        "requester": row.requester,
        "payer": row.payer,
        "expires_at": rfc3339(row.expires_at),
        "created_at": rfc3339(row.created_at),
    }


async def create(
    session: AsyncSession, *, peers: Peers, settings: TransactionSettings, principal: Principal, body: PaymentRequestIn
) -> dict[str, Any]:
    check_currency(body.currency)
    check_amount(body.amount, settings)
    note = clean_note(body.note, settings)
    payer, requester = await peers.parties(body.payer.strip(), principal.user_id)
    if payer["user_id"] == principal.user_id:
        raise SelfTransfer("you cannot request money from yourself")
    expires_at = datetime.now(UTC) + timedelta(seconds=settings.payment_request_ttl_seconds)
    async with session.begin():
        row = (
            await session.execute(
                text(
                    f"INSERT INTO ledger.payment_requests (id, requester_id, payer_id, requester, payer, amount, note, "  # noqa: S608
                    f"expires_at) VALUES (:id, :r, :p, CAST(:rj AS jsonb), CAST(:pj AS jsonb), :a, :n, :e) "
                    f"RETURNING {COLUMNS}"
                ),
                {
                    "id": uuid.uuid4(),
                    "r": uuid.UUID(principal.user_id),
                    "p": uuid.UUID(payer["user_id"]),
                    "rj": _json(requester),
                    "pj": _json(payer),
                    "a": body.amount,
                    "n": note,
                    "e": expires_at,
                },
            )
        ).one()
        await events.emit(session, "payment_request.created", event_data(row))
    return request_view(row)


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


def _cursor(row: Any) -> str:
    return base64.urlsafe_b64encode(f"{row.created_at.isoformat()}|{row.id}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        created, _, rid = unpack(cursor).partition("|")
        return utc_timestamp(created), uuid.UUID(rid)
    except ValueError as exc:
        raise InvalidCursor(
            "cursor is not valid; use next_cursor from the previous page",
            extra={"errors": [{"field": "cursor", "message": "invalid cursor"}]},
        ) from exc


async def list_requests(
    session: AsyncSession,
    *,
    principal: Principal,
    role: Literal["incoming", "outgoing"] | None,
    status: str | None,
    limit: int,
    cursor: str | None,
) -> dict[str, Any]:
    """incoming = requests where I am the payer; outgoing = requests I made; both when role is omitted."""
    me = uuid.UUID(principal.user_id)
    where = {"incoming": ["payer_id = :me"], "outgoing": ["requester_id = :me"]}.get(
        role or "", ["(payer_id = :me OR requester_id = :me)"]
    )
    params: dict[str, Any] = {"me": me, "lim": limit + 1}
    if status == "expired":
        where.append("status = 'pending' AND expires_at <= now()")
    elif status == "pending":
        where.append("status = 'pending' AND expires_at > now()")
    elif status:
        where.append("status = :s")
        params["s"] = status
    if cursor:
        created, rid = _decode(cursor)
        where.append("(created_at, id) < (:cc, :ci)")
        params.update(cc=created, ci=rid)
    rows = (
        await session.execute(
            text(
                f"SELECT {COLUMNS} FROM ledger.payment_requests WHERE {' AND '.join(where)} "  # noqa: S608
                "ORDER BY created_at DESC, id DESC LIMIT :lim"
            ),
            params,
        )
    ).all()
    page = rows[:limit]
    return {"items": [request_view(r) for r in page], "next_cursor": _cursor(page[-1]) if len(rows) > limit else None}


def _other_side_error(side: str, action: str) -> PaymentRequestOtherSide:
    return PaymentRequestOtherSide(f"only the {side} can {action} a payment request{_INSTEAD[action]}")


async def _locked(session: AsyncSession, request_id: uuid.UUID, user_id: str, side: str, action: str) -> Any:
    """The request, row-locked, if the caller is its `side` (payer/requester); 403 if the caller is
    the other party, 404 to anyone else (as if it did not exist)."""
    params = {"id": request_id, "u": uuid.UUID(user_id)}
    row = (await session.execute(text(_LOCK_SQL[side]), params)).first()
    if row is None:
        if (await session.execute(text(_PARTY_SQL[_OTHER_SIDE[side]]), params)).first() is not None:
            raise _other_side_error(side, action)
        raise PaymentRequestNotFound("no such payment request")
    return row


async def _locked_raw(conn: RawConnection, request_id: uuid.UUID, user_id: str, side: str) -> PaymentRequest:
    """`_locked` in a transaction on the raw connection."""
    row = await conn.fetchrow(_LOCK_RAW[side], id=request_id, u=uuid.UUID(user_id))
    if row is None:
        raise PaymentRequestNotFound("no such payment request")
    return PaymentRequest(*row)


def _ensure_pending(row: Any) -> None:
    status = effective_status(row)
    if status == "expired":
        raise PaymentRequestExpired("this payment request has expired")
    if status != "pending":
        raise PaymentRequestNotPending(f"this payment request is already {status}")


async def _set_status(session: AsyncSession, request_id: uuid.UUID, status: str) -> Any:
    return (await session.execute(text(_SET_STATUS_SQL), {"s": status, "t": None, "id": request_id})).one()


async def _set_status_raw(conn: RawConnection, request_id: uuid.UUID, status: str, transfer_id: str) -> PaymentRequest:
    row = await conn.fetchrow(_SET_STATUS_RAW, s=status, t=uuid.UUID(transfer_id), id=request_id)
    if row is None:  # locked by this transaction a moment ago: cannot be gone
        raise RuntimeError("payment request vanished under its row lock")
    return PaymentRequest(*row)


async def decline_or_cancel(
    session: AsyncSession, *, request_id: uuid.UUID, principal: Principal, action: Literal["decline", "cancel"]
) -> dict[str, Any]:
    side, status = ("payer", "declined") if action == "decline" else ("requester", "cancelled")
    async with session.begin():
        row = await _locked(session, request_id, principal.user_id, side, action)
        _ensure_pending(row)
        row = await _set_status(session, request_id, status)
        await events.emit(session, f"payment_request.{status}", event_data(row))
    return request_view(row)


async def accept(
    *,
    db: Database,
    peers: Peers,
    settings: TransactionSettings,
    principal: Principal,
    key: str,
    request_id: uuid.UUID,
    pin: str | None,
) -> Outcome:
    """The payer pays: one transfer, at most once (row lock + status check in the same transaction)."""
    owner = uuid.UUID(principal.user_id)
    hashed = request_hash("payment_request.accept", {"request_id": str(request_id)})
    stored = await find_stored(db, owner_id=owner, key=key, hashed=hashed)
    if stored is not None:
        return stored
    async with rawsql.connection(db) as conn:  # 404/403 before asking for the PIN: nothing to pay
        row = await conn.fetchrow(_PAYER_OF, id=request_id, u=owner)
        requester = row is None and await conn.fetchrow(_REQUESTER_OF, id=request_id, u=owner) is not None
    if requester:
        raise _other_side_error("payer", "accept")
    if row is None:
        raise PaymentRequestNotFound("no such payment request")
    checked_pin = needs_pin(principal, pin)
    if checked_pin is not None:
        await peers.verify_pin(user_id=principal.user_id, pin=checked_pin)

    async def work(conn: RawConnection) -> tuple[int, dict[str, Any]]:
        req = await _locked_raw(conn, request_id, principal.user_id, "payer")
        _ensure_pending(req)
        view = await post_transfer(
            conn,
            settings=settings,
            sender=req.payer,
            recipient=req.requester,
            amount=req.amount,
            note=req.note,
            payment_request_id=req.id,
        )
        req = await _set_status_raw(conn, request_id, "accepted", view["id"])
        await events.emit_raw(conn, "payment_request.accepted", {**event_data(req), "transfer_id": view["id"]})
        return 201, view

    outcome = await execute_once(
        db, owner_id=owner, key=key, hashed=hashed, wait_seconds=settings.idempotency_wait_seconds, work=work
    )
    if outcome.status == 201 and not outcome.replayed:
        MONEY_MOVED.labels("transfer").inc(float(outcome.body["amount"]))
    return outcome
