"""Wallets: creation and compensation for registration, reads, admin freeze and limit changes
(carried out by an approved approval, service.approvals)."""

import uuid
from decimal import Decimal

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.db.rawsql import RawConnection
from instapay_common.errors import ValidationFailed
from transaction_service import events
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import WalletHasPostings, WalletNotFound
from transaction_service.repository import accounts
from transaction_service.repository.accounts import Wallet


async def get_wallet(db: Database, *, user_id: uuid.UUID) -> Wallet:
    async with rawsql.connection(db) as conn:
        wallet = await accounts.get(conn, user_id)
    if wallet is None:
        raise WalletNotFound("no wallet for this user")
    return wallet


async def create_wallet(db: Database, *, user_id: uuid.UUID) -> tuple[Wallet, bool]:
    """Idempotent: (the user's wallet, whether this call created it)."""
    async with rawsql.transaction(db) as conn:
        wallet = await accounts.create(conn, user_id)
        if wallet is not None:
            return wallet, True
        existing = await accounts.get(conn, user_id)
    if existing is None:  # the conflicting wallet was deleted meanwhile (a compensation)
        raise WalletNotFound("no wallet for this user")
    return existing, False


async def delete_wallet(db: Database, *, user_id: uuid.UUID) -> None:
    """Compensation when a registration fails later: only a wallet that never moved money (409
    otherwise); no wallet is fine (idempotent)."""
    async with rawsql.transaction(db) as conn:
        account_id = await accounts.lock_id(conn, user_id)
        if account_id is None:
            return
        if await accounts.has_postings(conn, account_id):
            raise WalletHasPostings()
        await accounts.delete(conn, account_id)


async def set_phone_verified(db: Database, *, user_id: uuid.UUID, verified: bool) -> None:
    """The auth service's word on the owner's phone (idempotent)."""
    async with rawsql.connection(db) as conn:
        if not await accounts.set_phone_verified(conn, user_id, verified=verified):
            raise WalletNotFound("no wallet for this user")


async def count_wallets(db: Database) -> int:
    async with rawsql.connection(db) as conn:
        return await accounts.count_user_wallets(conn)


async def admin_view(db: Database, *, user_id: uuid.UUID) -> tuple[Wallet, accounts.FreezeState]:
    """The wallet and why and since when it is frozen, for the operators' console."""
    async with rawsql.connection(db) as conn:
        wallet = await accounts.get(conn, user_id)
        state = await accounts.freeze_state(conn, user_id)
    if wallet is None or state is None:
        raise WalletNotFound("no wallet for this user")
    return wallet, state


async def wallet_exists(conn: RawConnection, user_id: uuid.UUID) -> None:
    """404 `wallet_not_found` unless the user has a wallet (checked when a freeze is proposed)."""
    if await accounts.get(conn, user_id) is None:
        raise WalletNotFound("no wallet for this user")


async def apply_frozen(conn: RawConnection, *, user_id: uuid.UUID, frozen: bool, reason: str | None) -> Wallet:
    """Freezes (every movement in or out refused) or unfreezes, in the caller's transaction (an
    approved approval's: service.approvals audits it). A change of status also emits
    `wallet.frozen` (with the reason, which the owner is told) or `wallet.unfrozen`, so the owner
    hears of it exactly once per change; freezing a frozen wallet again (a new reason) tells
    nobody twice."""
    before = (await accounts.lock(conn, [user_id])).get(user_id)
    if before is None:
        raise WalletNotFound("no wallet for this user")
    status = "frozen" if frozen else "active"
    wallet = await accounts.set_status(conn, user_id, status=status, reason=reason if frozen else None)
    if wallet is None:  # unreachable under the row lock (a wallet is deleted only under it)
        raise WalletNotFound("no wallet for this user")
    if before.status != status:
        kind = "wallet.frozen" if frozen else "wallet.unfrozen"
        await events.emit(conn, kind, events.wallet_status(user_id=user_id, reason=reason if frozen else None))
    return wallet


def limit_change_payload(changes: dict[str, Decimal | None], settings: TransactionSettings) -> dict[str, str | None]:
    """The approval payload of a limit change (money as strings; a null restores the default),
    after refusing a limit above its configured ceiling (422 `validation_error`, per field)."""
    ceilings = {
        "per_transaction": settings.limit_ceiling_per_transaction,
        "daily": settings.limit_ceiling_daily,
        "monthly": settings.limit_ceiling_monthly,
    }
    errors = [
        {"field": name, "message": f"must not exceed {ceilings[name]}"}
        for name, value in changes.items()
        if value is not None and value > ceilings[name]
    ]
    if errors:
        raise ValidationFailed("a limit is above the highest one a wallet may have", errors=errors)
    return {name: None if value is None else str(value) for name, value in changes.items()}


async def apply_limits(conn: RawConnection, *, user_id: uuid.UUID, payload: dict[str, object]) -> Wallet:
    """Sets the limit overrides an approved `wallet.limits` names, in the approving transaction."""
    overrides = {
        name: None if payload[name] is None else Decimal(str(payload[name]))
        for name in accounts.LIMIT_FIELDS
        if name in payload
    }
    wallet = await accounts.set_limits(conn, user_id, overrides)
    if wallet is None:
        raise WalletNotFound("no wallet for this user")
    return wallet
