"""The payout submitter: asks the provider to pay out a pending withdrawal when the outbox relay
delivers its `withdrawal.requested` event (subscriber `payouts`, POST /internal/events/batch).

No database transaction is open while the provider is called. The call carries the operation id
as the provider's idempotency key, so a redelivered event (the relay retries until it gets an
answer, and after a crash of either side) asks again and gets the same payout, never a second.
A provider that cannot be reached fails the delivery, which the relay retries with backoff.
"""

import uuid

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import FundingProviderError
from transaction_service.funding.provider import FundingProvider
from transaction_service.repository import accounts, funding_operations
from transaction_service.service import funding_outcomes


class ProviderUnreachable(RuntimeError):
    """Not a DomainError: the event batch marks the delivery `failed`, and the relay retries it."""


async def submit(db: Database, funding: FundingProvider, settings: TransactionSettings, op_id: uuid.UUID) -> bool:
    """Requests the payout of a pending withdrawal; True if the provider was asked now."""
    async with rawsql.connection(db) as conn:
        op = await funding_operations.get(conn, op_id)
    if op is None or op.kind != "withdrawal" or op.status != "pending":
        return False
    try:
        payout = await funding.payout(
            operation_id=op.id,
            reference=op.reference,
            amount=op.amount,
            currency=op.currency,
            metadata={"user_id": str(op.user_id), "kind": "withdrawal", "method": op.method},
        )
    except FundingProviderError as exc:
        raise ProviderUnreachable(str(exc)) from exc
    async with rawsql.transaction(db) as conn:
        wallet = (await accounts.lock(conn, [op.user_id]))[op.user_id]
        if payout.status == "failed":
            await funding_outcomes.fail(
                conn, op.id, wallet, reason=payout.reason or "the provider refused the payout", settings=settings
            )
        elif payout.status == "paid":
            await funding_outcomes.complete(conn, op.id, wallet, provider_id=payout.provider_id)
        else:
            await funding_operations.set_provider_id(conn, op.id, payout.provider_id)
    return True
