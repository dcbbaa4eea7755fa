"""Transfers between wallets: resolve, PIN, then one idempotent ledger transaction."""

import uuid
from decimal import Decimal

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.db.rawsql import RawConnection
from transaction_service import events
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import RecipientNotFound, SelfTransfer, TransferNotFound, WalletNotFound
from transaction_service.money import fmt
from transaction_service.parties import PartyRef
from transaction_service.repository import accounts, ledger
from transaction_service.repository.ledger import Leg, TransferEntry
from transaction_service.schemas import JsonObject, TransferIn, transfer_body
from transaction_service.service import payment_links
from transaction_service.service.checks import (
    check_outgoing,
    clean_note,
    ensure_active,
    ensure_phone_verified,
    ensure_recipient_verified,
    pin_and_parties,
)
from transaction_service.service.idempotency import Outcome, Work
from transaction_service.service.money_operation import MoneyContext, run_money_operation


async def post_transfer(
    conn: RawConnection,
    *,
    settings: TransactionSettings,
    sender: PartyRef,
    recipient: PartyRef,
    amount: Decimal,
    note: str | None,
    payment_request_id: uuid.UUID | None = None,
    payment_link_id: uuid.UUID | None = None,
    refund_of: uuid.UUID | None = None,
) -> TransferEntry:
    """Moves `amount` from sender to recipient inside the caller's transaction; returns the
    transfer. Every decline (no wallet, unverified phone, frozen, limits, funds) is raised
    before the first write. A refund is a transfer like any other, back to the original's sender
    (`refund_of`: the original): the same checks, limits and event."""
    sender_id, recipient_id = uuid.UUID(sender["user_id"]), uuid.UUID(recipient["user_id"])
    wallets = await accounts.lock(conn, [sender_id, recipient_id])
    source, target = wallets.get(sender_id), wallets.get(recipient_id)
    if source is None:
        raise WalletNotFound("you have no wallet")
    if target is None:
        raise RecipientNotFound("the recipient has no wallet")
    ensure_phone_verified(source)
    ensure_recipient_verified(target)
    ensure_active(source, "own")
    ensure_active(target, "recipient")
    spent = check_outgoing(source, amount, settings)
    posted = await ledger.post_entry(
        conn,
        entry_type="transfer",
        amount=amount,
        note=note,
        sender=sender,
        recipient=recipient,
        payment_request_id=payment_request_id,
        payment_link_id=payment_link_id,
        refund_of=refund_of,
        spent=spent,
        spent_account=source.id,
        legs=[Leg(source.id, -amount, recipient_id), Leg(target.id, amount, sender_id)],
    )
    transfer = TransferEntry(
        id=posted.entry_id,
        amount=amount,
        currency=source.currency,
        note=note,
        sender=sender,
        recipient=recipient,
        payment_request_id=payment_request_id,
        created_at=posted.created_at,
        payment_link_id=payment_link_id,
        reference=posted.reference,
        refund_of=refund_of,
    )
    await events.emit(
        conn,
        "transfer.completed",
        events.transfer_completed(
            transfer, sender_balance=posted.balances[source.id], recipient_balance=posted.balances[target.id]
        ),
    )
    return transfer


async def transfer(ctx: MoneyContext, body: TransferIn) -> Outcome:
    settings, principal, peers = ctx.settings, ctx.principal, ctx.peers

    def request() -> dict[str, object]:
        target = (
            {"recipient": body.recipient.strip().lower()}
            if body.recipient is not None
            else {"payment_link": (body.payment_link or "").strip()}
        )
        return {
            **target,
            "amount": fmt(body.amount),
            "currency": body.currency.upper(),
            "note": clean_note(body.note, settings),
        }

    async def prepare() -> Work:
        note = clean_note(body.note, settings)  # valid: `request()` checked it
        link = None
        if body.payment_link is not None:
            # Refused before the PIN: a link that cannot be paid needs no PIN to say so.
            link = await payment_links.payable_link(ctx.db, settings, body.payment_link)
            payment_links.check_link_amount(link, body.amount)
        address = link.handle if link is not None else (body.recipient or "").strip()
        recipient, sender = await pin_and_parties(peers, principal, body.pin, address)
        if link is not None:
            payment_links.ensure_link_recipient(link, recipient)
        if recipient["user_id"] == principal.user_id:
            raise SelfTransfer("sender and recipient are the same wallet")

        async def work(conn: RawConnection) -> tuple[int, JsonObject]:
            # The link is locked and checked again first (before any write): of two payments of a
            # single-use link, the second waits here and is refused once the first committed.
            paying = await payment_links.consume(conn, link.id, body.amount) if link is not None else None
            transfer = await post_transfer(
                conn,
                settings=settings,
                sender=sender,
                recipient=recipient,
                amount=body.amount,
                note=note,
                payment_link_id=paying.id if paying else None,
            )
            if paying is not None:
                await payment_links.mark_paid(conn, paying, transfer.id)
            return 201, transfer_body(transfer)

        return work

    return await run_money_operation(
        ctx,
        kind="transfer",
        endpoint="transfer",
        request=request,
        prepare=prepare,
        amount=body.amount,
        currency=body.currency,
        declines_before_writing=True,  # post_transfer raises every decline before it writes
        verified_sender=True,  # before the link, the PIN and the lookup: an unverified caller learns nothing
    )


async def get_transfer(db: Database, *, transfer_id: uuid.UUID, user_id: str) -> JsonObject:
    """Visible to its two sides only; anyone else gets 404 as if it did not exist."""
    async with rawsql.connection(db) as conn:
        entry = await ledger.transfer_for_party(conn, transfer_id, user_id)
    if entry is None:
        raise TransferNotFound("no such transfer")
    return transfer_body(entry)
