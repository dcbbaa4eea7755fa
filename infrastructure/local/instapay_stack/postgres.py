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
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg

from instapay_common.db.roles import SCHEMAS, RoleNames, quote_ident, quote_literal

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


# ---- roles (instapay_common.db.roles: one migration role, one runtime role per process) ----


@dataclass(frozen=True)
class DatabaseRoles:
    """The provisioned roles of one database and how to connect as each."""

    names: RoleNames
    passwords: dict[str, str]
    base_url: str  # the URL they were provisioned with: host, port, database and options

    def url(self, role: str) -> str:
        return role_url(self.base_url, role, self.passwords[role])


def role_url(url: str, role: str, password: str) -> str:
    """`url` with its user and password replaced (host, port, database and query kept)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{quote(role, safe='')}:{quote(password, safe='')}@{host}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


async def _can_create_roles(conn: asyncpg.Connection) -> bool:
    return bool(await conn.fetchval("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"))


async def _provision_roles(url: str, names: RoleNames, passwords: dict[str, str]) -> bool:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        if not await _can_create_roles(conn):
            return False
        database = quote_ident(await conn.fetchval("SELECT current_database()"))
        migrator = quote_ident(names.migrator)
        for role in names.all():
            # CREATE ROLE has no IF NOT EXISTS; the password is set each time to the data dir's.
            exists = await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role)
            verb = "ALTER" if exists else "CREATE"
            await conn.execute(
                f"{verb} ROLE {quote_ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT "
                f"PASSWORD {quote_literal(passwords[role])}"
            )
        runtime = ", ".join(quote_ident(r) for r in names.runtime())
        # Nobody but our roles connects, and no runtime role creates anything (TEMP included).
        await conn.execute(f"REVOKE ALL ON DATABASE {database} FROM PUBLIC")
        await conn.execute(f"GRANT CONNECT ON DATABASE {database} TO {runtime}")
        await conn.execute(f"GRANT CONNECT, CREATE ON DATABASE {database} TO {migrator}")
        await conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")  # the default since PostgreSQL 15
        await _hand_schemas_to(conn, names.migrator)
        return True
    finally:
        await conn.close()


async def _hand_schemas_to(conn: asyncpg.Connection, migrator: str) -> None:
    """Schemas (and what is in them) created before the migration role existed, by an earlier
    `make up` as the server's superuser, become the migrator's, so its migrations may alter them."""
    owner = quote_ident(migrator)
    schemas = list(SCHEMAS.values())
    for (schema,) in await conn.fetch(
        "SELECT nspname FROM pg_namespace WHERE nspname = ANY($1::text[]) AND nspowner <> $2::regrole",
        schemas,
        migrator,
    ):
        await conn.execute(f"ALTER SCHEMA {quote_ident(schema)} OWNER TO {owner}")
    # Tables, views and free-standing sequences (those of identity and serial columns follow their table).
    rows = await conn.fetch(
        "SELECT n.nspname, c.relname, c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = ANY($1::text[]) AND c.relowner <> $2::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'S') "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i') "
        "AND c.relkind = 'S')",
        schemas,
        migrator,
    )
    kinds = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}
    for schema, name, kind in rows:
        await conn.execute(f"ALTER {kinds[kind]} {quote_ident(schema)}.{quote_ident(name)} OWNER TO {owner}")
    for (signature,) in await conn.fetch(
        "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = ANY($1::text[]) AND p.proowner <> $2::regrole",
        schemas,
        migrator,
    ):
        await conn.execute(f"ALTER ROUTINE {signature} OWNER TO {owner}")
    for schema, name in await conn.fetch(
        "SELECT n.nspname, t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        "WHERE n.nspname = ANY($1::text[]) AND t.typowner <> $2::regrole AND t.typtype IN ('e', 'd') ",
        schemas,
        migrator,
    ):
        await conn.execute(f"ALTER TYPE {quote_ident(schema)}.{quote_ident(name)} OWNER TO {owner}")


def provision_roles(url: str, names: RoleNames, passwords: dict[str, str]) -> bool:
    """Creates (or updates) the roles of `names` with `passwords` and hands the schemas to the
    migrator, connected with `url` (a superuser or CREATEROLE user). False, changing nothing, when
    that user may not create roles: then everything runs as that user, as before roles existed."""
    return asyncio.run(_provision_roles(url, names, passwords))


async def _drop_roles(admin_url: str, names: RoleNames) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        for role in reversed(names.all()):
            await conn.execute(f"DROP ROLE IF EXISTS {quote_ident(role)}")
    finally:
        await conn.close()


def drop_roles(handle: PostgresHandle, names: RoleNames) -> None:
    """After `drop_database`: the roles had privileges in that database only."""
    asyncio.run(_drop_roles(handle.admin_url, names))
