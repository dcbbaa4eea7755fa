"""Runs every service's Alembic migrations to head (each in its own schema), as the migration role
when the database has roles (instapay_common.db.roles), then grants each runtime role its schema."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterable

import asyncpg

from instapay_common.db.migration_heads import migration_heads
from instapay_common.db.roles import EMITTERS, grant_statements
from instapay_stack.postgres import DatabaseRoles
from instapay_stack.processes import Progress, StackError
from instapay_stack.services import LOCAL_SERVICES, ServiceSpec


class MigrationFailed(StackError):
    pass


async def _current_versions(database_url: str, schemas: list[str]) -> dict[str, set[str]]:
    conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        found: dict[str, set[str]] = {}
        for schema in schemas:
            exists = await conn.fetchval("SELECT to_regclass($1)", f"{schema}.alembic_version")
            # schema names come from our own service specs, never from input
            rows = await conn.fetch(f'SELECT version_num FROM "{schema}".alembic_version') if exists else []  # noqa: S608
            found[schema] = {r[0] for r in rows}
        return found
    finally:
        await conn.close()


def _behind_head(database_url: str, specs: list[ServiceSpec]) -> list[ServiceSpec]:
    """Services whose schema is not at head: one query and the heads read from the revision files,
    instead of an Alembic run per schema (and without importing Alembic in the launcher)."""
    heads = {s.name: migration_heads(s.path / "migrations") for s in specs}
    schemas = {s.name: str(s.schema) for s in specs}
    current = asyncio.run(_current_versions(database_url, list(schemas.values())))
    return [s for s in specs if current.get(schemas[s.name]) != heads[s.name]]


def _role_env(spec: ServiceSpec, roles: DatabaseRoles | None) -> dict[str, str]:
    if roles is None:
        return {}
    return {
        "DB_RUNTIME_ROLE": roles.names.service(spec.name),
        "DB_RELAY_ROLE": roles.names.relay(spec.name) if spec.name in EMITTERS else "",
    }


async def _grant(database_url: str, specs: list[ServiceSpec], roles: DatabaseRoles) -> None:
    conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        async with conn.transaction():
            for spec in specs:
                env = _role_env(spec, roles)
                for statement in grant_statements(str(spec.schema), env["DB_RUNTIME_ROLE"], env["DB_RELAY_ROLE"]):
                    await conn.execute(statement)
    finally:
        await conn.close()


def migrate_all(
    database_url: str,
    *,
    services: Iterable[ServiceSpec] = LOCAL_SERVICES,
    python: str = sys.executable,
    progress: Progress = print,
    roles: DatabaseRoles | None = None,
) -> None:
    """Migrates the services in parallel (separate processes: each Alembic env imports its own models).

    Schemas already at head are skipped, so a second `make up` does not pay for five Alembic runs.
    With `roles`, migrations run as the migration role and every schema's grants are (re)made,
    those at head too (roles created after their schema was, by an older `make up`).
    """
    if roles is not None:
        database_url = roles.url(roles.names.migrator)
    running = []
    candidates = [s for s in services if s.migrates]
    todo = _behind_head(database_url, candidates)
    for spec in candidates:
        if spec not in todo:
            progress(f"  {spec.name} already at head")
    for spec in todo:
        cmd = [python, "-m", "alembic", "-c", str(spec.path / "alembic.ini"), "upgrade", "head"]
        env = {**os.environ, "DATABASE_URL": database_url, **_role_env(spec, roles)}
        running.append(
            (
                spec,
                subprocess.Popen(
                    cmd, cwd=spec.path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
                ),
            )
        )
    failed = []
    for spec, proc in running:
        out, _ = proc.communicate()
        if proc.returncode != 0:
            failed.append(f"--- {spec.name} ---\n{out}")
        else:
            progress(f"  migrated {spec.name}")
    if failed:
        raise MigrationFailed("migrations failed (fix the migration, or check DATABASE_URL):\n" + "\n".join(failed))
    if roles is not None:
        asyncio.run(_grant(database_url, candidates, roles))
