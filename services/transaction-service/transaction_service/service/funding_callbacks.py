"""Provider callbacks (POST /api/v1/funding/webhooks/{provider}): verified, stored, then applied.

1. The signature is verified before anything is read or written (401 `invalid_signature`).
2. The callback is stored under the provider's event id in its own transaction: a duplicate that
   was already applied is answered 200 and changes nothing.
3. It is applied in a second transaction, with the wallet row-locked and the operation changed
   only if still pending (service.funding_outcomes), then marked applied. If applying fails, the
   provider's retry finds it stored but not applied and applies it then.

Out-of-order callbacks are harmless: the first terminal outcome of an operation wins, and a
later contradicting one is counted as an anomaly (nothing moves; reconciliation lists it).
"""

import uuid
from collections.abc import Mapping
from typing import Literal

from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.db.rawsql import RawConnection
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import InvalidCallback, UnknownProvider
from transaction_service.funding.provider import FundingProvider, ProviderEvent
from transaction_service.metrics import PROVIDER_CALLBACKS
from transaction_service.repository import accounts, funding_operations, provider_callbacks
from transaction_service.repository.funding_operations import NewOperation
from transaction_service.service import funding_outcomes

CallbackResult = Literal["applied", "duplicate"]


async def receive(
    db: Database,
    funding: FundingProvider,
    settings: TransactionSettings,
    *,
    provider: str,
    headers: Mapping[str, str],
    body: bytes,
) -> CallbackResult:
    if provider != funding.name:
        raise UnknownProvider(f"no funding provider is named {provider[:40]!r}")
    try:
        event = funding.parse_callback(headers, body)
    except Exception:
        PROVIDER_CALLBACKS.labels("refused").inc()
        raise
    async with rawsql.transaction(db) as conn:
        new = await provider_callbacks.store(
            conn,
            provider=provider,
            event_id=event.event_id,
            event_type=event.type,
            operation_id=event.operation_id,
            body=body,
        )
        if not new and await provider_callbacks.was_applied(conn, provider=provider, event_id=event.event_id):
            PROVIDER_CALLBACKS.labels("duplicate").inc()
            return "duplicate"
    async with rawsql.transaction(db) as conn:
        await apply(conn, event, provider=provider, settings=settings)
        await provider_callbacks.mark_applied(conn, provider=provider, event_id=event.event_id)
    PROVIDER_CALLBACKS.labels("applied").inc()
    return "applied"


def _owner(event: ProviderEvent, known: uuid.UUID | None) -> uuid.UUID:
    if known is not None:
        return known
    try:
        return uuid.UUID(event.metadata.get("user_id", ""))
    except ValueError as exc:
        raise InvalidCallback("the callback names no operation of ours and no user") from exc


async def apply(conn: RawConnection, event: ProviderEvent, *, provider: str, settings: TransactionSettings) -> None:
    """Applies a verified event (also used by the sweeper for inquiry results)."""
    known = await funding_operations.get(conn, event.operation_id)
    owner = _owner(event, known.user_id if known else None)
    # The wallet first, then the operation: the order every writer of both takes.
    wallet = (await accounts.lock(conn, [owner])).get(owner)
    if wallet is None:
        funding_outcomes.anomaly("unknown_wallet", event.operation_id, f"{event.type} for a user without a wallet")
        return
    op = await funding_operations.lock(conn, event.operation_id)
    if op is None:
        if event.type != "charge.succeeded":
            funding_outcomes.anomaly("unknown_operation", event.operation_id, f"{event.type} for no operation of ours")
            return
        # Captured, but our request's transaction never committed: the money is the user's.
        method = event.metadata.get("method", "card")
        op = await funding_operations.insert(
            conn,
            NewOperation(
                id=event.operation_id,
                user_id=owner,
                account_id=wallet.id,
                kind="topup",
                method=method if method in ("card", "bank") else "card",
                reference=event.metadata.get("reference", "")[:100],
                amount=event.amount,
                provider=provider,
                handle=None,
                provider_id=event.provider_id,
            ),
        )
        if op is None:
            raise RuntimeError("operation appeared under the wallet lock")
    if event.amount != op.amount:
        funding_outcomes.anomaly("amount_mismatch", op.id, f"{event.type} for {event.amount}, ours is {op.amount}")
        return
    expected_kind = "topup" if event.type.startswith("charge.") else "withdrawal"
    if op.kind != expected_kind:
        funding_outcomes.anomaly("kind_mismatch", op.id, f"{event.type} for a {op.kind}")
        return
    succeeded = event.type in ("charge.succeeded", "payout.paid")
    if op.status != "pending":
        if (op.status == "completed") != succeeded:
            funding_outcomes.anomaly("contradiction", op.id, f"{event.type} after the operation {op.status}")
        return
    if succeeded:
        await funding_outcomes.complete(conn, op.id, wallet, provider_id=event.provider_id)
    else:
        await funding_outcomes.fail(
            conn, op.id, wallet, reason=event.reason or "refused by the provider", settings=settings
        )
