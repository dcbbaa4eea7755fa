"""ASGI entry point: `uvicorn provider_simulator.main:app`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from instapay_common.web.app import create_service_app
from provider_simulator.api import charges, control, payouts, settlements
from provider_simulator.config import SimulatorSettings, get_settings
from provider_simulator.service.delivery import DeliveryWorker
from provider_simulator.service.faults import FaultSwitch

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


@asynccontextmanager
async def run_worker(app: FastAPI) -> AsyncIterator[None]:
    worker = DeliveryWorker(app.state.db, app.state.http, app.state.settings, app.state.faults)
    app.state.worker = worker
    worker.start()
    try:
        yield
    finally:
        await worker.stop()


def build_app(settings: SimulatorSettings | None = None) -> FastAPI:
    app = create_service_app(
        settings or get_settings(),
        title="Mini-InstaPay provider simulator",
        routers=[charges.router, payouts.router, settlements.router, control.router],
        migrations_dir=MIGRATIONS_DIR,
        lifespan_hooks=[run_worker],
    )
    app.state.faults = FaultSwitch()
    return app


app = build_app()
