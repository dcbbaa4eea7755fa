"""Readiness: database reachable and this service's migrations at head (real PostgreSQL)."""

from pathlib import Path

import asyncpg

from instapay_common.settings import ServiceSettings
from instapay_common.web.app import create_service_app
from instapay_stack.paths import SERVICES_DIR
from instapay_stack.postgres import drop_database, ensure_database
from instapay_stack.testing import running_app

USER_MIGRATIONS = SERVICES_DIR / "user-service" / "migrations"


def app_for(url: str, migrations: Path):
    settings = ServiceSettings(service_name="health-test", database_url=url, db_schema="users")
    return create_service_app(settings, title="t", migrations_dir=migrations)


async def test_ready_when_migrated(database_url):
    async with running_app(app_for(database_url, USER_MIGRATIONS)) as client:
        assert (await client.get("/healthz")).status_code == 200
        r = await client.get("/readyz")
    assert r.status_code == 200, r.text
    assert r.json()["checks"]["database"] == "ok"


async def test_not_ready_when_unmigrated(pg):
    url = await _run(ensure_database, pg, "test_unmigrated_health")
    try:
        async with running_app(app_for(url, USER_MIGRATIONS)) as client:
            r = await client.get("/readyz")
        assert r.status_code == 503
        assert r.json()["status"] == "not_ready"
    finally:
        await _run(drop_database, pg, "test_unmigrated_health")


async def test_not_ready_when_behind_head(pg, tmp_path):
    url = await _run(ensure_database, pg, "test_behind_head")
    try:
        conn = await asyncpg.connect(url.replace("+asyncpg", ""))
        await conn.execute(
            "CREATE SCHEMA users; CREATE TABLE users.alembic_version (version_num varchar(32));"
            "INSERT INTO users.alembic_version VALUES ('0000')"
        )
        await conn.close()
        async with running_app(app_for(url, USER_MIGRATIONS)) as client:
            r = await client.get("/readyz")
        assert r.status_code == 503
        assert "not at head" in r.json()["checks"]["database"]
    finally:
        await _run(drop_database, pg, "test_behind_head")


async def _run(fn, *args):
    # ensure/drop use asyncio.run internally; keep them off this loop.
    import asyncio

    return await asyncio.to_thread(fn, *args)
