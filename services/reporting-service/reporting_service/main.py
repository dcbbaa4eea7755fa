"""ASGI entry point: `uvicorn reporting_service.main:app`."""

from pathlib import Path

from fastapi import FastAPI

from instapay_common.web.app import create_service_app
from reporting_service.api import internal, reports
from reporting_service.config import ReportingSettings, get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def build_app(settings: ReportingSettings | None = None) -> FastAPI:
    return create_service_app(
        settings or get_settings(),
        title="Mini-InstaPay reporting service",
        routers=[reports.router, internal.router],
        migrations_dir=MIGRATIONS_DIR,
    )


app = build_app()
