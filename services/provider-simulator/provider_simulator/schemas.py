"""Request and response bodies of the simulator's API (docs/PROVIDER_SIMULATOR.md).

Amounts travel as decimal strings with two fraction digits, never as JSON numbers.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints


def _decimal_text(value: object) -> object:
    # A JSON number may have lost digits in the client's float; money travels as text.
    if not isinstance(value, str):
        raise ValueError('amount must be a decimal string, e.g. "10.00"')
    return value


Amount = Annotated[Decimal, BeforeValidator(_decimal_text), Field(gt=0, max_digits=18, decimal_places=2)]
Reference = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Metadata = dict[Annotated[str, StringConstraints(max_length=64)], Annotated[str, StringConstraints(max_length=500)]]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Strict):
    type: Literal["card", "bank"]
    reference: Reference


class Destination(_Strict):
    type: Literal["bank"]
    reference: Reference


class ChargeRequest(_Strict):
    amount: Amount
    currency: Literal["EGP"]
    source: Source
    metadata: Metadata = Field(default_factory=dict, max_length=20)


class PayoutRequest(_Strict):
    amount: Amount
    currency: Literal["EGP"]
    destination: Destination
    metadata: Metadata = Field(default_factory=dict, max_length=20)


class Operation(BaseModel):
    """A charge or a payout as the API shows it. `amount` and `currency` are null only for a payout
    canceled before it was ever requested."""

    id: str
    object: Literal["charge", "payout"]
    status: Literal["pending", "succeeded", "paid", "failed"]
    amount: str | None
    currency: str | None
    idempotency_key: str
    failure_reason: str | None
    metadata: dict[str, str]
    created: int


class SettlementItem(BaseModel):
    kind: Literal["charge", "payout"]
    id: str
    idempotency_key: str
    amount: str
    currency: str
    settled_at: datetime


class SettlementReport(BaseModel):
    date: date
    items: list[SettlementItem]


class Faults(BaseModel):
    down: bool = False
    error_rate: float = Field(default=0.0, ge=0, le=1)
    timeout_rate: float = Field(default=0.0, ge=0, le=1)
    timeout_seconds: float = Field(default=10.0, ge=0, le=300)
    callback_delay_ms: int = Field(default=0, ge=0, le=600_000)
    duplicate_callbacks: bool = False
    reorder_callbacks: bool = False
    forge_callbacks: bool = False


class FaultsUpdate(_Strict):
    """POST /_sim/faults: the fields given replace the current ones; the others stay as they are."""

    down: bool | None = None
    error_rate: float | None = Field(default=None, ge=0, le=1)
    timeout_rate: float | None = Field(default=None, ge=0, le=1)
    timeout_seconds: float | None = Field(default=None, ge=0, le=300)
    callback_delay_ms: int | None = Field(default=None, ge=0, le=600_000)
    duplicate_callbacks: bool | None = None
    reorder_callbacks: bool | None = None
    forge_callbacks: bool | None = None


class OperationSummary(BaseModel):
    """GET /_sim/charges and /_sim/payouts: every operation ever made (what the bank test checks)."""

    id: str
    idempotency_key: str
    amount: str | None
    status: str
    failure_reason: str | None


class SmsRequest(_Strict):
    """POST /v1/sms: what the notification service's HTTP SMS adapter sends."""

    to: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    sender: Annotated[str, StringConstraints(max_length=32)] = Field(default="", alias="from")
    text: Annotated[str, StringConstraints(min_length=1, max_length=1600)]


class Sms(BaseModel):
    """A text message the sandbox's SMS gateway accepted (and keeps for GET /_sim/sms)."""

    model_config = ConfigDict(populate_by_name=True)

    id: str
    object: Literal["sms"] = "sms"
    status: Literal["accepted"] = "accepted"
    to: str
    sender: str = Field(alias="from")
    text: str
    created: int
