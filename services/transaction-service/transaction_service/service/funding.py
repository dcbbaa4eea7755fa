"""Top-ups (money in from a card/bank) and withdrawals (money out to a bank) via the provider.

The provider is called inside the ledger transaction, under the wallet's row lock and after the
checks, and before the ledger write: a decline or failure writes nothing, and the hot system
(funding) account row is not held meanwhile (`ledger.post_entry` touches it last)."""

import uuid
from decimal import Decimal

from instapay_common.db.rawsql import RawConnection
from instapay_common.errors import DomainError
from transaction_service import events
from transaction_service.exceptions import WalletNotFound
from transaction_service.funding_provider import FundingProvider
from transaction_service.money import fmt
from transaction_service.peers import Peers
from transaction_service.repository import accounts, ledger
from transaction_service.repository.accounts import SYSTEM_ACCOUNTS, Wallet
from transaction_service.repository.ledger import Leg, Posted
from transaction_service.schemas import JsonObject, TopupIn, WithdrawalIn, transaction_body
from transaction_service.service.checks import check_outgoing, ensure_active, needs_pin
from transaction_service.service.idempotency import Outcome, Work
from transaction_service.service.money_operation import MoneyContext, run_money_operation


async def _locked_active_wallet(conn: RawConnection, user_id: uuid.UUID) -> Wallet:
    wallet = (await accounts.lock(conn, [user_id])).get(user_id)
    if wallet is None:
        raise WalletNotFound("you have no wallet")
    ensure_active(wallet, "your wallet is frozen; contact support")
    return wallet


async def _handle(peers: Peers, user_id: str) -> str | None:
    """For the event only (notifications address the user by handle): best effort."""
    try:
        return (await peers.profile(user_id))["handle"]
    except DomainError:
        return None


def _history_row(entry_type: str, signed_amount: Decimal, wallet: Wallet, posted: Posted) -> JsonObject:
    return transaction_body(
        entry_id=posted.entry_id,
        entry_type=entry_type,
        signed_amount=signed_amount,
        currency=wallet.currency,
        balance_after=posted.balances[wallet.id],
        note=None,
        sender=None,
        recipient=None,
        created_at=posted.created_at,
    )


async def topup(ctx: MoneyContext, funding: FundingProvider, body: TopupIn) -> Outcome:
    principal, peers, key = ctx.principal, ctx.peers, ctx.key
    owner = uuid.UUID(principal.user_id)

    async def prepare() -> Work:
        handle = await _handle(peers, principal.user_id)

        async def work(conn: RawConnection) -> tuple[int, JsonObject]:
            wallet = await _locked_active_wallet(conn, owner)
            system = await accounts.system_account_id(conn, SYSTEM_ACCOUNTS[body.source.type])
            # Charged while holding only the user's own row; a decline raises before any ledger write.
            result = await funding.charge(
                source_type=body.source.type,
                reference=body.source.reference,
                amount=body.amount,
                currency="EGP",
                operation_id=f"{owner}:{key}",
            )
            posted = await ledger.post_entry(
                conn,
                entry_type="topup",
                amount=body.amount,
                funding_type=body.source.type,
                funding_reference=result.provider_reference,
                legs=[Leg(wallet.id, body.amount), Leg(system, -body.amount)],
            )
            row = _history_row("topup", body.amount, wallet, posted)
            await events.emit(
                conn,
                "topup.completed",
                events.funding_completed(
                    row, user_id=principal.user_id, handle=handle, funding={"source_type": body.source.type}
                ),
            )
            return 201, row

        return work

    return await run_money_operation(
        ctx,
        kind="topup",
        endpoint="topup",
        request=lambda: {
            "amount": fmt(body.amount),
            "currency": body.currency.upper(),
            "source": body.source.model_dump(),
        },
        prepare=prepare,
        amount=body.amount,
        currency=body.currency,
    )


async def withdraw(ctx: MoneyContext, funding: FundingProvider, body: WithdrawalIn) -> Outcome:
    settings, principal, peers, key = ctx.settings, ctx.principal, ctx.peers, ctx.key
    owner = uuid.UUID(principal.user_id)

    async def prepare() -> Work:
        pin = needs_pin(principal, body.pin)
        if pin is not None:
            await peers.verify_pin(user_id=principal.user_id, pin=pin)
        handle = await _handle(peers, principal.user_id)

        async def work(conn: RawConnection) -> tuple[int, JsonObject]:
            wallet = await _locked_active_wallet(conn, owner)
            spent = check_outgoing(wallet, body.amount, settings)
            system = await accounts.system_account_id(conn, SYSTEM_ACCOUNTS["bank"])
            result = await funding.payout(
                destination_type="bank",
                reference=body.destination.reference,
                amount=body.amount,
                currency="EGP",
                operation_id=f"{owner}:{key}",
            )
            posted = await ledger.post_entry(
                conn,
                entry_type="withdrawal",
                amount=body.amount,
                funding_type="bank",
                funding_reference=result.provider_reference,
                spent=spent,
                spent_account=wallet.id,
                legs=[Leg(wallet.id, -body.amount), Leg(system, body.amount)],
            )
            row = _history_row("withdrawal", -body.amount, wallet, posted)
            await events.emit(
                conn,
                "withdrawal.completed",
                events.funding_completed(
                    row, user_id=principal.user_id, handle=handle, funding={"destination_type": "bank"}
                ),
            )
            return 201, row

        return work

    return await run_money_operation(
        ctx,
        kind="withdrawal",
        endpoint="withdrawal",
        request=lambda: {
            "amount": fmt(body.amount),
            "currency": body.currency.upper(),
            "destination": body.destination.model_dump(),
        },
        prepare=prepare,
        amount=body.amount,
        currency=body.currency,
    )
