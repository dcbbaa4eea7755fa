"""Transfers between wallets: resolve, PIN, then one idempotent ledger transaction."""

import asyncio
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.db.database import Database
from instapay_common.db.rawsql import RawConnection
from instapay_common.security.tokens import Principal
from transaction_service import events
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import RecipientNotFound, SelfTransfer, TransferNotFound, WalletNotFound
from transaction_service.idempotency import Outcome, execute_once, find_stored, request_hash
from transaction_service.ledger import Leg, check_outgoing, ensure_active, lock_wallets, post_entry
from transaction_service.metrics import MONEY_MOVED
from transaction_service.money import fmt
from transaction_service.peers import Peers
from transaction_service.schemas import TransferIn
from transaction_service.validation import check_amount, check_currency, clean_note, needs_pin
from transaction_service.views import transfer_view


async def post_transfer(
    conn: RawConnection,
    *,
    settings: TransactionSettings,
    sender: dict[str, Any],
    recipient: dict[str, Any],
    amount: Decimal,
    note: str | None,
    payment_request_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """Moves `amount` from sender to recipient inside the caller's transaction; returns the transfer."""
    sender_id, recipient_id = uuid.UUID(sender["user_id"]), uuid.UUID(recipient["user_id"])
    wallets = await lock_wallets(conn, [sender_id, recipient_id])
    source, target = wallets.get(sender_id), wallets.get(recipient_id)
    if source is None:
        raise WalletNotFound("you have no wallet")
    if target is None:
        raise RecipientNotFound("the recipient has no wallet")
    ensure_active(source, "your wallet is frozen; contact support")
    ensure_active(target, "the recipient's wallet cannot receive money right now")
    spent = check_outgoing(source, amount, settings)
    entry_id, created_at, balances = await post_entry(
        conn,
        entry_type="transfer",
        amount=amount,
        note=note,
        sender=sender,
        recipient=recipient,
        payment_request_id=payment_request_id,
        spent=spent,
        spent_account=source.id,
        legs=[Leg(source.id, -amount, recipient_id), Leg(target.id, amount, sender_id)],
    )
    view = transfer_view(
        entry_id=entry_id,
        amount=amount,
        currency=source.currency,
        note=note,
        sender=sender,
        recipient=recipient,
        created_at=created_at,
        payment_request_id=payment_request_id,
    )
    await events.emit_raw(
        conn,
        "transfer.completed",
        {
            "transfer_id": view["id"],
            "amount": fmt(amount),
            "currency": source.currency,
            "note": note,
            "created_at": view["created_at"],
            "payment_request_id": view["payment_request_id"],
            "sender": {**sender, "balance_after": fmt(balances[source.id])},
            "recipient": {**recipient, "balance_after": fmt(balances[target.id])},
        },
    )
    return view


async def transfer(
    *, db: Database, peers: Peers, settings: TransactionSettings, principal: Principal, key: str, body: TransferIn
) -> Outcome:
    check_currency(body.currency)
    check_amount(body.amount, settings)
    note = clean_note(body.note, settings)
    owner = uuid.UUID(principal.user_id)
    hashed = request_hash(
        "transfer",
        {
            "recipient": body.recipient.strip().lower(),
            "amount": fmt(body.amount),
            "currency": body.currency.upper(),
            "note": note,
        },
    )
    stored = await find_stored(db, owner_id=owner, key=key, hashed=hashed)
    if stored is not None:
        return stored
    pin = needs_pin(principal, body.pin)
    # PIN check and the parties' lookup run side by side; a PIN refusal is raised before a lookup
    # error, so a wrong PIN never tells whether the recipient exists.
    pin_check = peers.verify_pin(user_id=principal.user_id, pin=pin) if pin is not None else asyncio.sleep(0)
    pin_result, lookup = await asyncio.gather(
        pin_check, peers.parties(body.recipient.strip(), principal.user_id), return_exceptions=True
    )
    for result in (pin_result, lookup):
        if isinstance(result, BaseException):
            raise result
    recipient, sender = lookup
    if recipient["user_id"] == principal.user_id:
        raise SelfTransfer("sender and recipient are the same wallet")

    async def work(conn: RawConnection) -> tuple[int, dict[str, Any]]:
        view = await post_transfer(
            conn, settings=settings, sender=sender, recipient=recipient, amount=body.amount, note=note
        )
        return 201, view

    # post_transfer raises its declines (frozen, funds, limits) before post_entry writes anything.
    outcome = await execute_once(
        db,
        owner_id=owner,
        key=key,
        hashed=hashed,
        wait_seconds=settings.idempotency_wait_seconds,
        work=work,
        declines_before_writing=True,
    )
    if outcome.status == 201 and not outcome.replayed:
        MONEY_MOVED.labels("transfer").inc(float(body.amount))
    return outcome


async def get_transfer(session: AsyncSession, *, transfer_id: uuid.UUID, user_id: str) -> dict[str, Any]:
    """Visible to its two sides only; anyone else gets 404 as if it did not exist."""
    row = (
        await session.execute(
            text(
                "SELECT id, amount, currency, note, sender, recipient, payment_request_id, created_at "
                "FROM ledger.journal_entries WHERE id = :id AND type = 'transfer' "
                "AND (sender->>'user_id' = :u OR recipient->>'user_id' = :u)"
            ),
            {"id": transfer_id, "u": user_id},
        )
    ).first()
    if row is None:
        raise TransferNotFound("no such transfer")
    return transfer_view(
        entry_id=row.id,
        amount=row.amount,
        currency=row.currency,
        note=row.note,
        sender=row.sender,
        recipient=row.recipient,
        created_at=row.created_at,
        payment_request_id=row.payment_request_id,
    )
