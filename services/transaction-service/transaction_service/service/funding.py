"""Top-ups (money in from a card or bank account) and withdrawals (money out to a bank account).

Top-up: the provider is asked to charge under our operation id, while only the user's own wallet
row is locked (the top-up limits are checked under that lock, so they hold under concurrency). A
saved card is captured at once (201 `completed`); a bank debit answers 202 `pending` and completes
on the provider's signed callback. If our transaction fails after a capture, the provider's
`charge.succeeded` callback (sent for every charge) records and credits it, and a retry with the
same Idempotency-Key finds it: a charge is credited once.

Withdrawal: two-phase. The request only places a hold on the available balance and writes the
operation and a `withdrawal.requested` event (201 `pending`); the payout is requested from the
provider by the payout submitter when the outbox relay delivers that event, never inside a
database transaction; the provider's callback posts the hold (`completed`) or releases it
(`failed`). See service/payouts.py and service/funding_callbacks.py.
"""

import uuid
from decimal import Decimal
from typing import Any

from instapay_common.db.rawsql import RawConnection
from instapay_common.errors import DomainError
from transaction_service import events
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import FundingDeclined, FundingProviderError, LimitExceeded, WalletNotFound
from transaction_service.funding.provider import FundingProvider
from transaction_service.money import fmt
from transaction_service.peers import Peers
from transaction_service.repository import accounts, funding_operations
from transaction_service.repository.accounts import Wallet
from transaction_service.repository.funding_operations import FundingOperation, NewOperation
from transaction_service.schemas import JsonObject, TopupIn, WithdrawalIn, rfc3339
from transaction_service.service import funding_outcomes, holds
from transaction_service.service.checks import (
    check_outgoing,
    ensure_active,
    ensure_phone_verified,
    needs_pin,
)
from transaction_service.service.idempotency import Outcome, Work
from transaction_service.service.limits import period_starts
from transaction_service.service.money_operation import MoneyContext, run_money_operation

# Operation ids derive from (kind, user, Idempotency-Key): a retry after a lost answer asks the
# provider under the same idempotency key and finds the operation a callback may have recorded.
_OPERATION_IDS = uuid.UUID("5d0c3a52-8f1e-4a57-9d36-3f2b6c1e0a01")


def operation_id(kind: str, owner: uuid.UUID, key: str) -> uuid.UUID:
    return uuid.uuid5(_OPERATION_IDS, f"{kind}:{owner}:{key}")


async def _locked_active_wallet(conn: RawConnection, user_id: uuid.UUID) -> Wallet:
    wallet = (await accounts.lock(conn, [user_id])).get(user_id)
    if wallet is None:
        raise WalletNotFound("you have no wallet")
    ensure_phone_verified(wallet)
    ensure_active(wallet, "own")
    return wallet


async def _handle(peers: Peers, user_id: str) -> str | None:
    """For the event only (notifications address the user by handle): best effort."""
    try:
        return (await peers.profile(user_id))["handle"]
    except DomainError:
        return None


async def _check_topup_limits(
    conn: RawConnection, wallet: Wallet, amount: Decimal, settings: TransactionSettings
) -> None:
    day_start, month_start = period_starts(settings)
    day, month = await funding_operations.topped_up(conn, wallet.id, day_start=day_start, month_start=month_start)
    if day + amount > settings.topup_limit_daily:
        raise LimitExceeded(f"the daily top-up limit of {settings.topup_limit_daily} EGP would be exceeded")
    if month + amount > settings.topup_limit_monthly:
        raise LimitExceeded(f"the monthly top-up limit of {settings.topup_limit_monthly} EGP would be exceeded")


def _operation(op_id: uuid.UUID, wallet: Wallet, **fields: Any) -> NewOperation:
    """The operation of the wallet's owner, on the wallet's account."""
    return NewOperation(id=op_id, user_id=wallet.user_id, account_id=wallet.id, **fields)


def _answer(op: FundingOperation, wallet: Wallet) -> tuple[int, JsonObject]:
    """The answer for an operation recorded earlier (by a callback, after a lost answer)."""
    return (201 if op.status != "pending" or op.kind == "withdrawal" else 202), funding_outcomes.operation_body(
        op, balance_after=wallet.balance
    )


async def topup(ctx: MoneyContext, funding: FundingProvider, body: TopupIn) -> Outcome:
    principal, peers, settings = ctx.principal, ctx.peers, ctx.settings
    owner = uuid.UUID(principal.user_id)
    op_id = operation_id("topup", owner, ctx.key)

    async def prepare() -> Work:
        handle = await _handle(peers, principal.user_id)

        async def work(conn: RawConnection) -> tuple[int, JsonObject]:
            wallet = await _locked_active_wallet(conn, owner)
            existing = await funding_operations.get(conn, op_id)
            if existing is not None:
                return _answer(existing, wallet)
            await _check_topup_limits(conn, wallet, body.amount, settings)
            charge = await funding.charge(
                operation_id=op_id,
                source_type=body.source.type,
                reference=body.source.reference,
                amount=body.amount,
                currency="EGP",
                metadata={"user_id": str(owner), "kind": "topup", "method": body.source.type},
            )
            if charge.status == "failed":
                raise FundingDeclined(f"the funding provider declined: {(charge.reason or 'declined')[:100]}")
            if charge.amount != body.amount:
                raise FundingProviderError("the funding provider answered another amount; nothing was credited")
            op = await funding_operations.insert(
                conn,
                _operation(
                    op_id,
                    wallet,
                    kind="topup",
                    method=body.source.type,
                    reference=body.source.reference,
                    amount=body.amount,
                    provider=funding.name,
                    handle=handle,
                    provider_id=charge.provider_id,
                ),
            )
            if op is None:  # a callback recorded it while we were asking (it waited for our lock)
                raise FundingProviderError("the top-up is being recorded; retry with the same Idempotency-Key")
            if charge.status == "succeeded":
                row = await funding_outcomes.complete(conn, op.id, wallet, provider_id=charge.provider_id)
                assert row is not None  # inserted pending just now, under the wallet lock
                return 201, row
            return 202, funding_outcomes.operation_body(op, balance_after=wallet.balance)

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
    settings, principal, peers = ctx.settings, ctx.principal, ctx.peers
    owner = uuid.UUID(principal.user_id)
    op_id = operation_id("withdrawal", owner, ctx.key)

    async def prepare() -> Work:
        pin = needs_pin(principal, body.pin)
        if pin is not None:
            await peers.verify_pin(user_id=principal.user_id, pin=pin)
        handle = await _handle(peers, principal.user_id)

        async def work(conn: RawConnection) -> tuple[int, JsonObject]:
            wallet = await _locked_active_wallet(conn, owner)
            spent = check_outgoing(wallet, body.amount, settings)
            hold = await holds.place(conn, wallet, body.amount, reason="withdrawal", ttl=settings.withdrawal_hold_ttl)
            await accounts.set_spent(
                conn,
                wallet.id,
                day=spent.day,
                day_date=spent.day_date,
                month=spent.month,
                month_start=spent.month_start,
            )
            op = await funding_operations.insert(
                conn,
                _operation(
                    op_id,
                    wallet,
                    kind="withdrawal",
                    method="bank",
                    reference=body.destination.reference,
                    amount=body.amount,
                    provider=funding.name,
                    handle=handle,
                    hold_id=hold.id,
                ),
            )
            if op is None:  # the operation id is derived from this key, which runs once
                raise RuntimeError(f"withdrawal {op_id} exists already")
            await events.emit(
                conn,
                "withdrawal.requested",
                {
                    "transaction_id": str(op.id),
                    "reference": op.txn_reference,
                    "user_id": str(owner),
                    "amount": fmt(op.amount),
                    "currency": op.currency,
                    "created_at": rfc3339(op.created_at),
                },
            )
            return 201, funding_outcomes.operation_body(op, balance_after=wallet.balance)

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
        verified_sender=True,  # before the PIN, so it costs no PIN try
    )
