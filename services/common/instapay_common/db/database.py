"""Async SQLAlchemy engine, session factory and declarative base scoped to a service's schema."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
from sqlalchemy import MetaData, event, exc
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

# Stable constraint names make Alembic autogenerate and hand-written migrations agree.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def schema_metadata(schema: str) -> MetaData:
    """The metadata of one service's tables: all in `schema`, constraints named by convention.

    Every service declares `class Base(DeclarativeBase): metadata = schema_metadata("...")` in its
    models.py (a class statement, so mypy and SQLAlchemy both see a real declarative base)."""
    return MetaData(schema=schema, naming_convention=NAMING_CONVENTION)


def normalize_async_url(url: str) -> str:
    """Accept plain `postgresql://` URLs (as libpq tools use) and select the asyncpg driver."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError("DATABASE_URL must be a postgresql:// URL")


def _discard_closed_connection(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Pool checkout hook: a connection whose socket the server closed (PostgreSQL restarted, or
    an idle connection terminated) is thrown away and the pool hands out a fresh one.

    This replaces SQLAlchemy's `pool_pre_ping`, which on asyncpg costs three round trips per
    checkout (BEGIN; ";" ; ROLLBACK) - more than a one-row read itself. asyncpg learns of a
    server-side close from the event loop, so the check is free. A connection that died without
    the socket noticing fails its first query instead: SQLAlchemy then invalidates the whole
    pool and the request gets a 503 (errors.py) that clients retry.
    """
    raw = getattr(dbapi_connection, "_connection", None)
    if raw is not None and raw.is_closed():
        raise exc.DisconnectionError("connection closed by the server")


class DatabaseUnreachable(ConnectionError):
    """No connection to PostgreSQL could be opened at all (no server on the socket, refused, host
    not resolved, connect timeout): the server is away, as while it restarts."""


async def _connect(*args: Any, **kwargs: Any) -> asyncpg.Connection:
    """asyncpg.connect, with socket-level failures raised as `DatabaseUnreachable`: SQLAlchemy
    passes them through unwrapped, and they are not all ConnectionErrors (a Unix socket missing
    while PostgreSQL is down is FileNotFoundError, an unresolved host socket.gaierror): without
    the wrapping the error handler could not tell them from a bug and would answer 500, not 503."""
    try:
        return await asyncpg.connect(*args, **kwargs)
    except ConnectionError:
        raise
    except OSError as exc:
        raise DatabaseUnreachable(f"{type(exc).__name__}: {exc}") from exc


def _use_guarded_connect(_dialect: Any, _record: Any, _cargs: Any, cparams: dict[str, Any]) -> None:
    cparams["async_creator_fn"] = _connect  # the asyncpg dialect calls this instead of asyncpg.connect


class Database:
    """Owns one engine (pool) and its session factories for the life of the app."""

    def __init__(self, url: str, *, pool_size: int = 10, max_overflow: int = 10, echo: bool = False) -> None:
        self.engine: AsyncEngine = create_async_engine(
            normalize_async_url(url),
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_recycle=1800,
            echo=echo,
        )
        event.listen(self.engine.sync_engine.pool, "checkout", _discard_closed_connection)
        event.listen(self.engine.sync_engine, "do_connect", _use_guarded_connect)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False)
        # Same pool, no BEGIN/COMMIT around each statement: for requests that read with a single
        # statement (a wallet, a profile lookup), where a transaction only adds two round trips.
        self.read_sessionmaker = async_sessionmaker(
            self.engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False, autoflush=False
        )

    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessionmaker() as session:
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
