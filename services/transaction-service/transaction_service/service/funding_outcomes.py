"""How a funding operation ends, whoever learns it first: the request itself (a card captured at
once), a provider callback, the payout submitter (a payout refused at once) or the sweeper (a
status inquiry, an expired hold).

Each function runs in the caller's transaction with the wallet row-locked, and changes only an
operation that is still `pending` (`funding_operations.finish` returns None otherwise): the first
outcome wins, and a duplicate or late one changes nothing, so money moves exactly once.
"""

import uuid
from decimal import Decimal

from instapay_common.db.rawsql import RawConnection
from instapay_common.logging import get_logger
from transaction_service import events
from transaction_service.config import TransactionSettings
from transaction_service.metrics import FUNDING_ANOMALIES, FUNDING_OUTCOMES, MONEY_MOVED
from transaction_service.repository import accounts, funding_operations, ledger
from transaction_service.repository.accounts import SYSTEM_ACCOUNTS, Wallet
from transaction_service.repository.funding_operations import FundingOperation
from transaction_service.repository.ledger import Leg
from transaction_service.schemas import JsonObject, funding_source_body, transaction_body
from transaction_service.service import holds
from transaction_service.service.limits import given_back

log = get_logger("funding")


def operation_body(op: FundingOperation, *, balance_after: Decimal) -> JsonObject:
    """The `Transaction` of an operation that has no posting (pending or failed)."""
    return transaction_body(
        entry_id=op.id,
        entry_type=op.kind,
        signed_amount=op.amount if op.kind == "topup" else -op.amount,
        currency=op.currency,
        balance_after=balance_after,
        note=None,
        sender=None,
        recipient=None,
        created_at=op.created_at,
        status=op.status,
        funding_source=funding_source_body(op.method, op.reference),
        reference=op.txn_reference,
    )


def _event(row: JsonObject, op: FundingOperation, *, reason: str | None = None) -> JsonObject:
    side = {"source_type": op.method} if op.kind == "topup" else {"destination_type": op.method}
    data = events.funding_completed(row, user_id=str(op.user_id), handle=op.handle, funding=side)
    if reason is not None:
        data["reason"] = reason
    return data


async def complete(
    conn: RawConnection, op_id: uuid.UUID, wallet: Wallet, *, provider_id: str | None
) -> JsonObject | None:
    """Posts a pending operation: a top-up credits the wallet, a withdrawal posts its hold. The
    journal entry takes the operation's id. Returns the history row, or None if not pending."""
    op = await funding_operations.finish(conn, op_id, status="completed", provider_id=provider_id)
    if op is None:
        return None
    system = await accounts.system_account_id(conn, SYSTEM_ACCOUNTS[op.method])
    if op.kind == "topup":
        posted = await ledger.post_entry(
            conn,
            entry_type="topup",
            amount=op.amount,
            funding_type=op.method,
            funding_reference=op.provider_id,
            legs=[Leg(wallet.id, op.amount), Leg(system, -op.amount)],
            entry_id=op.id,
            new_reference=False,  # the operation registered its reference when it began
        )
        signed = op.amount
    else:
        assert op.hold_id is not None  # a CHECK of the table
        held = await holds.post(
            conn,
            op.hold_id,
            counter_account=system,
            entry_type="withdrawal",
            entry_id=op.id,
            funding_type=op.method,
            funding_reference=op.provider_id,
        )
        if held is None:  # cannot happen while the operation was pending (same transaction, same lock)
            raise RuntimeError(f"withdrawal {op.id} is pending but its hold is not")
        posted, signed = held, -op.amount
    row = transaction_body(
        entry_id=op.id,
        entry_type=op.kind,
        signed_amount=signed,
        currency=op.currency,
        balance_after=posted.balances[wallet.id],
        note=None,
        sender=None,
        recipient=None,
        created_at=posted.created_at,
        funding_source=funding_source_body(op.method, op.reference),
        reference=op.txn_reference,
    )
    await events.emit(conn, f"{op.kind}.completed", _event(row, op))
    FUNDING_OUTCOMES.labels(op.kind, "completed").inc()
    MONEY_MOVED.labels(op.kind).inc(float(op.amount))
    return row


async def fail(
    conn: RawConnection,
    op_id: uuid.UUID,
    wallet: Wallet,
    *,
    reason: str,
    settings: TransactionSettings,
    expired: bool = False,
) -> JsonObject | None:
    """Ends a pending operation as failed: a withdrawal's hold is released (or expired) and its
    amount no longer counts against the limits. Returns the history row, or None if not pending."""
    op = await funding_operations.finish(conn, op_id, status="failed", reason=reason[:200])
    if op is None:
        return None
    if op.kind == "withdrawal":
        assert op.hold_id is not None
        await holds.release(conn, op.hold_id, expired=expired)
        counters = given_back(wallet, op.amount, op.created_at, settings)
        await accounts.set_spent(
            conn,
            wallet.id,
            day=counters.day,
            day_date=counters.today,
            month=counters.month,
            month_start=counters.month_start,
        )
    row = operation_body(op, balance_after=wallet.balance)
    await events.emit(conn, f"{op.kind}.failed", _event(row, op, reason=op.failure_reason))
    FUNDING_OUTCOMES.labels(op.kind, "failed").inc()
    return row


def anomaly(kind: str, op_id: uuid.UUID, detail: str) -> None:
    """Something the provider said contradicts the ledger: counted (an alert fires) and logged for
    an operator; reconciliation lists the operation too. Nothing moves."""
    FUNDING_ANOMALIES.labels(kind).inc()
    log.error("funding_anomaly", kind=kind, operation_id=str(op_id), detail=detail)
