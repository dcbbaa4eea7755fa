"""Charges and payouts: idempotent creation, cancel, lookups, the settlement report, and the
confirmation of pending ones when their time comes. Every status change enqueues its callback in
the same transaction, so no change goes unannounced."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from instapay_common.db.database import Database
from instapay_common.db.rawsql import RawConnection, connection, transaction
from provider_simulator.exceptions import IdempotencyKeyReused, OperationNotFound, ProviderUnavailable
from provider_simulator.repository import callbacks, operations
from provider_simulator.repository.operations import OperationRow
from provider_simulator.schemas import ChargeRequest, PayoutRequest
from provider_simulator.service.wire import callback_body, new_id, request_hash

CHARGE_DECLINES = {"card": "card declined by issuer", "bank": "bank account refused the debit"}
PAYOUT_REFUSED = "the bank refused the account"
CANCELED = "canceled"


class MalformedAnswer(Exception):
    """The `invalid-` reference: the API answers 200 with a body no client should accept."""


def _check_reference(reference: str) -> None:
    if reference.startswith("error-"):
        raise ProviderUnavailable("the provider could not process this request")
    if reference.startswith("invalid-"):
        raise MalformedAnswer


async def _announce(conn: RawConnection, row: OperationRow, *, delay_ms: int) -> None:
    event = callback_body(row)
    if event is not None:
        await callbacks.enqueue(conn, event_id=event[0], body=event[1], delay_ms=delay_ms)


def _same_request(existing: OperationRow, digest: str) -> OperationRow:
    if existing.request_hash != digest:
        raise IdempotencyKeyReused(f"key {existing.idempotency_key} was used for a different {existing.kind}")
    return existing


async def create_charge(
    db: Database, *, key: str, request: ChargeRequest, bank_delay_ms: int, callback_delay_ms: int
) -> OperationRow:
    """A card is captured at once; a bank debit is pending until `bank_delay_ms` has passed."""
    _check_reference(request.source.reference)
    digest = request_hash(request)
    declined = request.source.reference.startswith("fail-")
    status = "failed" if declined else ("succeeded" if request.source.type == "card" else "pending")
    async with transaction(db) as conn:
        row = await operations.insert(
            conn,
            id=new_id("ch"),
            kind="charge",
            key=key,
            request_hash=digest,
            amount=request.amount,
            currency=request.currency,
            method=request.source.type,
            reference=request.source.reference,
            metadata=request.metadata,
            status=status,
            failure_reason=CHARGE_DECLINES[request.source.type] if declined else None,
            due_in_ms=bank_delay_ms if status == "pending" else None,
        )
        if row is None:
            existing = await operations.by_key(conn, kind="charge", key=key)
            assert existing is not None  # the insert conflicted with it, and rows are never deleted
            return _same_request(existing, digest)
        await _announce(conn, row, delay_ms=callback_delay_ms)
        return row


async def create_payout(db: Database, *, key: str, request: PayoutRequest, payout_delay_ms: int) -> OperationRow:
    """Pending until `payout_delay_ms` has passed; a key canceled before answers the canceled payout."""
    _check_reference(request.destination.reference)
    digest = request_hash(request)
    async with transaction(db) as conn:
        row = await operations.insert(
            conn,
            id=new_id("po"),
            kind="payout",
            key=key,
            request_hash=digest,
            amount=request.amount,
            currency=request.currency,
            method=request.destination.type,
            reference=request.destination.reference,
            metadata=request.metadata,
            status="pending",
            due_in_ms=payout_delay_ms,
        )
        if row is not None:
            return row
        existing = await operations.by_key(conn, kind="payout", key=key, for_update=True)
        assert existing is not None  # the insert conflicted with it, and rows are never deleted
        if existing.request_hash is None:  # a tombstone: the payout stays canceled, with this request's details
            filled = await operations.fill_tombstone(
                conn,
                id=existing.id,
                request_hash=digest,
                amount=request.amount,
                currency=request.currency,
                method=request.destination.type,
                reference=request.destination.reference,
                metadata=request.metadata,
            )
            assert filled is not None  # locked above and still a tombstone
            return filled
        return _same_request(existing, digest)


async def cancel_payout(db: Database, *, key: str, callback_delay_ms: int) -> OperationRow:
    """Stops a pending payout for good; a paid or failed one is returned unchanged; an unknown key
    gets a canceled tombstone so that a later payout under it is never paid."""
    async with transaction(db) as conn:
        existing = await operations.by_key(conn, kind="payout", key=key, for_update=True)
        if existing is None:
            row = await operations.insert(
                conn,
                id=new_id("po"),
                kind="payout",
                key=key,
                request_hash=None,
                amount=None,
                currency=None,
                method=None,
                reference=None,
                metadata={},
                status="failed",
                failure_reason=CANCELED,
            )
            if row is not None:
                return row
            # A payout request with this key committed meanwhile: cancel that one.
            existing = await operations.by_key(conn, kind="payout", key=key, for_update=True)
            assert existing is not None
        if existing.status != "pending":
            return existing
        row = await operations.set_status(conn, id=existing.id, status="failed", failure_reason=CANCELED)
        await _announce(conn, row, delay_ms=callback_delay_ms)
        return row


async def get_by_key(db: Database, *, kind: str, key: str) -> OperationRow:
    async with connection(db) as conn:
        row = await operations.by_key(conn, kind=kind, key=key)
    if row is None:
        raise OperationNotFound(f"no {kind} under key {key}")
    return row


async def settled_on(db: Database, *, day: date) -> list[OperationRow]:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    async with connection(db) as conn:
        return await operations.settled_between(conn, start=start, end=start + timedelta(days=1))


async def list_all(db: Database, *, kind: str) -> list[OperationRow]:
    async with connection(db) as conn:
        return await operations.all_of_kind(conn, kind=kind)


async def confirm_due(db: Database, *, callback_delay_ms: int, limit: int = 100) -> tuple[int, float | None]:
    """Settles the pending operations whose time has come: bank debits succeed, payouts are paid
    (or fail, for a `fail-` account). Returns how many changed, and the seconds until the next one
    is due (None: nothing pending)."""
    async with transaction(db) as conn:
        due = await operations.lock_due(conn, limit=limit)
        for row in due:
            if row.kind == "charge":
                status, reason = "succeeded", None
            elif (row.reference or "").startswith("fail-"):
                status, reason = "failed", PAYOUT_REFUSED
            else:
                status, reason = "paid", None
            changed = await operations.set_status(conn, id=row.id, status=status, failure_reason=reason)
            await _announce(conn, changed, delay_ms=callback_delay_ms)
        next_in = await operations.next_due_in(conn)
    return len(due), next_in
