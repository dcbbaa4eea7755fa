"""PostgreSQL for the local stack and tests: `DATABASE_URL` when set, else a private embedded
server under `.data/` (the `pgserver` package: PostgreSQL binaries from PyPI, works as root too).
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

# pgserver logs at exit, after pytest has closed its capture streams: keep it to warnings.
logging.getLogger("pgserver").setLevel(logging.WARNING)

# Room for every service's pool, the relays and a test run or two at once.
MIN_MAX_CONNECTIONS = 400


@dataclass
class PostgresHandle:
    admin_url: str  # a libpq URL to the maintenance database `postgres`
    server: Any = None  # the pgserver handle when we started one

    def database_url(self, database: str) -> str:
        parts = urlsplit(self.admin_url)
        return urlunsplit(parts._replace(path="/" + database))

    def stop(self) -> None:
        if self.server is not None:
            self.server.cleanup()
            self.server = None


def _start_embedded(data_dir: Path) -> Any:
    import pgserver  # imported lazily: not needed when DATABASE_URL points at a server

    data_dir.mkdir(parents=True, exist_ok=True)
    return pgserver.get_server(str(data_dir), cleanup_mode="stop")


async def _max_connections(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval("SHOW max_connections"))
    finally:
        await conn.close()


async def _raise_max_connections(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"ALTER SYSTEM SET max_connections = {MIN_MAX_CONNECTIONS}")
    finally:
        await conn.close()


def open_postgres(data_dir: Path, *, env: dict[str, str] | None = None) -> PostgresHandle:
    """Connect to DATABASE_URL's server, or start (or join) the embedded one in `data_dir`."""
    env = env if env is not None else dict(os.environ)
    url = env.get("DATABASE_URL")
    if url:
        parts = urlsplit(url.replace("postgresql+asyncpg://", "postgresql://"))
        return PostgresHandle(admin_url=urlunsplit(parts._replace(path="/postgres")))
    server = _start_embedded(data_dir)
    admin = server.get_uri()
    if asyncio.run(_max_connections(admin)) < MIN_MAX_CONNECTIONS:
        # First start of a fresh data dir: raise the limit once and restart (ALTER SYSTEM persists).
        asyncio.run(_raise_max_connections(admin))
        server.cleanup()
        server = _start_embedded(data_dir)
        admin = server.get_uri()
    return PostgresHandle(admin_url=admin, server=server)


async def _ensure_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def _drop_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def ensure_database(handle: PostgresHandle, name: str) -> str:
    """Creates database `name` if missing; returns its URL."""
    asyncio.run(_ensure_database(handle.admin_url, name))
    return handle.database_url(name)


def drop_database(handle: PostgresHandle, name: str) -> None:
    asyncio.run(_drop_database(handle.admin_url, name))
