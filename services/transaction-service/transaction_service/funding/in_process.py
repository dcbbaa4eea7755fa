"""An in-process funding provider, for the transaction service's own tests only (start-up refuses
it outside development and test): it keeps its charges and payouts in memory, answers like the
simulator (card captured at once; bank debits and payouts pending until a callback), and builds
correctly signed callbacks for a test to post. References starting with `fail-` are declined,
`error-` makes the provider fail, `invalid-` makes it answer nonsense.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Literal

import orjson

from instapay_common.security.callback_signature import sign
from transaction_service.exceptions import FundingProviderError
from transaction_service.funding.callback_body import SIGNATURE_HEADER, parse_event
from transaction_service.funding.provider import (
    CallbackType,
    ProviderCharge,
    ProviderEvent,
    ProviderPayout,
    SettlementItem,
)


@dataclass
class _Record:
    kind: Literal["charge", "payout"]
    provider_id: str
    operation_id: uuid.UUID
    amount: Decimal
    status: str
    reason: str | None
    metadata: dict[str, str]
    settled_at: datetime | None = None


class InProcessFundingProvider:
    name = "in_process"

    def __init__(self, *, secret: bytes = b"in-process-test-secret-of-32-bytes!", tolerance_seconds: int = 300) -> None:
        self.secret = secret
        self.tolerance = tolerance_seconds
        self.records: dict[tuple[str, uuid.UUID], _Record] = {}

    def _check(self, reference: str) -> None:
        if reference.startswith("error-"):
            raise FundingProviderError("the funding provider is unavailable; nothing was charged")
        if reference.startswith("invalid-"):
            raise FundingProviderError("the funding provider sent an invalid answer")

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
        record = self.records.get(("charge", operation_id))
        if record is None:
            self._check(reference)
            declined = reference.startswith("fail-")
            status = "failed" if declined else ("succeeded" if source_type == "card" else "pending")
            record = self.records[("charge", operation_id)] = _Record(
                "charge",
                f"ch_{uuid.uuid4().hex[:16]}",
                operation_id,
                amount,
                status,
                "card declined by issuer" if declined else None,
                dict(metadata),
                datetime.now(UTC) if status == "succeeded" else None,
            )
        return ProviderCharge(record.provider_id, record.status, record.amount, record.reason)  # type: ignore[arg-type]

    async def payout(
        self, *, operation_id: uuid.UUID, reference: str, amount: Decimal, currency: str, metadata: Mapping[str, str]
    ) -> ProviderPayout:
        record = self.records.get(("payout", operation_id))
        if record is None:
            self._check(reference)
            record = self.records[("payout", operation_id)] = _Record(
                "payout", f"po_{uuid.uuid4().hex[:16]}", operation_id, amount, "pending", None, dict(metadata)
            )
        return ProviderPayout(record.provider_id, record.status, record.amount, record.reason)  # type: ignore[arg-type]

    async def charge_status(self, operation_id: uuid.UUID) -> ProviderCharge | None:
        record = self.records.get(("charge", operation_id))
        if record is None:
            return None
        return ProviderCharge(record.provider_id, record.status, record.amount, record.reason)  # type: ignore[arg-type]

    async def cancel_payout(self, operation_id: uuid.UUID) -> ProviderPayout:
        record = self.records.get(("payout", operation_id))
        if record is None:
            record = self.records[("payout", operation_id)] = _Record(
                "payout", f"po_{uuid.uuid4().hex[:16]}", operation_id, Decimal("0.01"), "failed", "canceled", {}
            )
        elif record.status == "pending":
            record.status, record.reason = "failed", "canceled"
        return ProviderPayout(record.provider_id, record.status, record.amount, record.reason)  # type: ignore[arg-type]

    async def settlement(self, day: date) -> list[SettlementItem]:
        return [
            SettlementItem(r.kind, r.provider_id, r.operation_id, r.amount, "EGP", r.settled_at)
            for r in self.records.values()
            if r.settled_at is not None and r.settled_at.date() == day
        ]

    def parse_callback(self, headers: Mapping[str, str], body: bytes) -> ProviderEvent:
        return parse_event(headers, body, secrets=[self.secret], tolerance_seconds=self.tolerance)

    def settle(self, operation_id: uuid.UUID, event_type: CallbackType) -> tuple[dict[str, str], bytes]:
        """Ends a pending charge or payout as `event_type` says and returns its signed callback
        (headers, body), for the test to post (as many times, and in any order, as it likes)."""
        kind: Literal["charge", "payout"] = "charge" if event_type.startswith("charge.") else "payout"
        record = self.records[(kind, operation_id)]
        succeeded = event_type in ("charge.succeeded", "payout.paid")
        record.status = event_type.split(".")[1]
        record.reason = None if succeeded else "refused by the bank"
        record.settled_at = datetime.now(UTC) if succeeded else None
        return self.callback(record, event_type)

    def callback(
        self, record: _Record, event_type: str, *, timestamp: int | None = None
    ) -> tuple[dict[str, str], bytes]:
        body = orjson.dumps(
            {
                "id": f"evt_{uuid.uuid4().hex}",
                "type": event_type,
                "created": int(time.time()),
                "data": {
                    "object": record.kind,
                    "id": record.provider_id,
                    "idempotency_key": str(record.operation_id),
                    "amount": str(record.amount),
                    "currency": "EGP",
                    "status": record.status,
                    "failure_reason": record.reason,
                    "metadata": record.metadata,
                },
            }
        )
        return {
            SIGNATURE_HEADER: sign(self.secret, body, timestamp=timestamp),
            "Content-Type": "application/json",
        }, body
