"""Holds: two-phase movements of money out of a wallet (TigerBeetle's pending transfers, Blnk's
inflight transactions). `place` reserves part of the available balance; the hold is later
`post`ed (the money leaves by a journal entry), `release`d, or expired by the sweeper.

Every function runs inside the caller's transaction, with the wallet row-locked
(`accounts.lock`): the `held` total and the hold change together, and the database refuses a
user account whose available balance (balance - held) would go below zero.
"""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from instapay_common.db.rawsql import RawConnection
from transaction_service.exceptions import InsufficientFunds
from transaction_service.repository import accounts, holds, ledger
from transaction_service.repository.accounts import Wallet
from transaction_service.repository.holds import Hold
from transaction_service.repository.ledger import Leg, Posted


async def place(conn: RawConnection, wallet: Wallet, amount: Decimal, *, reason: str, ttl: timedelta) -> Hold:
    """Reserves `amount` of the locked wallet's available balance until `ttl` from now."""
    if wallet.available < amount:
        raise InsufficientFunds("the wallet's available balance is too low for this amount")
    await accounts.add_held(conn, wallet.id, amount)
    return await holds.insert(
        conn, account_id=wallet.id, amount=amount, reason=reason, expires_at=datetime.now(UTC) + ttl
    )


async def post(
    conn: RawConnection,
    hold_id: uuid.UUID,
    *,
    counter_account: uuid.UUID,
    entry_type: str,
    entry_id: uuid.UUID,
    funding_type: str | None = None,
    funding_reference: str | None = None,
) -> Posted | None:
    """Moves the held money to `counter_account` in one journal entry (id `entry_id`); None if the
    hold was no longer pending (posted, released or expired before)."""
    hold = await holds.resolve(conn, hold_id, status="posted", entry_id=entry_id)
    if hold is None:
        return None
    # The hold goes before the balance: the CHECK on balance - held never sees a transient negative.
    await accounts.add_held(conn, hold.account_id, -hold.amount)
    return await ledger.post_entry(
        conn,
        entry_type=entry_type,
        amount=hold.amount,
        funding_type=funding_type,
        funding_reference=funding_reference,
        legs=[Leg(hold.account_id, -hold.amount), Leg(counter_account, hold.amount)],
        entry_id=entry_id,
        new_reference=False,  # a hold's entry is its funding operation's, registered when it began
    )


async def release(conn: RawConnection, hold_id: uuid.UUID, *, expired: bool = False) -> Hold | None:
    """Gives the held money back to the available balance (status `released`, or `expired`);
    None if the hold was no longer pending."""
    hold = await holds.resolve(conn, hold_id, status="expired" if expired else "released", entry_id=None)
    if hold is not None:
        await accounts.add_held(conn, hold.account_id, -hold.amount)
    return hold
