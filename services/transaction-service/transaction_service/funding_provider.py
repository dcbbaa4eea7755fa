"""Funding-provider adapter: where top-ups come from and withdrawals go (card networks, banks).

The ledger only talks to the `FundingProvider` protocol; production plugs a real PSP adapter in.
The development adapter simulates one: references starting with `fail-` are declined, `error-`
makes the provider fail (timeout/5xx), anything else is approved. Every answer is validated
before the ledger trusts it.
"""

import asyncio
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from transaction_service.exceptions import FundingDeclined, FundingProviderError


@dataclass(frozen=True, slots=True)
class FundingResult:
    provider_reference: str


class FundingProvider(Protocol):
    async def charge(
        self, *, source_type: str, reference: str, amount: Decimal, currency: str, operation_id: str
    ) -> FundingResult:
        """Pull money from a card/bank into the platform (a top-up)."""

    async def payout(
        self, *, destination_type: str, reference: str, amount: Decimal, currency: str, operation_id: str
    ) -> FundingResult:
        """Push money from the platform to a bank account (a withdrawal)."""


def validate_answer(answer: object) -> FundingResult:
    """Raises unless the provider's answer is a well-formed approval (declines raise FundingDeclined)."""
    if not isinstance(answer, dict) or answer.get("status") not in ("approved", "declined"):
        raise FundingProviderError("the funding provider sent an invalid answer")
    if answer["status"] == "declined":
        given = answer.get("reason")
        reason = given if isinstance(given, str) else "declined"
        raise FundingDeclined(f"the funding provider declined: {reason[:100]}")
    ref = answer.get("provider_reference")
    if not isinstance(ref, str) or not 1 <= len(ref) <= 128:
        raise FundingProviderError("the funding provider sent an invalid answer")
    return FundingResult(provider_reference=ref)


class DevFundingProvider:
    """Simulated card/bank provider for development and tests."""

    def __init__(self, *, latency_ms: int = 0) -> None:
        self.latency = latency_ms / 1000

    async def _answer(self, reference: str, operation_id: str) -> FundingResult:
        if self.latency:
            await asyncio.sleep(self.latency)
        if reference.startswith("error-"):
            raise FundingProviderError("the funding provider is unavailable; nothing was charged")
        if reference.startswith("invalid-"):
            return validate_answer({"status": "approved"})
        if reference.startswith("fail-"):
            return validate_answer({"status": "declined", "reason": "card declined by issuer"})
        return validate_answer(
            {"status": "approved", "provider_reference": f"dev-{uuid.uuid5(uuid.NAMESPACE_URL, operation_id).hex}"}
        )

    async def charge(
        self, *, source_type: str, reference: str, amount: Decimal, currency: str, operation_id: str
    ) -> FundingResult:
        return await self._answer(reference, operation_id)

    async def payout(
        self, *, destination_type: str, reference: str, amount: Decimal, currency: str, operation_id: str
    ) -> FundingResult:
        return await self._answer(reference, operation_id)
