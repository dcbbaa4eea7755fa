"""The funding provider the settings name, built once at start-up (main.py's lifespan).

Staging and production refuse the simulated providers here, at start-up, with a message naming
the setting: a platform that can create money from nothing must not start.
"""

from __future__ import annotations

import secrets

import aiohttp

from transaction_service.config import SIMULATED_FUNDING_PROVIDERS, TransactionSettings
from transaction_service.funding.http_provider import HttpFundingProvider
from transaction_service.funding.in_process import InProcessFundingProvider
from transaction_service.funding.provider import FundingProvider


class SimulatedProviderRefused(RuntimeError):
    pass


def build_funding_provider(settings: TransactionSettings, session: aiohttp.ClientSession) -> FundingProvider:
    if settings.is_production_like and settings.funding_provider in SIMULATED_FUNDING_PROVIDERS:
        raise SimulatedProviderRefused(
            f"FUNDING_PROVIDER={settings.funding_provider} only simulates money movements; "
            f"ENVIRONMENT={settings.environment} needs FUNDING_PROVIDER=http with FUNDING_PROVIDER_URL, "
            "FUNDING_API_KEY and FUNDING_WEBHOOK_SECRETS"
        )
    webhook_secrets = [s.get_secret_value().encode() for s in settings.funding_webhook_secrets]
    if settings.funding_provider == "in_process":
        # Its callbacks are built by the tests through the provider object itself, so any secret works.
        secret = webhook_secrets[0] if webhook_secrets else secrets.token_bytes(32)
        return InProcessFundingProvider(
            secret=secret,
            name=settings.funding_provider_name or "in_process",
            callback_tolerance_seconds=settings.funding_callback_tolerance_seconds,
        )
    return HttpFundingProvider(
        session,
        name=settings.funding_provider_name or settings.funding_provider,
        base_url=settings.funding_provider_url,
        api_key=settings.funding_api_key.get_secret_value(),
        webhook_secrets=webhook_secrets,
        timeout_seconds=settings.funding_timeout_seconds,
        callback_tolerance_seconds=settings.funding_callback_tolerance_seconds,
    )
