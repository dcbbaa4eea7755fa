"""Top-ups (money in from a card/bank) and withdrawals (money out to a bank) via the provider."""

import uuid
from typing import Any

from instapay_common.db.database import Database
from instapay_common.db.rawsql import RawConnection
from instapay_common.errors import DomainError
from instapay_common.security.tokens import Principal
from transaction_service import events
from transaction_service.accounts import SYSTEM_ACCOUNTS
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import WalletNotFound
from transaction_service.funding import FundingProvider
from transaction_service.idempotency import Outcome, execute_once, find_stored, request_hash
from transaction_service.ledger import (
    Leg,
    Wallet,
    check_outgoing,
    ensure_active,
    lock_wallets,
    post_entry,
    system_account_id,
)
from transaction_service.metrics import MONEY_MOVED
from transaction_service.money import fmt
from transaction_service.peers import Peers
from transaction_service.schemas import TopupIn, WithdrawalIn
from transaction_service.validation import check_amount, check_currency, needs_pin
from transaction_service.views import transaction_view


async def _locked_wallet(conn: RawConnection, user_id: uuid.UUID) -> Wallet:
    wallet = (await lock_wallets(conn, [user_id])).get(user_id)
    if wallet is None:
        raise WalletNotFound("you have no wallet")
    return wallet


async def _handle(peers: Peers, user_id: str) -> str | None:
    """For the event only (notifications address the user by handle): best effort."""
    try:
        return (await peers.profile(user_id)).get("handle")
    except DomainError:
        return None


async def topup(
    *,
    db: Database,
    peers: Peers,
    funding: FundingProvider,
    settings: TransactionSettings,
    principal: Principal,
    key: str,
    body: TopupIn,
) -> Outcome:
    check_currency(body.currency)
    check_amount(body.amount, settings)
    owner = uuid.UUID(principal.user_id)
    hashed = request_hash(
        "topup", {"amount": fmt(body.amount), "currency": body.currency.upper(), "source": body.source.model_dump()}
    )
    stored = await find_stored(db, owner_id=owner, key=key, hashed=hashed)
    if stored is not None:
        return stored
    handle = await _handle(peers, principal.user_id)

    async def work(conn: RawConnection) -> tuple[int, dict[str, Any]]:
        wallet = await _locked_wallet(conn, owner)
        ensure_active(wallet, "your wallet is frozen; contact support")
        system = await system_account_id(conn, SYSTEM_ACCOUNTS[body.source.type])
        # Charged while holding only the user's own row; a decline raises before any ledger write.
        result = await funding.charge(
            source_type=body.source.type,
            reference=body.source.reference,
            amount=body.amount,
            currency="EGP",
            operation_id=f"{owner}:{key}",
        )
        entry_id, created_at, balances = await post_entry(
            conn,
            entry_type="topup",
            amount=body.amount,
            funding_type=body.source.type,
            funding_reference=result.provider_reference,
            legs=[Leg(wallet.id, body.amount), Leg(system, -body.amount)],
        )
        view = transaction_view(
            entry_id=entry_id,
            entry_type="topup",
            signed_amount=body.amount,
            currency=wallet.currency,
            balance_after=balances[wallet.id],
            note=None,
            sender=None,
            recipient=None,
            created_at=created_at,
        )
        await events.emit_raw(
            conn,
            "topup.completed",
            {
                "transaction_id": view["id"],
                "user_id": principal.user_id,
                "handle": handle,
                "amount": view["amount"],
                "currency": view["currency"],
                "balance_after": view["balance_after"],
                "source_type": body.source.type,
                "created_at": view["created_at"],
            },
        )
        return 201, view

    outcome = await _run(db, owner, key, hashed, settings, work)
    if outcome.status == 201 and not outcome.replayed:
        MONEY_MOVED.labels("topup").inc(float(body.amount))
    return outcome


async def withdraw(
    *,
    db: Database,
    peers: Peers,
    funding: FundingProvider,
    settings: TransactionSettings,
    principal: Principal,
    key: str,
    body: WithdrawalIn,
) -> Outcome:
    check_currency(body.currency)
    check_amount(body.amount, settings)
    owner = uuid.UUID(principal.user_id)
    hashed = request_hash(
        "withdrawal",
        {"amount": fmt(body.amount), "currency": body.currency.upper(), "destination": body.destination.model_dump()},
    )
    stored = await find_stored(db, owner_id=owner, key=key, hashed=hashed)
    if stored is not None:
        return stored
    pin = needs_pin(principal, body.pin)
    if pin is not None:
        await peers.verify_pin(user_id=principal.user_id, pin=pin)
    handle = await _handle(peers, principal.user_id)

    async def work(conn: RawConnection) -> tuple[int, dict[str, Any]]:
        wallet = await _locked_wallet(conn, owner)
        ensure_active(wallet, "your wallet is frozen; contact support")
        spent = check_outgoing(wallet, body.amount, settings)
        system = await system_account_id(conn, SYSTEM_ACCOUNTS["bank"])
        # Paid out under the wallet lock, after the checks and before the ledger write, inside the
        # transaction: a decline/failure writes nothing (the hot system row is not held meanwhile).
        result = await funding.payout(
            destination_type="bank",
            reference=body.destination.reference,
            amount=body.amount,
            currency="EGP",
            operation_id=f"{owner}:{key}",
        )
        entry_id, created_at, balances = await post_entry(
            conn,
            entry_type="withdrawal",
            amount=body.amount,
            funding_type="bank",
            funding_reference=result.provider_reference,
            spent=spent,
            spent_account=wallet.id,
            legs=[Leg(wallet.id, -body.amount), Leg(system, body.amount)],
        )
        view = transaction_view(
            entry_id=entry_id,
            entry_type="withdrawal",
            signed_amount=-body.amount,
            currency=wallet.currency,
            balance_after=balances[wallet.id],
            note=None,
            sender=None,
            recipient=None,
            created_at=created_at,
        )
        await events.emit_raw(
            conn,
            "withdrawal.completed",
            {
                "transaction_id": view["id"],
                "user_id": principal.user_id,
                "handle": handle,
                "amount": view["amount"],
                "currency": view["currency"],
                "balance_after": view["balance_after"],
                "destination_type": "bank",
                "created_at": view["created_at"],
            },
        )
        return 201, view

    outcome = await _run(db, owner, key, hashed, settings, work)
    if outcome.status == 201 and not outcome.replayed:
        MONEY_MOVED.labels("withdrawal").inc(float(body.amount))
    return outcome


async def _run(
    db: Database, owner: uuid.UUID, key: str, hashed: str, settings: TransactionSettings, work: Any
) -> Outcome:
    return await execute_once(
        db, owner_id=owner, key=key, hashed=hashed, wait_seconds=settings.idempotency_wait_seconds, work=work
    )
