"""The funding sweeper (a periodic job): settles what no callback settled.

- A hold past its expiry: a withdrawal's payout is cancelled at the provider first (a payout
  already paid cannot be cancelled and is posted instead; a cancelled one can never be paid
  later, so releasing the hold cannot let money leave twice); a hold of anything else expires.
- A bank top-up pending for longer than `topup_inquiry_after`: the provider is asked how the
  charge ended (succeeded: credited; failed or unknown to it: failed).

Provider calls happen outside any database transaction; the outcome is applied like a callback.
"""

import uuid
from datetime import UTC, datetime, timedelta

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.logging import get_logger
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import FundingProviderError
from transaction_service.funding.provider import FundingProvider
from transaction_service.metrics import APPROVALS_PENDING, PENDING_HOLDS
from transaction_service.repository import accounts, approvals, funding_operations
from transaction_service.repository import holds as hold_rows
from transaction_service.service import funding_outcomes, holds

log = get_logger("funding_sweeper")
BATCH = 100


async def _expire_hold(
    db: Database, funding: FundingProvider, settings: TransactionSettings, hold_id: uuid.UUID
) -> None:
    async with rawsql.connection(db) as conn:
        op = await funding_operations.by_hold(conn, hold_id)
    if op is None:
        async with rawsql.transaction(db) as conn:
            hold = await hold_rows.get(conn, hold_id)
            if hold is not None:
                await accounts.lock_account(conn, hold.account_id)
                await holds.release(conn, hold_id, expired=True)
        return
    payout = await funding.cancel_payout(op.id)
    async with rawsql.transaction(db) as conn:
        wallet = (await accounts.lock(conn, [op.user_id]))[op.user_id]
        if payout.status == "paid":
            await funding_outcomes.complete(conn, op.id, wallet, provider_id=payout.provider_id)
        else:
            await funding_outcomes.fail(
                conn, op.id, wallet, reason="the payout was not confirmed in time", settings=settings, expired=True
            )


async def _inquire_topup(
    db: Database, funding: FundingProvider, settings: TransactionSettings, op_id: uuid.UUID
) -> None:
    charge = await funding.charge_status(op_id)
    if charge is not None and charge.status == "pending":
        return
    async with rawsql.connection(db) as conn:
        op = await funding_operations.get(conn, op_id)
    if op is None:
        return
    async with rawsql.transaction(db) as conn:
        wallet = (await accounts.lock(conn, [op.user_id]))[op.user_id]
        if charge is not None and charge.status == "succeeded":
            if charge.amount != op.amount:
                funding_outcomes.anomaly("amount_mismatch", op.id, f"charged {charge.amount}, ours is {op.amount}")
                return
            await funding_outcomes.complete(conn, op.id, wallet, provider_id=charge.provider_id)
        else:
            reason = charge.reason if charge is not None and charge.reason else "the provider has no such charge"
            await funding_outcomes.fail(conn, op.id, wallet, reason=reason, settings=settings)


async def sweep(db: Database, funding: FundingProvider, settings: TransactionSettings) -> int:
    """One pass; returns how many holds and operations it settled or looked at."""
    now = datetime.now(UTC)
    async with rawsql.connection(db) as conn:
        expired = await hold_rows.expired_ids(conn, now=now, limit=BATCH)
        stale = await funding_operations.pending_before(
            conn, kind="topup", before=now - timedelta(seconds=settings.topup_inquiry_after_seconds), limit=BATCH
        )
    for hold_id in expired:
        try:
            await _expire_hold(db, funding, settings, hold_id)
        except FundingProviderError as exc:  # the provider is down: the next pass tries again
            log.warning("hold_expiry_deferred", hold_id=str(hold_id), error=str(exc))
    for op_id in stale:
        try:
            await _inquire_topup(db, funding, settings, op_id)
        except FundingProviderError as exc:
            log.warning("topup_inquiry_deferred", operation_id=str(op_id), error=str(exc))
    async with rawsql.connection(db) as conn:
        PENDING_HOLDS.set(await hold_rows.pending_count(conn))
        APPROVALS_PENDING.set(await approvals.pending_count(conn))
    return len(expired) + len(stale)
