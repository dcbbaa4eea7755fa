"""Liveness (`/healthz`) and readiness (`/readyz`: database reachable and migrations at head)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import APIRouter
from sqlalchemy import text
from starlette.responses import JSONResponse

from instapay_common.db.database import Database
from instapay_common.db.migration_heads import migration_heads  # without Alembic: see that module

ReadinessCheck = Callable[[], Awaitable[tuple[bool, str]]]


def database_check(db: Database, schema: str, migrations_dir: Path) -> ReadinessCheck:
    expected = migration_heads(migrations_dir)

    async def check() -> tuple[bool, str]:
        try:
            async with db.engine.connect() as conn:
                rows = await conn.execute(text(f'SELECT version_num FROM "{schema}".alembic_version'))  # noqa: S608 - schema from our own settings
                current = {r[0] for r in rows}
        except Exception as exc:  # any failure here means "not ready", with the reason
            return False, f"database: {type(exc).__name__}"
        if current != expected:
            return False, f"migrations not at head (at {sorted(current)}, head {sorted(expected)})"
        return True, "ok"

    return check


def health_router(checks: dict[str, ReadinessCheck]) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz")
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        results = {name: await check() for name, check in checks.items()}
        ready = all(ok for ok, _ in results.values())
        return JSONResponse(
            {
                "status": "ready" if ready else "not_ready",
                "checks": {name: detail for name, (_, detail) in results.items()},
            },
            status_code=200 if ready else 503,
        )

    return router
