"""The provider's callback (and API object) format, as the simulator and PSPs of its shape send
it: `{"id": "evt_...", "type": "payout.paid", "created": <unix>, "data": {"object": "payout", "id",
"idempotency_key", "amount", "currency", "status", "failure_reason", "metadata"}}`, signed with
`instapay_common.security.callback_signature` in the `Simulator-Signature` header.

Shared by the HTTP adapter and the in-process provider, so both verify and parse alike.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, cast

import orjson

from instapay_common.security.callback_signature import SignatureError, verify
from transaction_service.exceptions import InvalidCallback, InvalidSignature
from transaction_service.funding.provider import CallbackType, ProviderEvent

SIGNATURE_HEADER = "Simulator-Signature"
CALLBACK_TYPES: frozenset[str] = frozenset({"charge.succeeded", "charge.failed", "payout.paid", "payout.failed"})


def money(value: object) -> Decimal:
    """A provider amount: a decimal string with at most 2 fraction digits, above zero."""
    try:
        amount = Decimal(str(value)) if isinstance(value, str) else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"not an amount: {str(value)[:40]!r}")
    return amount


def parse_event(
    headers: Mapping[str, str], body: bytes, *, secrets: list[bytes], tolerance_seconds: int
) -> ProviderEvent:
    try:
        verify(secrets, headers.get(SIGNATURE_HEADER), body, tolerance_seconds=tolerance_seconds)
    except SignatureError as exc:
        raise InvalidSignature(str(exc)) from exc
    try:
        raw = orjson.loads(body)
        data = cast(dict[str, Any], raw["data"])
        event_type = str(raw["type"])
        if event_type not in CALLBACK_TYPES:
            raise ValueError(f"unknown type {event_type[:40]!r}")
        if data.get("object") != event_type.split(".")[0]:  # a payout.paid carrying a charge
            raise ValueError("the event's type and object disagree")
        metadata = data.get("metadata") or {}
        if not isinstance(metadata, dict):
            raise ValueError("metadata is not an object")
        event_id = str(raw["id"])
        if not 1 <= len(event_id) <= 255:
            raise ValueError("bad event id")
        return ProviderEvent(
            event_id=event_id,
            type=cast(CallbackType, event_type),
            provider_id=str(data["id"])[:128],
            operation_id=uuid.UUID(str(data["idempotency_key"])),
            amount=money(data["amount"]),
            currency=str(data["currency"])[:3],
            created_at=datetime.fromtimestamp(int(raw["created"]), UTC),
            reason=str(data["failure_reason"])[:200] if data.get("failure_reason") else None,
            metadata={str(k)[:40]: str(v)[:200] for k, v in metadata.items()},
        )
    except (KeyError, TypeError, ValueError, orjson.JSONDecodeError) as exc:
        raise InvalidCallback(f"the callback body is not understood: {str(exc)[:100]}") from exc
