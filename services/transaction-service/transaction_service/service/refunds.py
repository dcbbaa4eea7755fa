"""Refunds: the recipient of a transfer gives money back to its sender.

A refund is a transfer (`post_transfer`: the same wallet locks, frozen-wallet and phone checks,
limits, funds, reference and `transfer.completed` event) linked to the original by `refund_of`,
plus a `refund.created` event that tells both parties. What refunds (and a reversal) gave back never
exceeds the original's amount: the original's journal row is locked first (`FOR NO KEY UPDATE`),
then the sum already given back is read and the new refund posted in the same transaction, so
parallel refunds of one transfer are decided one after the other.
"""

import uuid
from decimal import Decimal

from instapay_common.db import rawsql
from instapay_common.db.rawsql import RawConnection
from transaction_service import events
from transaction_service.exceptions import RefundExceedsTransfer, TransferNotFound, TransferNotRefundable
from transaction_service.money import fmt
from transaction_service.repository import returns
from transaction_service.repository.returns import Original
from transaction_service.schemas import JsonObject, RefundIn, transfer_body
from transaction_service.service.checks import clean_note, needs_pin, require_verified_sender
from transaction_service.service.idempotency import Outcome, Work
from transaction_service.service.money_operation import MoneyContext, run_money_operation
from transaction_service.service.transfers import post_transfer


def ensure_refundable(original: Original | None) -> Original:
    """The caller's incoming transfer, or 404 (not theirs, or they sent it) / 422 (their top-up,
    withdrawal, refund or reversal: nothing a recipient gives back)."""
    if original is None or (original.type == "transfer" and not original.incoming):
        raise TransferNotFound("no such transfer")
    if original.type != "transfer" or original.refund_of is not None:
        kind = "a refund" if original.refund_of is not None else f"a {original.type}"
        raise TransferNotRefundable(f"this is {kind}; only a transfer you received can be refunded")
    return original


async def refund(ctx: MoneyContext, *, transfer_id: uuid.UUID, body: RefundIn) -> Outcome:
    settings, principal = ctx.settings, ctx.principal
    owner = uuid.UUID(principal.user_id)

    def request() -> dict[str, object]:
        return {
            "transfer_id": str(transfer_id),
            "amount": fmt(body.amount) if body.amount is not None else None,
            "note": clean_note(body.note, settings),
        }

    async def prepare() -> Work:
        note = clean_note(body.note, settings)  # valid: `request()` checked it
        async with rawsql.connection(ctx.db) as conn:  # 404/422 before the PIN: nothing to refund
            ensure_refundable(await returns.of_user(conn, transfer_id, owner))
        await require_verified_sender(ctx.db, owner)
        pin = needs_pin(principal, body.pin)
        if pin is not None:
            await ctx.peers.verify_pin(user_id=principal.user_id, pin=pin)

        async def work(conn: RawConnection) -> tuple[int, JsonObject]:
            original = await returns.lock(conn, transfer_id)
            left = original.amount - await returns.returned(conn, transfer_id)
            amount = body.amount if body.amount is not None else left
            if left <= 0 or amount > left:
                shown = fmt(left if left > 0 else Decimal(0))
                raise RefundExceedsTransfer(
                    f"{shown} {original.currency} of this transfer is left to refund",
                    extra={"refundable_amount": shown},
                )
            # A transfer has both parties; the refund goes the other way.
            assert original.sender is not None and original.recipient is not None
            made = await post_transfer(
                conn,
                settings=settings,
                sender=original.recipient,
                recipient=original.sender,
                amount=amount,
                note=note,
                refund_of=transfer_id,
            )
            await events.emit(
                conn, "refund.created", events.refund_created(made, original_reference=original.reference)
            )
            return 201, transfer_body(made)

        return work

    return await run_money_operation(
        ctx,
        kind="transfer",
        endpoint="transfer.refund",
        request=request,
        prepare=prepare,
        amount=body.amount,
        declines_before_writing=True,  # the refund's checks and post_transfer's all come before a write
    )
