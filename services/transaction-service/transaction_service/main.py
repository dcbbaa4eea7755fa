"""ASGI entry point: `uvicorn transaction_service.main:app`."""

from pathlib import Path

from fastapi import FastAPI

from instapay_common.app import create_service_app
from instapay_common.settings import ServiceSettings
from transaction_service.api.routes import router
from transaction_service.config import get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def build_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(
        settings or get_settings(),
        title="Mini-InstaPay transaction service",
        routers=[router],
        migrations_dir=MIGRATIONS_DIR,
    )


app = build_app()
