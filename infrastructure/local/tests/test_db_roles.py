"""Least privilege in the database (instapay_common.db.roles), tried against the running stack:
each service's runtime role reads and writes its own schema and nothing else, and cannot change
any structure; a relay sees only its emitter's outbox; the migration role owns the schemas.
A database migrated before roles existed (an older `make up`) is handed over to them."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import asyncpg
import pytest

from instapay_common.db.roles import EMITTERS, SCHEMAS, RoleNames
from instapay_stack.migrate import migrate_all
from instapay_stack.postgres import DatabaseRoles, drop_database, drop_roles, ensure_database
from instapay_stack.services import SERVICES
from instapay_stack.stack import Stack, StackConfig


async def _denied(url: str, sql: str) -> str:
    conn = await asyncpg.connect(url)
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError) as exc:
            await conn.execute(sql)
        return str(exc.value)
    finally:
        await conn.close()


async def _fetchval(url: str, sql: str) -> object:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


def _url(stack: Stack, role: str) -> str:
    assert stack.roles is not None, "the test server lets the stack create roles"
    return stack.roles.url(role)


async def test_a_service_role_reads_its_own_schema_only_and_cannot_change_structure(stack):
    names = stack.role_names
    transaction = _url(stack, names.service("transaction"))
    assert await _fetchval(transaction, "SELECT count(*) FROM ledger.accounts") is not None  # its own: fine

    assert "permission denied for schema auth" in await _denied(transaction, "SELECT * FROM auth.alembic_version")
    assert "permission denied for schema ledger" in await _denied(transaction, "CREATE TABLE ledger.sneaky (id int)")
    assert "must be owner" in await _denied(transaction, "ALTER TABLE ledger.accounts ADD COLUMN sneaky int")
    assert "must be owner" in await _denied(transaction, "DROP TABLE ledger.accounts")
    await _denied(transaction, "CREATE SCHEMA sneaky")
    await _denied(transaction, "CREATE TEMP TABLE sneaky (id int)")
    await _denied(transaction, "CREATE TABLE public.sneaky (id int)")
    # The ledger's append-only rule is the trigger's; TRUNCATE is not even granted.
    await _denied(transaction, "TRUNCATE ledger.postings")

    for service, own in SCHEMAS.items():
        url = _url(stack, names.service(service))
        for other in set(SCHEMAS.values()) - {own}:
            await _denied(url, f'SELECT * FROM "{other}".alembic_version')


async def test_a_relay_role_sees_its_emitters_outbox_only(stack):
    relay = _url(stack, stack.role_names.relay("transaction"))
    assert await _fetchval(relay, "SELECT count(*) FROM ledger.outbox_events") is not None
    assert await _fetchval(relay, "SELECT count(*) FROM ledger.outbox_deliveries") is not None
    await _denied(relay, "SELECT * FROM ledger.accounts")
    await _denied(relay, "DELETE FROM ledger.outbox_events")
    await _denied(relay, "SELECT * FROM auth.outbox_events")


async def test_the_migration_role_owns_every_schema_and_what_is_in_it(stack):
    owners = await _fetchval(
        stack.config.database_url,
        "SELECT array_agg(DISTINCT pg_get_userbyid(c.relowner)) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY(ARRAY" + str(list(SCHEMAS.values())) + ")",
    )
    assert owners == [stack.role_names.migrator]
    schema_owners = await _fetchval(
        stack.config.database_url,
        "SELECT array_agg(DISTINCT pg_get_userbyid(nspowner)) FROM pg_namespace WHERE nspname = ANY(ARRAY"
        + str(list(SCHEMAS.values()))
        + ")",
    )
    assert schema_owners == [stack.role_names.migrator]


def test_a_database_migrated_before_roles_existed_is_handed_over(pg, tmp_path):
    name = f"preroles_{os.getpid()}_{secrets.token_hex(3)}"
    url = ensure_database(pg, name)
    stack = Stack(StackConfig(database_url=url, data_dir=tmp_path, log_dir=tmp_path / "logs"))
    try:
        migrate_all(url, progress=lambda _m: None)  # as the server's superuser, as `make up` did
        stack.migrate(progress=lambda _m: None)  # roles created, schemas handed over, grants made
        reporting = _url(stack, stack.role_names.service("reporting"))
        assert asyncio.run(_fetchval(reporting, "SELECT count(*) FROM reporting.movements")) == 0
        migrator = stack.role_names.migrator
        functions = asyncio.run(
            _fetchval(
                url,
                "SELECT array_agg(DISTINCT pg_get_userbyid(p.proowner)) FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'ledger'",
            )
        )
        assert functions == [migrator]
    finally:
        drop_database(pg, name)
        drop_roles(pg, stack.role_names)


ROLE_SCRIPT = Path(__file__).resolve().parents[2] / "db" / "create-roles.sh"


def test_the_compose_and_kubernetes_role_script_then_migrations_as_the_migrator(pg, tmp_path):
    """infrastructure/db/create-roles.sh as the postgres image runs it (POSTGRES_USER, POSTGRES_DB and
    the DB_*_PASSWORD variables), twice (the Kubernetes Job re-runs it), then each service's
    migration as compose runs it: as the migrator with DB_RUNTIME_ROLE/DB_RELAY_ROLE."""
    import pgserver

    name = f"script_{os.getpid()}_{secrets.token_hex(3)}"
    url = ensure_database(pg, name)
    names = RoleNames(name)
    passwords = {role: secrets.token_urlsafe(24) for role in names.all()}
    env = {
        "PATH": f"{Path(pgserver.__file__).parent / 'pginstall' / 'bin'}:{os.environ['PATH']}",
        "PGHOST": parse_qs(urlsplit(url).query)["host"][0],
        "POSTGRES_USER": urlsplit(url).username or "postgres",
        "POSTGRES_DB": name,
        **{f"DB_{role.removeprefix(name + '_').upper()}_PASSWORD": pw for role, pw in passwords.items()},
    }
    roles = DatabaseRoles(names, passwords, url)
    try:
        for _ in range(2):
            done = subprocess.run(["sh", str(ROLE_SCRIPT)], env=env, capture_output=True, text=True, check=False)
            assert done.returncode == 0, done.stderr
        for spec in SERVICES:
            if not spec.migrates:
                continue
            migrate = subprocess.run(
                [sys.executable, "-m", "alembic", "-c", "alembic.ini", "upgrade", "head"],
                cwd=spec.path,
                env={
                    **os.environ,
                    "DATABASE_URL": roles.url(names.migrator),
                    "DB_RUNTIME_ROLE": names.service(spec.name),
                    "DB_RELAY_ROLE": names.relay(spec.name) if spec.name in EMITTERS else "",
                },
                capture_output=True,
                text=True,
                check=False,
            )
            assert migrate.returncode == 0, migrate.stdout + migrate.stderr
        transaction = roles.url(names.service("transaction"))
        assert asyncio.run(_fetchval(transaction, "SELECT count(*) FROM ledger.accounts")) is not None
        asyncio.run(_denied(transaction, "SELECT * FROM auth.alembic_version"))
        asyncio.run(_denied(transaction, "CREATE TABLE ledger.sneaky (id int)"))
        relay = roles.url(names.relay("user"))
        assert asyncio.run(_fetchval(relay, "SELECT count(*) FROM users.outbox_events")) == 0
        asyncio.run(_denied(relay, "SELECT * FROM users.profiles"))
    finally:
        drop_database(pg, name)
        drop_roles(pg, names)
