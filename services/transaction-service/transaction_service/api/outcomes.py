"""Business metrics around the money-moving routes: the outcome of every attempt, incl. declines
stored under an idempotency key and refusals raised before the ledger (never replays)."""

from collections.abc import Awaitable

from fastapi.responses import Response

from instapay_common.errors import DomainError
from transaction_service.api.responses import outcome_response
from transaction_service.metrics import TOPUPS, TRANSFERS, WITHDRAWALS
from transaction_service.service.idempotency import Outcome
from transaction_service.service.money_operation import MoneyKind

# Refusals that are about the request itself, not the money (not counted as declines).
_NOT_A_DECLINE = frozenset(
    {
        "idempotency_key_required",
        "idempotency_key_reused",
        "idempotency_in_progress",
        "validation_error",
        "unauthenticated",
        "forbidden",
        "insufficient_scope",
    }
)


def _record(kind: str, outcome: str, code: str) -> None:
    if kind == "transfer":
        TRANSFERS.labels(outcome, code).inc()
    else:
        (TOPUPS if kind == "topup" else WITHDRAWALS).labels(outcome).inc()


async def counted_answer(kind: MoneyKind, operation: Awaitable[Outcome]) -> Response:
    """Runs a money operation, counts its outcome (a replay counts nothing) and answers it."""
    try:
        outcome = await operation
    except DomainError as exc:
        if exc.code not in _NOT_A_DECLINE:
            _record(kind, "failed" if exc.status >= 500 else "declined", exc.code)
        raise
    if not outcome.replayed:
        if outcome.status < 400:
            _record(kind, "completed", "none")
        else:
            _record(kind, "declined", str(outcome.body.get("code", "unknown")))
    return outcome_response(outcome)
