"""ASGI entry point: `uvicorn user_service.main:app`."""

from pathlib import Path

from fastapi import FastAPI

from instapay_common.web.app import create_service_app
from user_service.api.admin import router as admin_router
from user_service.api.internal import router as internal_router
from user_service.api.profiles import router as profiles_router
from user_service.config import UserSettings, get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def build_app(settings: UserSettings | None = None) -> FastAPI:
    return create_service_app(
        settings or get_settings(),
        title="Mini-InstaPay user service",
        routers=[profiles_router, admin_router, internal_router],
        migrations_dir=MIGRATIONS_DIR,
    )


app = build_app()
