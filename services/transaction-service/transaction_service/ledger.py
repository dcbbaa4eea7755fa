"""Posting journal entries: the only code that changes balances.

Locking: user wallets are locked with one `SELECT ... ORDER BY id FOR UPDATE`, so two transfers
in opposite directions take their locks in the same order and never deadlock. System (funding)
accounts are only touched by an UPDATE at the very end of a transaction, after every wallet lock,
so they are never held while waiting for anything else (they are hot: every top-up hits one).
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from transaction_service.config import TransactionSettings
from transaction_service.exceptions import AccountFrozen, InsufficientFunds, LimitExceeded
from transaction_service.limits import spent_so_far


@dataclass(frozen=True, slots=True)
class Leg:
    account_id: uuid.UUID
    amount: Decimal  # signed: + credits the account, - debits it
    counterparty_user_id: uuid.UUID | None = None


async def lock_wallets(session: AsyncSession, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    rows = (await session.execute(text(
        "SELECT id, user_id, balance, currency, status, spent_day, spent_day_date, spent_month, spent_month_start "
        "FROM ledger.accounts WHERE user_id = ANY(:ids) ORDER BY id FOR UPDATE"), {"ids": user_ids})).all()
    return {r.user_id: r for r in rows}


async def system_account_id(session: AsyncSession, code: str) -> uuid.UUID:
    return (await session.execute(text("SELECT id FROM ledger.accounts WHERE system_code = :c"),
                                  {"c": code})).scalar_one()


def ensure_active(account: Any, detail: str) -> None:
    if account.status != "active":
        raise AccountFrozen(detail)


def check_outgoing(account: Any, amount: Decimal, settings: TransactionSettings) -> dict[str, Any]:
    """Limits and funds for money leaving a wallet; returns the new spent counters."""
    spent = spent_so_far(account, settings)
    if spent.day + amount > settings.limit_daily:
        raise LimitExceeded(f"daily limit of {settings.limit_daily} EGP would be exceeded")
    if spent.month + amount > settings.limit_monthly:
        raise LimitExceeded(f"monthly limit of {settings.limit_monthly} EGP would be exceeded")
    if account.balance < amount:
        raise InsufficientFunds("the wallet balance is too low for this amount")
    return {"spent_day": spent.day + amount, "spent_day_date": spent.today,
            "spent_month": spent.month + amount, "spent_month_start": spent.month_start}


async def post_entry(session: AsyncSession, *, entry_type: str, amount: Decimal, legs: list[Leg],
                     note: str | None = None, sender: dict | None = None, recipient: dict | None = None,
                     payment_request_id: uuid.UUID | None = None, funding_type: str | None = None,
                     funding_reference: str | None = None, spent: dict[str, Any] | None = None,
                     spent_account: uuid.UUID | None = None) -> tuple[uuid.UUID, datetime, dict[uuid.UUID, Decimal]]:
    """Writes one balanced journal entry; returns (entry id, created_at, balance after per account).

    Legs must already be locked (wallets) or be system accounts (locked here, last).
    """
    entry_id = uuid.uuid4()
    created_at = (await session.execute(text(
        "INSERT INTO ledger.journal_entries (id, type, amount, note, sender, recipient, payment_request_id, "
        "funding_type, funding_reference) VALUES (:id, :t, :a, :n, CAST(:s AS jsonb), CAST(:r AS jsonb), :pr, "
        ":ft, :fr) RETURNING created_at"),
        {"id": entry_id, "t": entry_type, "a": amount, "n": note,
         "s": orjson.dumps(sender).decode() if sender else None,
         "r": orjson.dumps(recipient).decode() if recipient else None,
         "pr": payment_request_id, "ft": funding_type, "fr": funding_reference})).scalar_one()
    balances: dict[uuid.UUID, Decimal] = {}
    for leg in legs:
        params: dict[str, Any] = {"id": leg.account_id, "d": leg.amount}
        set_spent = ""
        if spent and leg.account_id == spent_account:
            set_spent = (", spent_day = :sd, spent_day_date = :sdd, spent_month = :sm, "
                         "spent_month_start = :sms")
            params.update(sd=spent["spent_day"], sdd=spent["spent_day_date"], sm=spent["spent_month"],
                          sms=spent["spent_month_start"])
        balances[leg.account_id] = (await session.execute(text(
            f"UPDATE ledger.accounts SET balance = balance + :d, updated_at = now(){set_spent} "  # noqa: S608
            "WHERE id = :id RETURNING balance"), params)).scalar_one()
    await session.execute(text(
        "INSERT INTO ledger.postings (entry_id, account_id, amount, balance_after, type, counterparty_user_id, "
        "created_at) VALUES (:e, :a, :amt, :b, :t, :cp, :c)"),
        [{"e": entry_id, "a": leg.account_id, "amt": leg.amount, "b": balances[leg.account_id], "t": entry_type,
          "cp": leg.counterparty_user_id, "c": created_at} for leg in legs])
    return entry_id, created_at, balances
