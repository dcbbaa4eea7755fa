"""Pool and query-time metrics from instapay_common.db.metrics, on a real PostgreSQL."""

import asyncio
import os
import secrets

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import text

from instapay_common.db.database import Database
from instapay_common.db.metrics import instrument_engine
from instapay_stack.postgres import drop_database, ensure_database


@pytest.fixture(scope="module")
def plain_database_url(pg):
    """An empty database: these tests need a server, not the services' schemas."""
    name = f"obs_{os.getpid()}_{secrets.token_hex(3)}"
    url = ensure_database(pg, name)
    yield url
    drop_database(pg, name)


def _sample(name: str, service: str) -> float | None:
    return REGISTRY.get_sample_value(name, {"service": service})


async def test_pool_gauges_follow_checkouts_and_queries_are_timed(plain_database_url):
    service = "dbmetrics-test"
    db = Database(plain_database_url, pool_size=2, max_overflow=1)
    instrument_engine(db.engine, service=service, capacity=3)
    try:
        assert _sample("db_pool_size", service) == 3
        assert _sample("db_pool_checked_out", service) == 0
        before = _sample("db_query_duration_seconds_count", service) or 0

        async with db.engine.connect() as c1, db.engine.connect() as c2:
            await c1.execute(text("SELECT 1"))
            await c2.execute(text("SELECT pg_sleep(0.05)"))
            assert _sample("db_pool_checked_out", service) == 2
        assert _sample("db_pool_checked_out", service) == 0

        # pool_pre_ping adds its own round trips, so at least our two statements were timed,
        # and the slow one landed above the 50 ms bucket boundary.
        assert (_sample("db_query_duration_seconds_count", service) or 0) >= before + 2
        slow = REGISTRY.get_sample_value("db_query_duration_seconds_bucket", {"service": service, "le": "0.025"})
        total = _sample("db_query_duration_seconds_count", service)
        assert slow is not None and slow < total
    finally:
        await db.dispose()


async def test_failed_statement_does_not_leak_a_checkout(plain_database_url):
    service = "dbmetrics-error-test"
    db = Database(plain_database_url, pool_size=1, max_overflow=0)
    instrument_engine(db.engine, service=service, capacity=1)
    try:
        for _ in range(3):
            async with db.engine.connect() as conn:
                try:
                    await conn.execute(text("SELECT * FROM no_such_table_here"))
                except Exception as exc:  # the driver's error type is not what is under test
                    assert "no_such_table_here" in str(exc)
        await asyncio.sleep(0)
        assert _sample("db_pool_checked_out", service) == 0
        assert (_sample("db_query_duration_seconds_count", service) or 0) >= 3
    finally:
        await db.dispose()
