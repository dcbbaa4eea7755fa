"""ASGI entry point: `uvicorn transaction_service.main:app`."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from instapay_common.app import create_service_app
from instapay_common.http_client import ServiceClient
from instapay_common.logging import get_logger
from transaction_service.accounts import count_wallets
from transaction_service.api.routes import routers
from transaction_service.config import TransactionSettings, get_settings
from transaction_service.funding import DevFundingProvider
from transaction_service.metrics import WALLETS
from transaction_service.peers import Peers

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
log = get_logger("transaction")


@asynccontextmanager
async def wire_dependencies(app: FastAPI) -> AsyncIterator[None]:
    settings: TransactionSettings = app.state.settings
    token = settings.internal_token.get_secret_value()
    app.state.peers = Peers(auth=ServiceClient(app.state.http, settings.auth_url, name="auth", internal_token=token),
                            user=ServiceClient(app.state.http, settings.user_url, name="user", internal_token=token))
    if not hasattr(app.state, "funding"):
        app.state.funding = DevFundingProvider(latency_ms=settings.funding_latency_ms)
    yield


@asynccontextmanager
async def wallet_gauge(app: FastAPI) -> AsyncIterator[None]:
    """Keeps `wallets_total` right across replicas (each one also bumps it on create)."""

    stop = asyncio.Event()

    async def refresh() -> None:
        while not stop.is_set():
            try:
                async with app.state.db.sessionmaker() as session:
                    WALLETS.set(await count_wallets(session))
            except Exception as exc:  # the database may be down for a moment; try again later
                log.warning("wallet_gauge_failed", error=type(exc).__name__)
            # An event, not cancellation: a cancel landing inside a DB call can be swallowed by the driver.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), app.state.settings.wallet_gauge_seconds)

    task = asyncio.create_task(refresh())
    yield
    stop.set()
    try:
        await asyncio.wait_for(task, 5)
    except TimeoutError:
        log.warning("wallet_gauge_stop_timeout")


def build_app(settings: TransactionSettings | None = None) -> FastAPI:
    return create_service_app(
        settings or get_settings(),
        title="Mini-InstaPay transaction service",
        routers=routers,
        migrations_dir=MIGRATIONS_DIR,
        lifespan_hooks=[wire_dependencies, wallet_gauge],
    )


app = build_app()
