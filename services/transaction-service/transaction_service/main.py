"""ASGI entry point: `uvicorn transaction_service.main:app`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from fastapi import FastAPI

from instapay_common.events.feed import outbox_feed_router
from instapay_common.logging import get_logger
from instapay_common.periodic import periodic
from instapay_common.web.app import create_service_app
from instapay_common.web.http_client import ServiceClient
from transaction_service.api.openapi_doc import document_idempotency_key
from transaction_service.api.routes import routers
from transaction_service.config import TransactionSettings, get_settings
from transaction_service.events import SOURCE
from transaction_service.funding.http_provider import HttpFundingProvider
from transaction_service.funding.in_process import InProcessFundingProvider
from transaction_service.funding.provider import FundingProvider
from transaction_service.metrics import WALLETS
from transaction_service.models import outbox
from transaction_service.peers import Peers
from transaction_service.scheduler import schedule_worker
from transaction_service.service import funding_sweeper, reconciliation
from transaction_service.service.directory import Directory, forget_old_counts
from transaction_service.service.idempotency import purge_expired_keys
from transaction_service.service.wallets import count_wallets

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
log = get_logger("transaction")


@asynccontextmanager
async def wire_dependencies(app: FastAPI) -> AsyncIterator[None]:
    settings: TransactionSettings = app.state.settings
    creds = settings.internal_credentials()
    app.state.peers = Peers(
        auth=ServiceClient(app.state.http, settings.auth_url, name="auth", credentials=creds),
        user=ServiceClient(app.state.http, settings.user_url, name="user", credentials=creds),
        directory=Directory(app.state.db) if settings.recipient_directory else None,
    )
    if not hasattr(app.state, "funding"):  # a test may have installed its own
        app.state.funding = funding_provider(settings, app.state.http)
    yield


def funding_provider(settings: TransactionSettings, http: aiohttp.ClientSession) -> FundingProvider:
    """The configured provider (settings refuse the simulated ones in production)."""
    if settings.funding_provider == "in_process":
        return InProcessFundingProvider()
    return HttpFundingProvider.from_settings(settings, http)


async def sweep_funding(app: FastAPI) -> None:
    await funding_sweeper.sweep(app.state.db, app.state.funding, app.state.settings)


async def reconcile_recent_days(app: FastAPI) -> None:
    """Yesterday's settlement (final once the day is over) and today's so far."""
    today = datetime.now(UTC).date()
    for day in (today - timedelta(days=1), today):
        await reconciliation.reconcile(app.state.db, app.state.funding, day)


async def refresh_wallet_gauge(app: FastAPI) -> None:
    """Keeps `wallets_total` right across replicas (each one also bumps it on create)."""
    WALLETS.set(await count_wallets(app.state.db))


async def purge_idempotency_keys(app: FastAPI) -> None:
    settings: TransactionSettings = app.state.settings
    removed = await purge_expired_keys(app.state.db, retention_hours=settings.idempotency_retention_hours)
    if removed:
        log.info("idempotency_keys_purged", removed=removed, retention_hours=settings.idempotency_retention_hours)
    # The directory's copies of lookup-budget times, once too old to let it answer (same cadence).
    forgotten = await forget_old_counts(app.state.db)
    if forgotten:
        log.info("directory_counts_forgotten", removed=forgotten)


def build_app(settings: TransactionSettings | None = None) -> FastAPI:
    app = create_service_app(
        settings or get_settings(),
        title="Mini-InstaPay transaction service",
        routers=[*routers, outbox_feed_router(outbox, source=SOURCE, callers=("reporting",))],
        migrations_dir=MIGRATIONS_DIR,
        lifespan_hooks=[
            wire_dependencies,
            schedule_worker,
            periodic("wallet_gauge", lambda app: app.state.settings.wallet_gauge_seconds, refresh_wallet_gauge),
            periodic("funding_sweep", lambda app: app.state.settings.funding_sweep_seconds, sweep_funding),
            periodic("reconciliation", lambda app: app.state.settings.reconciliation_seconds, reconcile_recent_days),
            periodic(
                "idempotency_purge", lambda app: app.state.settings.idempotency_purge_seconds, purge_idempotency_keys
            ),
        ],
    )
    document_idempotency_key(app)
    return app


app = build_app()
