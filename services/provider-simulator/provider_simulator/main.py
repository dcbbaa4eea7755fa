"""ASGI entry point: `uvicorn provider_simulator.main:app`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from instapay_common.web.app import create_service_app
from provider_simulator.api import charges, control, payouts, settlements, sms
from provider_simulator.config import SimulatorSettings, get_settings
from provider_simulator.service.delivery import DeliveryWorker
from provider_simulator.service.faults import FaultSwitch
from provider_simulator.service.sms_inbox import SmsInbox

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
    settings = settings or get_settings()
    app = create_service_app(
        settings,
        title="Mini-InstaPay provider simulator",
        routers=[charges.router, payouts.router, settlements.router, sms.router, control.router],
        migrations_dir=MIGRATIONS_DIR,
        lifespan_hooks=[run_worker],
    )
    app.state.faults = FaultSwitch()
    app.state.sms_inbox = SmsInbox(settings.simulator_sms_inbox_size)
    return app


app = build_app()
