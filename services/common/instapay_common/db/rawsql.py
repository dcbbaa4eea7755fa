"""Hot transactions on the pooled connection's asyncpg connection, without SQLAlchemy's
per-statement execution layer (a `text()` statement through an AsyncSession costs ~3x the CPU of
the same statement on asyncpg; docs/PERFORMANCE.md, "Ledger transaction on asyncpg").

The SQL keeps SQLAlchemy's `:name` parameters, so a statement reads the same in both worlds;
`Sql` turns it into asyncpg's `$n` form once, when the module that holds it is imported:

    LOCK = Sql("SELECT id, balance FROM ledger.accounts WHERE user_id = ANY(:ids) FOR UPDATE")
    async with transaction(db) as conn:
        rows = await conn.fetch(LOCK, ids=user_ids)

Connections come from the engine's pool (same checkout hook, same JSON/JSONB codecs: a JSONB
parameter is a JSON string, a JSONB column comes back decoded). asyncpg rows are `Record`s:
`row["name"]` or `row[0]`, not attributes.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import asyncpg
from asyncpg.transaction import Transaction
from prometheus_client import Histogram

from instapay_common.db.database import Database
from instapay_common.db.metrics import query_timer
from instapay_common.errors import database_unavailable

T = TypeVar("T")

# Quoted strings, quoted identifiers and comments are copied as they are (a colon inside them is
# not a parameter); `::` is a cast; `:name` not preceded by a word character is a parameter.
_TOKENS = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|/\*.*?\*/|::|(?<![\w:]):([A-Za-z_]\w*)""", re.DOTALL)


def to_positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """`:name` parameters -> `$1, $2, ...` (a name used twice gets the same number); returns the
    rewritten SQL and the names in number order."""
    names: dict[str, int] = {}

    def number(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)
        return f"${names.setdefault(name, len(names) + 1)}"

    return _TOKENS.sub(number, sql), tuple(names)


class Sql:
    """One statement, converted once; `args` orders a call's named values for asyncpg."""

    __slots__ = ("names", "text")

    def __init__(self, sql: str) -> None:
        self.text, self.names = to_positional(sql)

    def args(self, params: Mapping[str, Any]) -> list[Any]:
        if len(params) != len(self.names):  # a misspelt or forgotten name fails here, not in SQL
            raise TypeError(f"statement takes {sorted(self.names)}, got {sorted(params)}")
        return [params[name] for name in self.names]


class RawConnection:
    """The asyncpg connection of one checkout, taking `Sql` statements with named values. Each
    round trip is timed into `db_query_duration_seconds`, as SQLAlchemy's statements are by the
    cursor events (db_metrics.py), which do not fire here."""

    __slots__ = ("_timer", "raw")

    def __init__(self, raw: asyncpg.Connection, timer: Histogram | None) -> None:
        self.raw = raw
        self._timer = timer

    async def fetch(self, sql: Sql, **params: Any) -> list[asyncpg.Record]:
        return await self._timed(self.raw.fetch, sql, params)

    async def fetchrow(self, sql: Sql, **params: Any) -> asyncpg.Record | None:
        return await self._timed(self.raw.fetchrow, sql, params)

    async def fetchval(self, sql: Sql, **params: Any) -> Any:
        return await self._timed(self.raw.fetchval, sql, params)

    async def execute(self, sql: Sql, **params: Any) -> None:
        await self._timed(self.raw.execute, sql, params)

    def savepoint(self) -> Transaction:
        """`async with conn.savepoint():` - an exception inside undoes only what ran inside."""
        return self.raw.transaction()

    async def _timed(self, method: Callable[..., Awaitable[T]], sql: Sql, params: Mapping[str, Any]) -> T:
        args = sql.args(params)
        if self._timer is None:
            return await method(sql.text, *args)
        started = time.perf_counter()
        try:
            return await method(sql.text, *args)
        finally:
            self._timer.observe(time.perf_counter() - started)


class DatabaseConnectionLost(ConnectionError):
    """The connection broke during a raw transaction (server restarted or terminated it). A
    ConnectionError, so the shared error handler answers 503 as it does for SQLAlchemy's own
    disconnect errors; a client retrying with the same Idempotency-Key gets the stored answer if
    the COMMIT did reach the server before the connection broke."""


def connection_lost(exc: BaseException) -> bool:
    """Any socket error on the raw path, or what the shared handler counts as the database being
    away (InterfaceError "connection is closed", InternalClientError, SQLSTATE 08/57P0x)."""
    return isinstance(exc, OSError) or database_unavailable(exc)


@asynccontextmanager
async def _checked_out(db: Database) -> AsyncIterator[RawConnection]:
    """The asyncpg connection of a connection checked out of `db`'s pool (same checkout hook and
    codecs as the sessions'). A connection whose state is unknown afterwards (lost, or still inside
    a transaction because the ROLLBACK failed or was cancelled) is invalidated, not pooled again."""
    async with db.engine.connect() as sa_conn:
        raw: asyncpg.Connection | None = (await sa_conn.get_raw_connection()).driver_connection
        if raw is None:  # only an invalidated connection has none, and the pool never hands one out
            raise DatabaseConnectionLost("the pooled connection has no asyncpg connection")
        try:
            yield RawConnection(raw, query_timer(db.engine))
        except BaseException as exc:
            lost = connection_lost(exc)
            if lost or raw.is_closed() or raw.is_in_transaction():
                await sa_conn.invalidate()
            if lost:
                raise DatabaseConnectionLost(f"{type(exc).__name__}: {exc}") from exc
            raise


@asynccontextmanager
async def connection(db: Database) -> AsyncIterator[RawConnection]:
    """A pooled connection outside any transaction (each statement commits on its own): for reads
    of one statement, where BEGIN/COMMIT would only add two round trips."""
    async with _checked_out(db) as conn:
        yield conn


@asynccontextmanager
async def transaction(db: Database) -> AsyncIterator[RawConnection]:
    """One database transaction (BEGIN ... COMMIT, ROLLBACK on any exception) on a pooled
    connection; `conn.savepoint()` blocks inside it are savepoints."""
    async with _checked_out(db) as conn, conn.raw.transaction():
        yield conn
