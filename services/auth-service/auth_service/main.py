"""ASGI entry point: `uvicorn auth_service.main:app`."""

from pathlib import Path

from fastapi import FastAPI

from auth_service.api.routes import router
from auth_service.config import get_settings
from instapay_common.app import create_service_app
from instapay_common.settings import ServiceSettings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def build_app(settings: ServiceSettings | None = None) -> FastAPI:
    return create_service_app(
        settings or get_settings(),
        title="Mini-InstaPay auth service",
        routers=[router],
        migrations_dir=MIGRATIONS_DIR,
    )


app = build_app()
