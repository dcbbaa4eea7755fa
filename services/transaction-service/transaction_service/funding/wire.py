"""The provider's answers to our calls (docs/PROVIDER_SIMULATOR.md), read strictly (pydantic's
strict JSON mode: no number where text is due, no text where a number is due): anything that does
not fit is refused rather than guessed at, because a guess here is money created or lost.

An answer that does not fit raises `FundingProviderError`: the caller cannot know what the provider
did, and asks again with the same operation id. Callbacks are read by `callback_body`.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, StringConstraints, ValidationError

from transaction_service.exceptions import FundingProviderError
from transaction_service.funding.provider import (
    ChargeStatus,
    PayoutStatus,
    ProviderCharge,
    ProviderPayout,
    SettlementItem,
)

# Money is text with exactly two fraction digits: a JSON number would have passed through a float.
AmountText = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,18}\.[0-9]{2}$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)


class WireCharge(_Wire):
    id: NonEmpty
    object: Literal["charge"]
    status: ChargeStatus
    amount: AmountText
    currency: Currency
    idempotency_key: NonEmpty
    failure_reason: str | None = None


class WirePayout(_Wire):
    id: NonEmpty
    object: Literal["payout"]
    status: PayoutStatus
    # Null only for a payout canceled before it was ever requested.
    amount: AmountText | None
    currency: Currency | None
    idempotency_key: NonEmpty
    failure_reason: str | None = None


class WireSettlementItem(_Wire):
    kind: Literal["charge", "payout"]
    id: NonEmpty
    idempotency_key: NonEmpty
    amount: AmountText
    currency: Currency
    settled_at: AwareDatetime


class WireSettlement(_Wire):
    date: str
    items: list[WireSettlementItem]


def _uuid(value: str) -> uuid.UUID:
    return uuid.UUID(value)


def _check_echo(operation_id: uuid.UUID, echoed: str, amount: Decimal | None, expected: Decimal | None) -> None:
    try:
        same_key = _uuid(echoed) == operation_id
    except ValueError:
        same_key = False
    if not same_key:
        raise FundingProviderError("the funding provider answered for another operation")
    if expected is not None and amount is not None and amount != expected:
        raise FundingProviderError("the funding provider answered another amount")


def read_charge(raw: bytes, *, operation_id: uuid.UUID, amount: Decimal | None = None) -> ProviderCharge:
    """`amount` set: the charge we just asked for, so its amount must be that one."""
    try:
        wire = WireCharge.model_validate_json(raw)
    except ValidationError:
        raise FundingProviderError("the funding provider's charge answer is malformed") from None
    value = Decimal(wire.amount)
    _check_echo(operation_id, wire.idempotency_key, value, amount)
    if wire.status == "failed" and not wire.failure_reason:
        raise FundingProviderError("the funding provider failed a charge without a reason")
    return ProviderCharge(provider_id=wire.id, status=wire.status, amount=value, reason=wire.failure_reason)


def read_payout(raw: bytes, *, operation_id: uuid.UUID, amount: Decimal | None = None) -> ProviderPayout:
    try:
        wire = WirePayout.model_validate_json(raw)
    except ValidationError:
        raise FundingProviderError("the funding provider's payout answer is malformed") from None
    if wire.amount is None and (wire.status, wire.failure_reason) != ("failed", "canceled"):
        raise FundingProviderError("the funding provider answered a payout without an amount")
    value = Decimal(wire.amount) if wire.amount is not None else None
    _check_echo(operation_id, wire.idempotency_key, value, amount)
    if wire.status == "failed" and not wire.failure_reason:
        raise FundingProviderError("the funding provider failed a payout without a reason")
    # A payout canceled before it was requested never had an amount: nothing was paid.
    return ProviderPayout(
        provider_id=wire.id, status=wire.status, amount=value or Decimal("0.00"), reason=wire.failure_reason
    )


def read_settlement(raw: bytes, *, day: date) -> list[SettlementItem]:
    try:
        wire = WireSettlement.model_validate_json(raw)
        items = [
            SettlementItem(
                kind=item.kind,
                provider_id=item.id,
                operation_id=_uuid(item.idempotency_key),
                amount=Decimal(item.amount),
                currency=item.currency,
                settled_at=item.settled_at,
            )
            for item in wire.items
        ]
    except (ValidationError, ValueError):
        raise FundingProviderError("the funding provider's settlement report is malformed") from None
    if wire.date != day.isoformat():
        raise FundingProviderError("the funding provider sent the settlement report of another day")
    return items
