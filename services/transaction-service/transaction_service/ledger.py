"""Posting journal entries: the only code that changes balances.

Locking: user wallets are locked with one `SELECT ... ORDER BY id FOR UPDATE`, so two transfers
in opposite directions take their locks in the same order and never deadlock. System (funding)
accounts are only touched by an UPDATE at the very end of a transaction, after every wallet lock,
so they are never held while waiting for anything else (they are hot: every top-up hits one).

Every function here runs on the raw asyncpg connection of the caller's transaction
(`instapay_common.db.rawsql`): the money path's statements skip SQLAlchemy's execution layer.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

import orjson

from instapay_common.db.rawsql import RawConnection, Sql
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import AccountFrozen, InsufficientFunds, LimitExceeded
from transaction_service.limits import spent_so_far


@dataclass(frozen=True, slots=True)
class Leg:
    account_id: uuid.UUID
    amount: Decimal  # signed: + credits the account, - debits it
    counterparty_user_id: uuid.UUID | None = None


class Wallet(NamedTuple):
    """A locked wallet row (attribute access, as the limit and view helpers read accounts)."""

    id: uuid.UUID
    user_id: uuid.UUID
    balance: Decimal
    currency: str
    status: str
    spent_day: Decimal
    spent_day_date: Any
    spent_month: Decimal
    spent_month_start: Any


_LOCK_WALLETS = Sql(
    "SELECT id, user_id, balance, currency, status, spent_day, spent_day_date, spent_month, spent_month_start "
    "FROM ledger.accounts WHERE user_id = ANY(:ids) ORDER BY id FOR UPDATE"
)
_SYSTEM_ACCOUNT = Sql("SELECT id FROM ledger.accounts WHERE system_code = :c")


async def lock_wallets(conn: RawConnection, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, Wallet]:
    rows = await conn.fetch(_LOCK_WALLETS, ids=user_ids)
    return {r["user_id"]: Wallet(*r) for r in rows}


async def system_account_id(conn: RawConnection, code: str) -> uuid.UUID:
    account_id = await conn.fetchval(_SYSTEM_ACCOUNT, c=code)
    if account_id is None:  # seeded by migration 0001; missing means a broken database
        raise RuntimeError(f"system account {code!r} is missing")
    return account_id


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
    return {
        "spent_day": spent.day + amount,
        "spent_day_date": spent.today,
        "spent_month": spent.month + amount,
        "spent_month_start": spent.month_start,
    }


# One statement (one round trip while the wallet locks are held): the entry, every balance
# change, and the postings carrying each account's balance_after.
_POST_SQL = Sql("""
WITH entry AS (
    INSERT INTO ledger.journal_entries (id, type, amount, note, sender, recipient, payment_request_id,
                                        funding_type, funding_reference)
    VALUES (:id, :t, :a, :n, CAST(:s AS jsonb), CAST(:r AS jsonb), :pr, :ft, :fr)
    RETURNING id, created_at
), legs AS (
    SELECT * FROM jsonb_to_recordset(CAST(:legs AS jsonb))
        AS l(ord int, account_id uuid, amount numeric(20, 2), counterparty uuid)
), moved AS (
    UPDATE ledger.accounts a
    SET balance = a.balance + legs.amount, updated_at = now(),
        spent_day = CASE WHEN a.id = :spender THEN :sd ELSE a.spent_day END,
        spent_day_date = CASE WHEN a.id = :spender THEN :sdd ELSE a.spent_day_date END,
        spent_month = CASE WHEN a.id = :spender THEN :sm ELSE a.spent_month END,
        spent_month_start = CASE WHEN a.id = :spender THEN :sms ELSE a.spent_month_start END
    FROM legs WHERE a.id = legs.account_id
    RETURNING a.id, a.balance
), posted AS (
    INSERT INTO ledger.postings (entry_id, account_id, amount, balance_after, type, counterparty_user_id, created_at)
    SELECT entry.id, legs.account_id, legs.amount, moved.balance, :t, legs.counterparty, entry.created_at
    FROM legs JOIN moved ON moved.id = legs.account_id CROSS JOIN entry
    ORDER BY legs.ord
    RETURNING account_id, balance_after, created_at
)
SELECT account_id, balance_after, created_at FROM posted
""")


async def post_entry(
    conn: RawConnection,
    *,
    entry_type: str,
    amount: Decimal,
    legs: list[Leg],
    note: str | None = None,
    sender: dict | None = None,
    recipient: dict | None = None,
    payment_request_id: uuid.UUID | None = None,
    funding_type: str | None = None,
    funding_reference: str | None = None,
    spent: dict[str, Any] | None = None,
    spent_account: uuid.UUID | None = None,
) -> tuple[uuid.UUID, datetime, dict[uuid.UUID, Decimal]]:
    """Writes one balanced journal entry; returns (entry id, created_at, balance after per account).

    Wallet legs must already be locked by the caller; system accounts are locked here, last.
    """
    entry_id = uuid.uuid4()
    spent = spent or {}
    legs_json = [
        {
            "ord": i,
            "account_id": str(leg.account_id),
            "amount": str(leg.amount),
            "counterparty": str(leg.counterparty_user_id) if leg.counterparty_user_id else None,
        }
        for i, leg in enumerate(legs)
    ]
    rows = await conn.fetch(
        _POST_SQL,
        id=entry_id,
        t=entry_type,
        a=amount,
        n=note,
        s=orjson.dumps(sender).decode() if sender else None,
        r=orjson.dumps(recipient).decode() if recipient else None,
        pr=payment_request_id,
        ft=funding_type,
        fr=funding_reference,
        legs=orjson.dumps(legs_json).decode(),
        spender=spent_account,
        sd=spent.get("spent_day"),
        sdd=spent.get("spent_day_date"),
        sm=spent.get("spent_month"),
        sms=spent.get("spent_month_start"),
    )
    if len(rows) != len(legs):  # an account vanished between lock and write: refuse (rolls back)
        raise RuntimeError("journal entry legs do not match the accounts written")
    return entry_id, rows[0]["created_at"], {r["account_id"]: r["balance_after"] for r in rows}
