"""Wallet accounts: creation/compensation for registration, reads, admin freeze."""

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from transaction_service.config import TransactionSettings
from transaction_service.exceptions import WalletHasPostings, WalletNotFound
from transaction_service.limits import limits_view
from transaction_service.money import fmt

# A fixed column list (no user input) shared by the queries below.
ACCOUNT_COLUMNS = (
    "id, user_id, kind, currency, balance, status, frozen_reason, spent_day, spent_day_date, "
    "spent_month, spent_month_start, created_at"
)

SYSTEM_ACCOUNTS = {"card": "funding:card", "bank": "funding:bank"}


def wallet_view(account: Any, settings: TransactionSettings) -> dict[str, Any]:
    limits = {k: fmt(v) for k, v in limits_view(account, settings).items()}
    return {
        "account_id": str(account.id),
        "user_id": str(account.user_id),
        "balance": fmt(account.balance),
        "currency": account.currency,
        "status": account.status,
        "limits": limits,
    }


async def get_wallet(session: AsyncSession, *, user_id: uuid.UUID) -> Any:
    row = (
        await session.execute(
            text(f"SELECT {ACCOUNT_COLUMNS} FROM ledger.accounts WHERE user_id = :u"),  # noqa: S608
            {"u": user_id},
        )
    ).first()
    if row is None:
        raise WalletNotFound("no wallet for this user")
    return row


async def create_wallet(session: AsyncSession, *, user_id: uuid.UUID) -> tuple[Any, bool]:
    """Idempotent: returns (account, created)."""
    row = (
        await session.execute(
            text(
                f"INSERT INTO ledger.accounts (id, user_id, kind) VALUES (:id, :u, 'user') "  # noqa: S608
                f"ON CONFLICT (user_id) DO NOTHING RETURNING {ACCOUNT_COLUMNS}"
            ),
            {"id": uuid.uuid4(), "u": user_id},
        )
    ).first()
    if row is not None:
        return row, True
    return await get_wallet(session, user_id=user_id), False


async def delete_wallet(session: AsyncSession, *, user_id: uuid.UUID) -> None:
    """Compensation when a registration fails later: only a wallet that never moved money."""
    row = (
        await session.execute(text("SELECT id FROM ledger.accounts WHERE user_id = :u FOR UPDATE"), {"u": user_id})
    ).first()
    if row is None:
        return
    used = (
        await session.execute(text("SELECT 1 FROM ledger.postings WHERE account_id = :a LIMIT 1"), {"a": row.id})
    ).first()
    if used is not None:
        raise WalletHasPostings()
    await session.execute(text("DELETE FROM ledger.accounts WHERE id = :a"), {"a": row.id})


async def count_wallets(session: AsyncSession) -> int:
    return int((await session.execute(text("SELECT count(*) FROM ledger.accounts WHERE kind = 'user'"))).scalar_one())


async def set_frozen(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    actor_id: uuid.UUID,
    frozen: bool,
    reason: str | None,
    request_id: str | None,
) -> Any:
    row = (
        await session.execute(
            text(
                f"UPDATE ledger.accounts SET status = :s, frozen_reason = :r, updated_at = now() "  # noqa: S608
                f"WHERE user_id = :u RETURNING {ACCOUNT_COLUMNS}"
            ),
            {"s": "frozen" if frozen else "active", "r": reason if frozen else None, "u": user_id},
        )
    ).first()
    if row is None:
        raise WalletNotFound("no wallet for this user")
    await session.execute(
        text(
            "INSERT INTO ledger.admin_audit_log (actor_user_id, action, target_user_id, reason, request_id) "
            "VALUES (:a, :act, :t, :r, :rid)"
        ),
        {
            "a": actor_id,
            "act": "wallet.freeze" if frozen else "wallet.unfreeze",
            "t": user_id,
            "r": reason,
            "rid": request_id,
        },
    )
    return row
