"""The frame of every money-moving request (transfer, top-up, withdrawal, accepting a payment
request): input checks, the request hash, the stored answer's replay, exactly-once execution
under the Idempotency-Key, and the `money_moved_total` metric of a fresh success."""

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from instapay_common.db.database import Database
from instapay_common.security.tokens import Principal
from transaction_service.config import TransactionSettings
from transaction_service.metrics import MONEY_MOVED
from transaction_service.peers import Peers
from transaction_service.service.checks import check_amount, check_currency, ensure_verified_sender, own_per_transaction
from transaction_service.service.idempotency import Outcome, Work, execute_once, find_stored, request_hash

MoneyKind = Literal["transfer", "topup", "withdrawal"]


@dataclass(frozen=True, slots=True)
class MoneyContext:
    """Who asks to move money under which Idempotency-Key, and what the operation runs with."""

    db: Database
    peers: Peers
    settings: TransactionSettings
    principal: Principal
    key: str


async def run_money_operation(
    ctx: MoneyContext,
    *,
    kind: MoneyKind,
    endpoint: str,
    request: Callable[[], Mapping[str, object]],
    prepare: Callable[[], Awaitable[Work]],
    amount: Decimal | None = None,
    currency: str | None = None,
    declines_before_writing: bool = False,
    verified_sender: bool = False,
) -> Outcome:
    """In this order: `currency` and `amount` are checked (when given), `request()` builds what the
    request asks for (it may check more input; `pin` is left out) and its hash, and a stored answer
    of (caller, key) is replayed (422 if it was for another request). Only then `prepare()` does
    what must happen before the ledger (PIN, lookups: nothing is stored if it raises) and returns
    the work, which `execute_once` runs at most once; a fresh transfer adds its `amount` to
    `money_moved_total`. `verified_sender=True` refuses a caller without a wallet or a verified
    phone right before `prepare()` (`require_verified_sender`, on the wallet read with the stored
    answer)."""
    if currency is not None:
        check_currency(currency)
    owner = uuid.UUID(ctx.principal.user_id)
    if amount is not None and (kind == "topup" or amount <= ctx.settings.limit_per_transaction):
        check_amount(amount, ctx.settings)
    hashed = request_hash(endpoint, request())
    stored, own = await find_stored(ctx.db, owner_id=owner, key=ctx.key, hashed=hashed)
    if stored is not None:
        return stored
    if amount is not None and kind != "topup" and amount > ctx.settings.limit_per_transaction:
        # Above the default maximum only a wallet whose own limit two admins raised may send. Read
        # with the stored answer but used only after the replay check (a retried key keeps its
        # stored answer whatever the limit is now); a lowered limit is `check_outgoing`'s, under
        # the wallet's lock.
        check_amount(amount, ctx.settings, own_per_transaction(own, ctx.settings))
    if verified_sender:
        ensure_verified_sender(own)
    work = await prepare()
    outcome = await execute_once(
        ctx.db,
        owner_id=owner,
        key=ctx.key,
        hashed=hashed,
        wait_seconds=ctx.settings.idempotency_wait_seconds,
        work=work,
        declines_before_writing=declines_before_writing,
    )
    # Top-ups and withdrawals count when the provider confirms them (service.funding_outcomes).
    if kind == "transfer" and outcome.status == 201 and not outcome.replayed:
        MONEY_MOVED.labels(kind).inc(float(str(outcome.body["amount"])))
    return outcome
