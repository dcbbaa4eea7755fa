"""`HttpFundingProvider`: the `FundingProvider` protocol over the provider's HTTP API
(docs/PROVIDER_SIMULATOR.md), which the provider simulator implements.

Calls go through the service's pooled aiohttp session (instapay_common.web.http_client: the
platform's HTTP client, chosen over httpx for its pool under load) with a per-call timeout of
FUNDING_TIMEOUT_SECONDS. Every answer is validated (transaction_service.funding.wire); an answer
that is late, 5xx, unexpected or malformed raises `FundingProviderError`, because then nobody knows
whether the call took effect: the caller asks again under the same operation id (the provider's
idempotency key) or waits for the callback.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import aiohttp
import orjson

from instapay_common.logging import get_logger
from instapay_common.web.request_context import current_request_id
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import FundingProviderError
from transaction_service.funding import wire
from transaction_service.funding.callback_body import parse_event
from transaction_service.funding.provider import (
    ProviderCharge,
    ProviderEvent,
    ProviderPayout,
    SettlementItem,
)

log = get_logger("funding")


def _money(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01'))}"


class HttpFundingProvider:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        name: str,
        base_url: str,
        api_key: str,
        webhook_secrets: Sequence[bytes],
        timeout_seconds: float,
        callback_tolerance_seconds: int = 300,
    ) -> None:
        self.name = name
        self._session = session
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._secrets = list(webhook_secrets)
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds, connect=min(2.0, timeout_seconds))
        self._tolerance = callback_tolerance_seconds

    @classmethod
    def from_settings(cls, settings: TransactionSettings, session: aiohttp.ClientSession) -> HttpFundingProvider:
        """The provider FUNDING_PROVIDER (`simulator` or `http`) and the FUNDING_* settings name."""
        return cls(
            session,
            name=settings.funding_provider,
            base_url=settings.funding_provider_url,
            api_key=settings.funding_api_key.get_secret_value(),
            webhook_secrets=[s.get_secret_value().encode() for s in settings.funding_webhook_secrets],
            timeout_seconds=settings.funding_timeout_seconds,
            callback_tolerance_seconds=settings.funding_callback_tolerance_seconds,
        )

    async def _call(self, method: str, path: str, *, body: Any = None, key: uuid.UUID | None = None) -> bytes:
        """The answer's body (200 or 202); FundingProviderError for anything else."""
        raw = await self._request(method, path, body=body, key=key)
        if raw is None:
            raise FundingProviderError("the funding provider answered 404")
        return raw

    async def _lookup(self, path: str) -> bytes | None:
        """Like `_call`, but a 404 (nothing under that key) is None."""
        return await self._request("GET", path, missing_ok=True)

    async def _request(
        self, method: str, path: str, *, body: Any = None, key: uuid.UUID | None = None, missing_ok: bool = False
    ) -> bytes | None:
        headers = {"Authorization": f"Bearer {self._api_key}", "Accept": "application/json"}
        if key is not None:
            headers["Idempotency-Key"] = str(key)
        if body is not None:
            headers["Content-Type"] = "application/json"
        request_id = current_request_id()
        if request_id:
            headers["X-Request-ID"] = request_id
        data = orjson.dumps(body) if body is not None else None
        try:
            async with self._session.request(
                method, self._base_url + path, data=data, headers=headers, timeout=self._timeout
            ) as resp:
                raw = await resp.read()
                status = resp.status
        except TimeoutError:
            log.warning("funding_provider_timeout", provider=self.name, path=path)
            raise FundingProviderError("the funding provider did not answer in time") from None
        except aiohttp.ClientError as exc:
            log.warning("funding_provider_unreachable", provider=self.name, path=path, error=type(exc).__name__)
            raise FundingProviderError("the funding provider is unreachable") from None
        if status in (200, 202):
            return raw
        if status == 404 and missing_ok:
            return None
        log.warning("funding_provider_refused", provider=self.name, path=path, status=status)
        if status == 409:
            # Our operation id is the key: the same id with another request is a bug on our side.
            raise FundingProviderError("the funding provider holds this operation with a different request")
        raise FundingProviderError(f"the funding provider answered {status}")

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
        body = {
            "amount": _money(amount),
            "currency": currency,
            "source": {"type": source_type, "reference": reference},
            "metadata": dict(metadata),
        }
        raw = await self._call("POST", "/v1/charges", body=body, key=operation_id)
        charge = wire.read_charge(raw, operation_id=operation_id, amount=amount)
        if source_type == "card" and charge.status == "pending":
            raise FundingProviderError("the funding provider left a card capture pending")
        return charge

    async def payout(
        self, *, operation_id: uuid.UUID, reference: str, amount: Decimal, currency: str, metadata: Mapping[str, str]
    ) -> ProviderPayout:
        body = {
            "amount": _money(amount),
            "currency": currency,
            "destination": {"type": "bank", "reference": reference},
            "metadata": dict(metadata),
        }
        raw = await self._call("POST", "/v1/payouts", body=body, key=operation_id)
        return wire.read_payout(raw, operation_id=operation_id, amount=amount)

    async def charge_status(self, operation_id: uuid.UUID) -> ProviderCharge | None:
        raw = await self._lookup(f"/v1/charges/by-key/{operation_id}")
        return None if raw is None else wire.read_charge(raw, operation_id=operation_id)

    async def cancel_payout(self, operation_id: uuid.UUID) -> ProviderPayout:
        raw = await self._call("POST", f"/v1/payouts/by-key/{operation_id}/cancel")
        payout = wire.read_payout(raw, operation_id=operation_id)
        if payout.status == "pending":
            raise FundingProviderError("the funding provider left a canceled payout pending")
        return payout

    async def settlement(self, day: date) -> list[SettlementItem]:
        raw = await self._call("GET", f"/v1/settlements/{day.isoformat()}")
        return wire.read_settlement(raw, day=day)

    def parse_callback(self, headers: Mapping[str, str], body: bytes) -> ProviderEvent:
        # The one callback parser of the service (the in-process provider's too): signature first.
        return parse_event(headers, body, secrets=self._secrets, tolerance_seconds=self._tolerance)
