"""Events this service emits (docs/EVENTS.md): their payload builders, and `emit`, which writes
one into the outbox inside the caller's transaction, so an event exists exactly when the change
it describes was committed. The event log is the shared feed (`instapay_common.events.feed`),
mounted in `main`."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from decimal import Decimal

from instapay_common.db.rawsql import RawConnection
from instapay_common.events.outbox import PendingEvent, emit_event_raw, pending_event
from transaction_service.models import outbox
from transaction_service.money import fmt
from transaction_service.parties import PartyRef
from transaction_service.repository.disputes import Dispute
from transaction_service.repository.ledger import TransferEntry
from transaction_service.repository.payment_requests import PaymentRequest
from transaction_service.schemas import JsonObject, rfc3339

SOURCE = "transaction-service"
# The connection whose events are held, and the events held (`deferred`).
_DEFERRED: ContextVar[tuple[RawConnection, list[PendingEvent]] | None] = ContextVar("deferred_events", default=None)


async def emit(conn: RawConnection, event_type: str, data: JsonObject) -> None:
    held = _DEFERRED.get()
    if held is not None and held[0] is conn:
        held[1].append(pending_event(event_type, data))
        return
    await emit_event_raw(conn, outbox, event_type, data)


@contextmanager
def deferred(conn: RawConnection) -> Iterator[list[PendingEvent]]:
    """Events emitted on `conn` inside the block are held in the list it yields instead of written
    at once; the caller writes them later in the same transaction with a statement of its own
    (`repository.idempotency.store`: a transfer's event and its stored answer in one round trip),
    or drops them where the transaction would have undone them. Events emitted on any other
    connection are written as usual."""
    pending: list[PendingEvent] = []
    token = _DEFERRED.set((conn, pending))
    try:
        yield pending
    finally:
        _DEFERRED.reset(token)


def transfer_completed(transfer: TransferEntry, *, sender_balance: Decimal, recipient_balance: Decimal) -> JsonObject:
    """`transfer.completed`: the transfer and both parties' balances after it."""
    return {
        "transfer_id": str(transfer.id),
        "reference": transfer.reference,
        "amount": fmt(transfer.amount),
        "currency": transfer.currency,
        "note": transfer.note,
        "created_at": rfc3339(transfer.created_at),
        "payment_request_id": str(transfer.payment_request_id) if transfer.payment_request_id else None,
        "payment_link_id": str(transfer.payment_link_id) if transfer.payment_link_id else None,
        "refund_of": str(transfer.refund_of) if transfer.refund_of else None,
        "sender": {**transfer.sender, "balance_after": fmt(sender_balance)},
        "recipient": {**transfer.recipient, "balance_after": fmt(recipient_balance)},
    }


def refund_created(refund: TransferEntry, *, original_reference: str | None) -> JsonObject:
    """`refund.created`: a refund (the money moved is also a `transfer.completed`, which reporting
    counts); this one tells both parties, and webhooks, what it was."""
    return {
        "refund_id": str(refund.id),
        "reference": refund.reference,
        "refund_of": str(refund.refund_of),
        "original_reference": original_reference,
        "amount": fmt(refund.amount),
        "currency": refund.currency,
        "note": refund.note,
        "created_at": rfc3339(refund.created_at),
        "sender": dict(refund.sender),
        "recipient": dict(refund.recipient),
    }


def transfer_reversed(
    *,
    reversal_id: uuid.UUID,
    reference: str | None,
    original: uuid.UUID,
    original_reference: str | None,
    dispute_id: uuid.UUID,
    amount: Decimal,
    currency: str,
    created_at: datetime,
    sender: PartyRef,
    recipient: PartyRef,
    sender_balance: Decimal,
    recipient_balance: Decimal,
) -> JsonObject:
    """`transfer.reversed`: money taken back from the original's recipient (`sender` here) to its
    sender (`recipient` here) on an operator's decision; shaped like `transfer.completed`."""
    return {
        "reversal_id": str(reversal_id),
        "reference": reference,
        "reversal_of": str(original),
        "original_reference": original_reference,
        "dispute_id": str(dispute_id),
        "amount": fmt(amount),
        "currency": currency,
        "created_at": rfc3339(created_at),
        "sender": {**sender, "balance_after": fmt(sender_balance)},
        "recipient": {**recipient, "balance_after": fmt(recipient_balance)},
    }


def dispute_event(row: Dispute) -> JsonObject:
    """`dispute.opened` / `dispute.resolved`: the case as its sender sees it."""
    return {
        "dispute_id": str(row.id),
        "reference": row.reference,
        "transfer_id": str(row.transfer_id),
        "transfer_reference": row.transfer_reference,
        "amount": fmt(row.amount),
        "currency": row.currency,
        "reason": row.reason,
        "status": row.status,
        "sender": dict(row.sender),
        "recipient": dict(row.recipient),
        "reversal_id": str(row.reversal_id) if row.reversal_id else None,
        "created_at": rfc3339(row.created_at),
        "resolved_at": rfc3339(row.resolved_at) if row.resolved_at else None,
    }


def funding_completed(
    transaction: JsonObject, *, user_id: str, handle: str | None, funding: dict[str, str]
) -> JsonObject:
    """`topup.completed` (`funding` = {"source_type": ...}) or `withdrawal.completed`
    (`{"destination_type": ...}`) from the wallet's history row (`schemas.transaction_body`)."""
    return {
        "transaction_id": transaction["id"],
        "reference": transaction["reference"],
        "user_id": user_id,
        "handle": handle,
        "amount": transaction["amount"],
        "currency": transaction["currency"],
        "balance_after": transaction["balance_after"],
        **funding,
        "created_at": transaction["created_at"],
    }


def payment_request_event(row: PaymentRequest) -> JsonObject:
    """`payment_request.created|declined|cancelled` (and `.accepted` with `transfer_id`)."""
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


def wallet_status(*, user_id: uuid.UUID, reason: str | None) -> JsonObject:
    """`wallet.frozen` (`reason`: the operator's words, which the owner is told) or
    `wallet.unfrozen` (`reason` null)."""
    return {"user_id": str(user_id), "reason": reason, "at": rfc3339(datetime.now(UTC))}
