"""PostgreSQL for the local stack and tests: `DATABASE_URL` when set, else a private embedded
server under `.data/` (the `pgserver` package: PostgreSQL binaries from PyPI, works as root too).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import asyncpg

if TYPE_CHECKING:
    from pgserver.postgres_server import PostgresServer

# pgserver logs at exit, after pytest has closed its capture streams: keep it to warnings.
logging.getLogger("pgserver").setLevel(logging.WARNING)

# Room for every service's pool, the relays and a test run or two at once.
MIN_MAX_CONNECTIONS = 400


@dataclass
class PostgresHandle:
    admin_url: str  # a libpq URL to the maintenance database `postgres`
    server: PostgresServer | None = None  # the pgserver handle when we started one

    def database_url(self, database: str) -> str:
        parts = urlsplit(self.admin_url)
        return urlunsplit(parts._replace(path="/" + database))

    def stop(self) -> None:
        if self.server is not None:
            self.server.cleanup()
            self.server = None

    def restart(self, *, down_seconds: float = 1.0, timeout: float = 120.0) -> None:
        """A real PostgreSQL restart of the server we started (the bank test's fault): fast shutdown
        (sessions terminated, transactions rolled back, checkpoint), `down_seconds` with no server at
        all (connects fail), then a start on the same data dir and socket, so every URL handed out
        stays valid. Blocks until the server accepts connections again."""
        if self.server is None:
            raise RuntimeError("only an embedded server started here can be restarted, not DATABASE_URL's")
        # pgserver makes its pg_ctl wrapper at import time, out of sight of a type checker: build
        # the same wrapper by name.
        from pgserver._commands import create_command_function

        pg_ctl = create_command_function("pg_ctl")

        server = self.server
        before = server.get_postmaster_info()
        pg_ctl(
            ["-w", "-t", str(int(timeout)), "-m", "fast", "stop"],
            pgdata=server.pgdata,
            user=server.system_user,
            timeout=timeout + 10,
        )
        time.sleep(down_seconds)
        # pgserver's own start allows pg_ctl 10 s, too little on a loaded machine: start with the
        # options it used (no TCP, socket in the same directory), then let it re-read postmaster.pid.
        pg_ctl(
            [
                "-w",
                "-t",
                str(int(timeout)),
                "-o",
                '-h ""',
                "-o",
                f"-k {before.socket_dir}",
                "-l",
                str(server.log),
                "start",
            ],
            pgdata=server.pgdata,
            user=server.system_user,
            timeout=timeout + 10,
        )
        server.ensure_postgres_running()
        if server.get_uri() != before.get_uri():
            raise RuntimeError(f"restarted server moved: {before.get_uri()} -> {server.get_uri()}")


def _start_embedded(data_dir: Path) -> PostgresServer:
    from pgserver.postgres_server import get_server  # lazily: not needed when DATABASE_URL points at a server

    data_dir.mkdir(parents=True, exist_ok=True)
    return get_server(str(data_dir), cleanup_mode="stop")


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
