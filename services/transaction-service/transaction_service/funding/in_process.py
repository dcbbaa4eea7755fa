"""`InProcessFundingProvider`: the `FundingProvider` protocol in memory, for the transaction
service's own unit tests only (staging and production refuse it: funding.factory).

It behaves like the provider simulator (docs/PROVIDER_SIMULATOR.md) without a network: a card is
captured at once, bank debits and payouts stay pending until the test calls
`callback(operation_id, type)`, which settles the operation and returns the signed callback
(headers, body) for the test to post to the intake. Reference prefixes as in the simulator:
`error-` (the provider fails: FundingProviderError, nothing recorded), `invalid-` (a malformed
answer: FundingProviderError, nothing recorded), `fail-` (a charge declined at once; a payout
accepted, to fail on its callback).
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Literal

import orjson

from instapay_common.security.callback_signature import sign
from transaction_service.exceptions import FundingProviderError
from transaction_service.funding import wire
from transaction_service.funding.provider import (
    CallbackType,
    ProviderCharge,
    ProviderEvent,
    ProviderPayout,
    SettlementItem,
)

CHARGE_DECLINES = {"card": "card declined by issuer", "bank": "bank account refused the debit"}
PAYOUT_REFUSED = "the bank refused the account"
CANCELED = "canceled"


@dataclass
class _Operation:
    kind: Literal["charge", "payout"]
    provider_id: str
    operation_id: uuid.UUID
    request: tuple[object, ...] | None  # None: a payout canceled before it was requested
    amount: Decimal
    currency: str
    reference: str
    metadata: dict[str, str]
    status: str
    reason: str | None = None
    settled_at: datetime | None = None
    created: int = field(default_factory=lambda: int(time.time()))


class InProcessFundingProvider:
    def __init__(self, *, secret: bytes, name: str = "in_process", callback_tolerance_seconds: int = 300) -> None:
        self.name = name
        self._secret = secret
        self._tolerance = callback_tolerance_seconds
        self._charges: dict[uuid.UUID, _Operation] = {}
        self._payouts: dict[uuid.UUID, _Operation] = {}

    @staticmethod
    def _refuse_faulty(reference: str) -> None:
        if reference.startswith("error-"):
            raise FundingProviderError("the funding provider answered 503")
        if reference.startswith("invalid-"):
            raise FundingProviderError("the funding provider's answer is malformed")

    @staticmethod
    def _same(existing: _Operation, request: tuple[object, ...]) -> _Operation:
        if existing.request != request:
            raise FundingProviderError("the funding provider holds this operation with a different request")
        return existing

    @staticmethod
    def _charge_view(op: _Operation) -> ProviderCharge:
        return ProviderCharge(provider_id=op.provider_id, status=op.status, amount=op.amount, reason=op.reason)  # type: ignore[arg-type]  # only charge statuses are stored for charges

    @staticmethod
    def _payout_view(op: _Operation) -> ProviderPayout:
        return ProviderPayout(provider_id=op.provider_id, status=op.status, amount=op.amount, reason=op.reason)  # type: ignore[arg-type]  # only payout statuses are stored for payouts

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
        self._refuse_faulty(reference)
        request = (source_type, reference, amount, currency, tuple(sorted(metadata.items())))
        existing = self._charges.get(operation_id)
        if existing is not None:
            return self._charge_view(self._same(existing, request))
        declined = reference.startswith("fail-")
        op = _Operation(
            kind="charge",
            provider_id=f"ch_{secrets.token_hex(12)}",
            operation_id=operation_id,
            request=request,
            amount=amount,
            currency=currency,
            reference=reference,
            metadata=dict(metadata),
            status="failed" if declined else ("succeeded" if source_type == "card" else "pending"),
            reason=CHARGE_DECLINES[source_type] if declined else None,
        )
        if op.status == "succeeded":
            op.settled_at = datetime.now(UTC)
        self._charges[operation_id] = op
        return self._charge_view(op)

    async def payout(
        self, *, operation_id: uuid.UUID, reference: str, amount: Decimal, currency: str, metadata: Mapping[str, str]
    ) -> ProviderPayout:
        self._refuse_faulty(reference)
        request = (reference, amount, currency, tuple(sorted(metadata.items())))
        existing = self._payouts.get(operation_id)
        if existing is not None:
            if existing.request is None:  # canceled before it was requested: stays canceled
                existing.request, existing.amount, existing.currency = request, amount, currency
                existing.reference, existing.metadata = reference, dict(metadata)
            return self._payout_view(self._same(existing, request))
        op = _Operation(
            kind="payout",
            provider_id=f"po_{secrets.token_hex(12)}",
            operation_id=operation_id,
            request=request,
            amount=amount,
            currency=currency,
            reference=reference,
            metadata=dict(metadata),
            status="pending",
        )
        self._payouts[operation_id] = op
        return self._payout_view(op)

    async def charge_status(self, operation_id: uuid.UUID) -> ProviderCharge | None:
        op = self._charges.get(operation_id)
        return None if op is None else self._charge_view(op)

    async def cancel_payout(self, operation_id: uuid.UUID) -> ProviderPayout:
        op = self._payouts.get(operation_id)
        if op is None:
            op = _Operation(
                kind="payout",
                provider_id=f"po_{secrets.token_hex(12)}",
                operation_id=operation_id,
                request=None,
                amount=Decimal("0.00"),
                currency="EGP",
                reference="",
                metadata={},
                status="failed",
                reason=CANCELED,
            )
            self._payouts[operation_id] = op
        elif op.status == "pending":
            op.status, op.reason = "failed", CANCELED
        return self._payout_view(op)

    async def settlement(self, day: date) -> list[SettlementItem]:
        return [
            SettlementItem(
                kind=op.kind,
                provider_id=op.provider_id,
                operation_id=op.operation_id,
                amount=op.amount,
                currency=op.currency,
                settled_at=op.settled_at,
            )
            for op in (*self._charges.values(), *self._payouts.values())
            if op.settled_at is not None and op.settled_at.date() == day
        ]

    def parse_callback(self, headers: Mapping[str, str], body: bytes) -> ProviderEvent:
        return wire.parse_signed_callback(headers, body, secrets=[self._secret], tolerance_seconds=self._tolerance)

    def callback(self, operation_id: uuid.UUID, type: CallbackType) -> tuple[dict[str, str], bytes]:
        """Settles the operation as `type` says (pending -> succeeded/paid/failed; a settled one
        stays as it is) and returns the signed callback announcing it: (headers, body). Each call
        is a new event; post the same pair twice to test a duplicate."""
        kind, status = wire.EVENT_SHAPES[type]
        book = self._charges if kind == "charge" else self._payouts
        op = book.get(operation_id)
        if op is None:
            raise KeyError(f"no {kind} under {operation_id}")
        if op.status == "pending":
            op.status = status
            if status == "failed":
                op.reason = CHARGE_DECLINES["bank"] if kind == "charge" else PAYOUT_REFUSED
            else:
                op.settled_at = datetime.now(UTC)
        elif op.status != status:
            raise ValueError(f"the {kind} is {op.status}; a provider would not announce {type}")
        event = {
            "id": f"evt_{secrets.token_hex(12)}",
            "type": type,
            "created": int(time.time()),
            "data": {
                "object": kind,
                "id": op.provider_id,
                "idempotency_key": str(op.operation_id),
                "amount": f"{op.amount.quantize(Decimal('0.01'))}",
                "currency": op.currency,
                "status": op.status,
                "failure_reason": op.reason,
                "metadata": op.metadata,
            },
        }
        body = orjson.dumps(event)
        headers = {"Content-Type": "application/json", wire.SIGNATURE_HEADER: sign(self._secret, body)}
        return headers, body
