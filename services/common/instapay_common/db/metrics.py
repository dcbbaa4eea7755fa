"""Database dependency metrics: connection-pool use and query time, from SQLAlchemy engine events.

Pool exhaustion shows up as requests waiting on `pool.connect()` long before the database itself
is slow, so operators need `db_pool_checked_out` against `db_pool_size` (see the
`DatabasePoolNearExhaustion` alert in infrastructure/observability). Query time is measured per
statement on the sync engine underneath the async one (asyncpg runs through SQLAlchemy's greenlet
adapter, so the cursor events fire around the real round trip).
"""

from __future__ import annotations

import time
import weakref

from prometheus_client import Gauge, Histogram
from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection, DBAPICursor, ExceptionContext, ExecutionContext
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

DB_POOL_CHECKED_OUT = Gauge("db_pool_checked_out", "Connections currently checked out of the pool.", ["service"])
DB_POOL_SIZE = Gauge("db_pool_size", "Most connections the pool may hold (pool_size + max_overflow).", ["service"])
DB_QUERY_DURATION = Histogram(
    "db_query_duration_seconds",
    "Time of one SQL statement round trip.",
    ["service"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)

_STARTED_KEY = "instapay_query_started"
# Each instrumented engine's query-time series, for statements run on its connections' raw asyncpg
# connection (instapay_common.db.rawsql), which fire no cursor events: they time themselves.
_QUERY_TIMERS: weakref.WeakKeyDictionary[Engine, Histogram] = weakref.WeakKeyDictionary()


def query_timer(engine: AsyncEngine) -> Histogram | None:
    return _QUERY_TIMERS.get(engine.sync_engine)


def instrument_engine(engine: AsyncEngine, *, service: str, capacity: int) -> None:
    """Attach pool and query listeners to `engine`; `capacity` is pool_size + max_overflow."""
    sync_engine = engine.sync_engine
    checked_out = DB_POOL_CHECKED_OUT.labels(service)
    query_time = DB_QUERY_DURATION.labels(service)
    DB_POOL_SIZE.labels(service).set(capacity)
    checked_out.set(0)
    _QUERY_TIMERS[sync_engine] = query_time

    # Gauge inc/dec (not pool.checkedout() polling) so the value is exact at scrape time without
    # touching the pool's lock from the metrics endpoint.
    @event.listens_for(sync_engine, "checkout")
    def _on_checkout(_dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry, _proxy: PoolProxiedConnection) -> None:
        checked_out.inc()

    @event.listens_for(sync_engine, "checkin")
    def _on_checkin(_dbapi_conn: DBAPIConnection | None, _record: ConnectionPoolEntry) -> None:
        checked_out.dec()

    @event.listens_for(sync_engine, "before_cursor_execute")
    def _before(
        conn: Connection,
        _cursor: DBAPICursor,
        _statement: str,
        _params: object,
        _context: ExecutionContext | None,
        _executemany: bool,
    ) -> None:
        conn.info.setdefault(_STARTED_KEY, []).append(time.perf_counter())

    @event.listens_for(sync_engine, "after_cursor_execute")
    def _after(
        conn: Connection,
        _cursor: DBAPICursor,
        _statement: str,
        _params: object,
        _context: ExecutionContext | None,
        _executemany: bool,
    ) -> None:
        stack = conn.info.get(_STARTED_KEY)
        if stack:
            query_time.observe(time.perf_counter() - stack.pop())

    @event.listens_for(sync_engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        # A failed statement never reaches after_cursor_execute; drop its start time.
        conn = context.connection
        stack = conn.info.get(_STARTED_KEY) if conn is not None else None
        if stack:
            query_time.observe(time.perf_counter() - stack.pop())
