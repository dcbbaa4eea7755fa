"""What the simulator says on the wire: operations as the API shows them, and callback bodies."""

from __future__ import annotations

import hashlib
import secrets
import time
from decimal import Decimal

import orjson
from pydantic import BaseModel

from provider_simulator.repository.operations import OperationRow
from provider_simulator.schemas import Operation

CALLBACK_TYPES = {
    ("charge", "succeeded"): "charge.succeeded",
    ("charge", "failed"): "charge.failed",
    ("payout", "paid"): "payout.paid",
    ("payout", "failed"): "payout.failed",
}


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def money(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount.quantize(Decimal('0.01'))}"


def request_hash(request: BaseModel) -> str:
    """The same request body always hashes the same (amount as 2-decimal text, keys sorted)."""
    data = request.model_dump(mode="json")
    data["amount"] = money(Decimal(str(data["amount"])))
    return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()


def operation_view(row: OperationRow) -> Operation:
    return Operation(
        id=row.id,
        object="charge" if row.kind == "charge" else "payout",
        status=row.status,  # the column holds only the statuses the Literal names; pydantic checks
        amount=money(row.amount),
        currency=row.currency,
        idempotency_key=row.idempotency_key,
        failure_reason=row.failure_reason,
        metadata=dict(row.metadata),
        created=int(row.created_at.timestamp()),
    )


def callback_body(row: OperationRow) -> tuple[str, bytes] | None:
    """(event id, body) of the callback announcing `row`'s current status; None while pending."""
    kind = CALLBACK_TYPES.get((row.kind, row.status))
    if kind is None:
        return None
    event_id = new_id("evt")
    view = operation_view(row)
    body = {
        "id": event_id,
        "type": kind,
        "created": int(time.time()),
        "data": {
            "object": view.object,
            "id": view.id,
            "idempotency_key": view.idempotency_key,
            "amount": view.amount,
            "currency": view.currency,
            "status": view.status,
            "failure_reason": view.failure_reason,
            "metadata": view.metadata,
        },
    }
    return event_id, orjson.dumps(body)
