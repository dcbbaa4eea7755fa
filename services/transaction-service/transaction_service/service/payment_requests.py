"""Payment requests: a requester asks a payer for money; the payer accepts (a transfer), declines,
or the requester cancels. Pending requests expire after `payment_request_ttl_seconds`; expiry is
evaluated when read or acted on (no sweeper needed: `expired` is shown, never stored).

Only the payer may accept or decline, only the requester cancel: the other party gets 403 (it
can see the request, so a 404 would be a lie), anyone else 404 as if it did not exist.
"""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Literal

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.db.rawsql import RawConnection
from instapay_common.errors import RateLimited
from instapay_common.security.tokens import Principal
from transaction_service import events
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import (
    PaymentRequestExpired,
    PaymentRequestNotFound,
    PaymentRequestNotPending,
    PaymentRequestOtherSide,
    SelfTransfer,
)
from transaction_service.peers import Peers
from transaction_service.repository import payment_requests as requests
from transaction_service.repository.payment_requests import PaymentRequest, RequestFilter, Side
from transaction_service.schemas import JsonObject, PaymentRequestIn, page_body, payment_request_body, transfer_body
from transaction_service.service import page_cursor
from transaction_service.service.checks import (
    check_amount,
    check_currency,
    clean_note,
    needs_pin,
    require_verified_sender,
)
from transaction_service.service.idempotency import Outcome, Work
from transaction_service.service.money_operation import MoneyContext, run_money_operation
from transaction_service.service.transfers import post_transfer

_OTHER_SIDE: dict[Side, Side] = {"payer": "requester", "requester": "payer"}
# What the other party can do instead of the action it tried.
_INSTEAD = {"decline": "; cancel it instead", "cancel": "; decline it instead", "accept": ""}


def effective_status(row: PaymentRequest, now: datetime | None = None) -> str:
    if row.status == "pending" and row.expires_at <= (now or datetime.now(UTC)):
        return "expired"
    return row.status


def request_body(row: PaymentRequest) -> JsonObject:
    return payment_request_body(row, status=effective_status(row))


async def create(
    db: Database, *, peers: Peers, settings: TransactionSettings, principal: Principal, body: PaymentRequestIn
) -> JsonObject:
    check_currency(body.currency)
    check_amount(body.amount, settings)
    note = clean_note(body.note, settings)
    requester_id = uuid.UUID(principal.user_id)
    # Checked before the payer is looked up, so an unverified account or a user past the cap
    # learns nothing of who exists.
    await require_verified_sender(db, requester_id)
    async with rawsql.transaction(db) as conn:
        await _check_daily_cap(conn, requester_id, settings)
    payer, requester = await peers.parties(body.payer.strip(), principal.user_id)
    if payer["user_id"] == principal.user_id:
        raise SelfTransfer("you cannot request money from yourself")
    expires_at = datetime.now(UTC) + timedelta(seconds=settings.payment_request_ttl_seconds)
    async with rawsql.transaction(db) as conn:
        await _check_daily_cap(conn, requester_id, settings)  # again, under the lock, for parallel calls
        row = await requests.insert(
            conn, requester=requester, payer=payer, amount=body.amount, note=note, expires_at=expires_at
        )
        await events.emit(conn, "payment_request.created", events.payment_request_event(row))
    return request_body(row)


_DAY = 24 * 3600


async def _check_daily_cap(conn: RawConnection, requester_id: uuid.UUID, settings: TransactionSettings) -> None:
    """At most `payment_requests_per_day` in any 24 hours: 429 `rate_limited` (a quota, like the
    gateway's) with Retry-After until the oldest of them leaves the window."""
    cap = settings.payment_requests_per_day
    recent = await requests.recent_of_requester(conn, requester_id, window_seconds=_DAY)
    if recent.made < cap:
        return
    frees_at = (recent.oldest or datetime.now(UTC)) + timedelta(seconds=_DAY)
    retry = max(1, int((frees_at - datetime.now(UTC)).total_seconds()) + 1)
    raise RateLimited(
        f"at most {cap} payment requests in 24 hours; try again in {retry} seconds",
        headers={"Retry-After": str(retry)},
    )


async def list_requests(
    db: Database,
    *,
    principal: Principal,
    role: Literal["incoming", "outgoing"] | None,
    status: str | None,
    limit: int,
    cursor: str | None,
) -> JsonObject:
    """incoming = requests where I am the payer; outgoing = requests I made; both when role is omitted."""
    query = RequestFilter(
        user_id=uuid.UUID(principal.user_id),
        role=role,
        status=status,
        before=page_cursor.decode(cursor) if cursor else None,
    )
    async with rawsql.connection(db) as conn:
        rows = await requests.page(conn, query, limit=limit + 1)
    page = rows[:limit]
    return page_body(
        [request_body(r) for r in page],
        page_cursor.encode(page[-1].created_at, page[-1].id) if len(rows) > limit else None,
    )


def _other_side_error(side: Side, action: str) -> PaymentRequestOtherSide:
    return PaymentRequestOtherSide(f"only the {side} can {action} a payment request{_INSTEAD[action]}")


async def _locked(
    conn: RawConnection, request_id: uuid.UUID, user_id: uuid.UUID, side: Side, action: str
) -> PaymentRequest:
    """The request, row-locked, if the caller is its `side`; 403 for the other party, else 404."""
    row = await requests.lock(conn, request_id, side=side, user_id=user_id)
    if row is None:
        if await requests.is_party(conn, request_id, side=_OTHER_SIDE[side], user_id=user_id):
            raise _other_side_error(side, action)
        raise PaymentRequestNotFound("no such payment request")
    return row


def _ensure_pending(row: PaymentRequest) -> None:
    status = effective_status(row)
    if status == "expired":
        raise PaymentRequestExpired("this payment request has expired")
    if status != "pending":
        raise PaymentRequestNotPending(f"this payment request is already {status}")


async def decline_or_cancel(
    db: Database, *, request_id: uuid.UUID, principal: Principal, action: Literal["decline", "cancel"]
) -> JsonObject:
    side: Side
    side, status = ("payer", "declined") if action == "decline" else ("requester", "cancelled")
    async with rawsql.transaction(db) as conn:
        row = await _locked(conn, request_id, uuid.UUID(principal.user_id), side, action)
        _ensure_pending(row)
        row = await requests.set_status(conn, request_id, status=status)
        await events.emit(conn, f"payment_request.{status}", events.payment_request_event(row))
    return request_body(row)


async def accept(ctx: MoneyContext, *, request_id: uuid.UUID, pin: str | None) -> Outcome:
    """The payer pays: one transfer, at most once (row lock + status check in the same transaction)."""
    db, settings, principal, peers = ctx.db, ctx.settings, ctx.principal, ctx.peers
    owner = uuid.UUID(principal.user_id)

    async def prepare() -> Work:
        async with rawsql.connection(db) as conn:  # 404/403 before asking for the PIN: nothing to pay
            payer = await requests.is_party(conn, request_id, side="payer", user_id=owner)
            requester = not payer and await requests.is_party(conn, request_id, side="requester", user_id=owner)
        if requester:
            raise _other_side_error("payer", "accept")
        if not payer:
            raise PaymentRequestNotFound("no such payment request")
        await require_verified_sender(db, owner)
        checked_pin = needs_pin(principal, pin)
        if checked_pin is not None:
            await peers.verify_pin(user_id=principal.user_id, pin=checked_pin)

        async def work(conn: RawConnection) -> tuple[int, JsonObject]:
            req = await requests.lock(conn, request_id, side="payer", user_id=owner)
            if req is None:
                raise PaymentRequestNotFound("no such payment request")
            _ensure_pending(req)
            transfer = await post_transfer(
                conn,
                settings=settings,
                sender=req.payer,
                recipient=req.requester,
                amount=req.amount,
                note=req.note,
                payment_request_id=req.id,
            )
            req = await requests.set_status(conn, request_id, status="accepted", transfer_id=transfer.id)
            await events.emit(
                conn, "payment_request.accepted", {**events.payment_request_event(req), "transfer_id": str(transfer.id)}
            )
            return 201, transfer_body(transfer)

        return work

    return await run_money_operation(
        ctx,
        kind="transfer",
        endpoint="payment_request.accept",
        request=lambda: {"request_id": str(request_id)},
        prepare=prepare,
    )
