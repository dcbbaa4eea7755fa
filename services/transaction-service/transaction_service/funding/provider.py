"""The `FundingProvider` protocol: what the ledger needs from a payment service provider (PSP).

Every call carries our operation id as the provider's idempotency key, so a retried call (after a
timeout, a crash, a redelivered outbox event) never charges or pays out twice. Charges of a saved
card are captured at once; bank debits and every payout are confirmed later by a signed callback,
which `parse_callback` verifies before anything trusts it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, Protocol

ChargeStatus = Literal["succeeded", "pending", "failed"]
PayoutStatus = Literal["pending", "paid", "failed"]
CallbackType = Literal["charge.succeeded", "charge.failed", "payout.paid", "payout.failed"]


@dataclass(frozen=True, slots=True)
class ProviderCharge:
    provider_id: str
    status: ChargeStatus
    amount: Decimal
    reason: str | None = None  # why it failed (a decline), for the user


@dataclass(frozen=True, slots=True)
class ProviderPayout:
    provider_id: str
    status: PayoutStatus
    amount: Decimal
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class SettlementItem:
    """One movement the provider settled on the report's day (a captured charge or a paid payout)."""

    kind: Literal["charge", "payout"]
    provider_id: str
    operation_id: uuid.UUID
    amount: Decimal
    currency: str
    settled_at: datetime


@dataclass(frozen=True, slots=True)
class ProviderEvent:
    """A verified callback. `operation_id` is the idempotency key we sent; `metadata` is what we
    attached to the call (user_id, method), echoed back by the provider."""

    event_id: str
    type: CallbackType
    provider_id: str
    operation_id: uuid.UUID
    amount: Decimal
    currency: str
    created_at: datetime
    reason: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)


class FundingProvider(Protocol):
    """Raises `FundingProviderError` when the provider cannot be reached, times out, answers 5xx or
    answers something malformed: the caller cannot know whether the call took effect, and retries
    with the same operation id (or learns the outcome from a callback or a status inquiry)."""

    name: str  # the `{provider}` segment of POST /api/v1/funding/webhooks/{provider}

    async def charge(
        self,
        *,
        operation_id: uuid.UUID,
        source_type: Literal["card", "bank"],
        reference: str,
        amount: Decimal,
        currency: str,
        metadata: Mapping[str, str],
    ) -> ProviderCharge:
        """Card: captured at once (`succeeded`) or `failed`. Bank: `pending`, then a callback."""
        ...

    async def payout(
        self, *, operation_id: uuid.UUID, reference: str, amount: Decimal, currency: str, metadata: Mapping[str, str]
    ) -> ProviderPayout:
        """Accepted as `pending` (or refused at once as `failed`); paid or failed later, by callback."""
        ...

    async def charge_status(self, operation_id: uuid.UUID) -> ProviderCharge | None:
        """The charge made under this operation id, or None if the provider never saw one."""
        ...

    async def cancel_payout(self, operation_id: uuid.UUID) -> ProviderPayout:
        """Stops a payout that is not paid yet (`failed`, reason `canceled`), and refuses any later
        payout under this operation id; a payout already paid is returned as `paid`."""
        ...

    async def settlement(self, day: date) -> list[SettlementItem]:
        """The provider's settlement report of `day` (UTC)."""
        ...

    def parse_callback(self, headers: Mapping[str, str], body: bytes) -> ProviderEvent:
        """The verified event; raises `InvalidSignature` (missing, wrong or stale signature) or
        `InvalidCallback` (signed but not understood)."""
        ...
