"""Disputes: the sender of a transfer reports a problem with it; operators decide.

- Filing: sender only (anyone else, the recipient included, gets 404 as for a transfer they
  cannot act on); a transfer (not a refund, not already reversed); one open dispute per transfer
  (409 `dispute_already_open`, enforced by a unique partial index, so two parallel reports cannot
  both open one).
- Reading: `GET /disputes` lists the cases of either side. The recipient sees the case (it may
  end in a reversal of their money) but not the sender's `note`, which is written for the
  operators and may name the recipient in ways they should not read.
- Resolution (`carry_out_resolution`) runs once a second admin approved the decision (two-person
  rule, the approvals module): `reject` closes the case; `reverse` posts a `reversal` entry that
  moves back what the recipient still owes (the original's amount less its refunds) from the
  recipient to the sender, linked by `reversal_of`, never touching the original. It is refused
  (409 `reversal_insufficient_funds`) unless the recipient's available balance covers all of it:
  a partial reversal would close the case with money still missing, so the operators decide
  again instead (e.g. freeze the wallet and wait). Frozen wallets and spending limits do not
  stop it: it is the operators' decision, not the recipient's spending.
"""

import uuid

from asyncpg import UniqueViolationError

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.db.rawsql import RawConnection
from transaction_service import events, references
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import (
    DisputeAlreadyOpen,
    DisputeNotFound,
    DisputeNotOpen,
    NothingToReverse,
    ReversalInsufficientFunds,
    TransferNotDisputable,
    TransferNotFound,
    WalletNotFound,
)
from transaction_service.money import fmt
from transaction_service.repository import accounts, disputes, ledger, returns
from transaction_service.repository.disputes import Dispute, DisputeFilter
from transaction_service.repository.ledger import Leg
from transaction_service.schemas import DisputeIn, JsonObject, page_body, party_body, rfc3339
from transaction_service.service import page_cursor
from transaction_service.service.checks import clean_note


def dispute_body(row: Dispute, *, viewer: uuid.UUID | None) -> JsonObject:
    """`Dispute` as `viewer` sees it (None: an operator, who sees everything)."""
    role = "operator" if viewer is None else ("sender" if viewer == row.sender_id else "recipient")
    return {
        "id": str(row.id),
        "reference": row.reference,
        "status": row.status,
        "reason": row.reason,
        "note": row.note if role != "recipient" else None,
        "role": role,
        "transaction_id": str(row.transfer_id),
        "transaction_reference": row.transfer_reference,
        "amount": fmt(row.amount),
        "currency": row.currency,
        "sender": party_body(row.sender),
        "recipient": party_body(row.recipient),
        "resolution_note": row.resolution_note,
        "reversal_id": str(row.reversal_id) if row.reversal_id else None,
        "created_at": rfc3339(row.created_at),
        "resolved_at": rfc3339(row.resolved_at) if row.resolved_at else None,
    }


async def open_dispute(
    db: Database, *, settings: TransactionSettings, user_id: uuid.UUID, transfer_id: uuid.UUID, body: DisputeIn
) -> JsonObject:
    note = clean_note(body.note, settings)
    async with rawsql.transaction(db) as conn:
        original = await returns.of_user(conn, transfer_id, user_id)
        if original is None or original.incoming:
            raise TransferNotFound("no such transfer")
        if original.type != "transfer" or original.refund_of is not None:
            raise TransferNotDisputable("only a transfer you sent can be disputed; this is a refund or not a transfer")
        given = await returns.given(conn, transfer_id)
        if any(g.type == "reversal" for g in given):
            raise TransferNotDisputable("this transfer was already reversed")
        assert original.recipient is not None  # a transfer has both parties
        for _ in range(references.ATTEMPTS):
            try:
                dispute_id = await disputes.insert(
                    conn,
                    reference=references.new_reference(references.DISPUTE_PREFIX),
                    transfer_id=transfer_id,
                    sender_id=user_id,
                    recipient_id=uuid.UUID(original.recipient["user_id"]),
                    amount=original.amount,
                    currency=original.currency,
                    reason=body.reason,
                    note=note,
                )
            except UniqueViolationError as exc:  # the partial index: another open dispute
                raise DisputeAlreadyOpen("this transfer already has an open dispute") from exc
            if dispute_id is not None:
                break
        else:
            raise RuntimeError("could not draw a free dispute reference")
        row = await disputes.get(conn, dispute_id)
        assert row is not None
        await events.emit(conn, "dispute.opened", events.dispute_event(row))
    return dispute_body(row, viewer=user_id)


async def list_disputes(
    db: Database, *, viewer: uuid.UUID | None, status: str | None, limit: int, cursor: str | None
) -> JsonObject:
    """Either side's cases of `viewer`, or every case (an operator: `viewer` None); newest first."""
    query = DisputeFilter(user_id=viewer, status=status, before=page_cursor.decode(cursor) if cursor else None)
    async with rawsql.connection(db) as conn:
        rows = await disputes.page(conn, query, limit=limit + 1)
    page = rows[:limit]
    return page_body(
        [dispute_body(r, viewer=viewer) for r in page],
        page_cursor.encode(page[-1].created_at, page[-1].id) if len(rows) > limit else None,
    )


async def carry_out_resolution(
    conn: RawConnection, *, dispute_id: uuid.UUID, outcome: str, note: str, approved_by: uuid.UUID
) -> JsonObject:
    """Carries out an approved decision on an open dispute inside the caller's transaction.
    `reject`: status `rejected`. `reverse`: a `reversal` entry gives the sender back what the
    recipient still holds of the transfer (its amount less its refunds), status
    `resolved_reversed`. Raises 404 `not_found`, 409 `dispute_not_open`, 409
    `nothing_to_reverse` (refunded in full), 409 `reversal_insufficient_funds`; nothing is
    written then. Returns the resolved case as operators see it (the approval's `result`)."""
    if outcome not in ("reverse", "reject"):
        raise ValueError(f"unknown dispute outcome {outcome!r}")
    row = await disputes.lock(conn, dispute_id)
    if row is None:
        raise DisputeNotFound("no such dispute")
    if row.status != "open":
        raise DisputeNotOpen(f"this dispute is already {row.status}")
    reversal_id = None
    if outcome == "reverse":
        reversal_id = await _reverse(conn, row)
    await disputes.resolve(
        conn,
        dispute_id,
        status="resolved_reversed" if reversal_id else "rejected",
        note=note,
        resolved_by=approved_by,
        reversal_id=reversal_id,
    )
    resolved = await disputes.get(conn, dispute_id)
    assert resolved is not None
    await events.emit(conn, "dispute.resolved", events.dispute_event(resolved))
    return dispute_body(resolved, viewer=None)


async def require_open(conn: RawConnection, dispute_id: uuid.UUID) -> None:
    """At proposal time: a case that does not exist (404) or is closed (409) cannot be resolved,
    so the first admin learns it, not only the second."""
    row = await disputes.get(conn, dispute_id)
    if row is None:
        raise DisputeNotFound("no such dispute")
    if row.status != "open":
        raise DisputeNotOpen(f"this dispute is already {row.status}")


async def _reverse(conn: RawConnection, row: Dispute) -> uuid.UUID:
    # Same lock order as a refund (the original, then the wallets): a refund and a reversal of
    # one transfer are decided one after the other and never deadlock.
    original = await returns.lock(conn, row.transfer_id)
    amount = original.amount - await returns.returned(conn, row.transfer_id)
    if amount <= 0:
        raise NothingToReverse("the recipient already refunded this transfer in full; reject the dispute instead")
    wallets = await accounts.lock(conn, [row.recipient_id, row.sender_id])
    source, target = wallets.get(row.recipient_id), wallets.get(row.sender_id)
    if source is None or target is None:
        raise WalletNotFound("a party of the transfer has no wallet any more")
    if source.available < amount:
        raise ReversalInsufficientFunds(
            f"the recipient's available balance ({fmt(source.available)}) is below the {fmt(amount)} "
            f"{original.currency} to reverse",
            extra={"reversal_amount": fmt(amount), "available_balance": fmt(source.available)},
        )
    posted = await ledger.post_entry(
        conn,
        entry_type="reversal",
        amount=amount,
        sender=row.recipient,
        recipient=row.sender,
        reversal_of=row.transfer_id,
        legs=[Leg(source.id, -amount, row.sender_id), Leg(target.id, amount, row.recipient_id)],
    )
    await events.emit(
        conn,
        "transfer.reversed",
        events.transfer_reversed(
            reversal_id=posted.entry_id,
            reference=posted.reference,
            original=row.transfer_id,
            original_reference=original.reference,
            dispute_id=row.id,
            amount=amount,
            currency=original.currency,
            created_at=posted.created_at,
            sender=row.recipient,
            recipient=row.sender,
            sender_balance=posted.balances[source.id],
            recipient_balance=posted.balances[target.id],
        ),
    )
    return posted.entry_id
