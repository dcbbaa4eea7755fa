"""The body of every service's Alembic `env.py`: one environment per service, scoped to its schema.

A service's env.py is three lines: import its metadata and call `run_alembic(metadata)`.
The version table lives in the service's own schema, so services migrate independently.

Run as the migration role (which then owns the schema it creates) with DB_RUNTIME_ROLE (and, for
an emitting service, DB_RELAY_ROLE) set, it also grants those roles their privileges on the
schema (instapay_common.db.roles), in the migration's transaction.

A migration container starts as soon as PostgreSQL reports healthy, which under podman can be
while its DNS still reloads as the stack's containers join the network (docs/ARCHITECTURE.md,
Known gaps): the first lookup of `postgres` may fail. So the runner waits for the server, up to
MIGRATE_CONNECT_SECONDS (60 s), before it gives up.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time

from alembic import context
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from instapay_common.db.database import normalize_async_url
from instapay_common.db.rawsql import connection_lost
from instapay_common.db.roles import grant_statements


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL") or context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("Set DATABASE_URL to run migrations (e.g. postgresql://postgres@127.0.0.1/instapay)")
    return normalize_async_url(url)


def _run_sync(connection: Connection, metadata: MetaData, schema: str) -> None:
    connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table_schema=schema,
        include_schemas=True,
        include_name=lambda name, type_, _parent: type_ != "schema" or name == schema,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    runtime_role = os.environ.get("DB_RUNTIME_ROLE")
    if runtime_role:
        for statement in grant_statements(schema, runtime_role, os.environ.get("DB_RELAY_ROLE") or None):
            connection.execute(text(statement))


async def wait_for_server(engine: AsyncEngine, *, seconds: float) -> None:
    """Returns once a connection opens; retries while the server is away, for up to `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return
        except Exception as error:
            # Retried: a name not resolved, a refused port, a server starting up (connection_lost);
            # a wrong password or a missing database is not, and fails at once.
            if not connection_lost(error) or time.monotonic() >= deadline:
                raise
            print(f"migrate: database not reachable yet ({type(error).__name__}: {error}); retrying", file=sys.stderr)
            await asyncio.sleep(1)


async def _run_online(metadata: MetaData, schema: str) -> None:
    engine = create_async_engine(_database_url())
    try:
        await wait_for_server(engine, seconds=float(os.environ.get("MIGRATE_CONNECT_SECONDS", "60")))
        async with engine.begin() as conn:
            # Serialise concurrent migrators of the same schema (several replicas starting at once).
            await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:s))"), {"s": f"migrate:{schema}"})
            await conn.run_sync(_run_sync, metadata, schema)
    finally:
        await engine.dispose()


def run_alembic(metadata: MetaData) -> None:
    schema = metadata.schema
    if not schema:
        raise RuntimeError("service metadata must name its schema")
    if context.is_offline_mode():
        context.configure(
            url=_database_url(), target_metadata=metadata, version_table_schema=schema, literal_binds=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(metadata, schema))
