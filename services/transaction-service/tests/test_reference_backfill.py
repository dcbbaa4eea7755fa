"""Migration 0006 gives every existing transaction a reference: transfers (one for both sides),
completed top-ups, and pending withdrawals (kept when they complete later)."""

import asyncio
import os
import re
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from instapay_stack.e2e import DEFAULT_PIN as PIN
from instapay_stack.migrate import migrate_all
from instapay_stack.postgres import drop_database, ensure_database
from instapay_stack.services import SERVICES

SERVICE_DIR = Path(__file__).resolve().parents[1]
REFERENCE = re.compile(r"^IP[0-9A-HJKMNP-TV-Z]{8}$")


@pytest.fixture
def fresh_db(pg):
    name = f"transaction_fresh_{os.getpid()}_{secrets.token_hex(3)}"
    url = ensure_database(pg, name)
    migrate_all(url, services=[s for s in SERVICES if s.name == "transaction"], progress=lambda _m: None)
    yield url
    drop_database(pg, name)


def alembic(url: str, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(SERVICE_DIR / "alembic.ini"), *args],
        cwd=SERVICE_DIR,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=True,
    )


async def _history(ctx, user):
    return (await ctx.client.get("/api/v1/transactions", headers=ctx.auth(user["user_id"]))).json()["items"]


async def test_the_migration_backfills_a_unique_reference_for_every_transaction(fresh_db, ctx_at):
    async with ctx_at(fresh_db) as ctx:
        alice = await ctx.user(balance="300.00")
        bob = await ctx.user(balance="50.00")
        for amount in ("10.00", "20.00"):
            r = await ctx.client.post(
                "/api/v1/transfers",
                headers={**ctx.auth(alice["user_id"]), "Idempotency-Key": uuid.uuid4().hex},
                json={"recipient": bob["handle"], "amount": amount, "pin": PIN},
            )
            assert r.status_code == 201, r.text
        pending = await ctx.withdraw(bob, "5.00")
        assert pending.status_code == 201, pending.text

    await asyncio.to_thread(alembic, fresh_db, "downgrade", "0005_phone_verified")
    await asyncio.to_thread(alembic, fresh_db, "upgrade", "head")

    async with ctx_at(fresh_db) as ctx:
        ctx.directory.users.update({u["user_id"]: u for u in (alice, bob)})
        rows_a, rows_b = await _history(ctx, alice), await _history(ctx, bob)
        assert len(rows_a) == 3 and len(rows_b) == 4
        for row in rows_a + rows_b:
            assert REFERENCE.match(row["reference"] or ""), row
        by_id_a = {r["id"]: r["reference"] for r in rows_a}
        by_id_b = {r["id"]: r["reference"] for r in rows_b}
        shared = set(by_id_a) & set(by_id_b)
        assert len(shared) == 2 and all(by_id_a[i] == by_id_b[i] for i in shared)  # a transfer: one reference
        assert len(set(by_id_a.values()) | set(by_id_b.values())) == len(set(by_id_a) | set(by_id_b))
        op_id = uuid.UUID(pending.json()["id"])
        kept = by_id_b[str(op_id)]
        await ctx.deliver_payout_requests(op_id)
        headers, body = ctx.app.state.funding.settle(op_id, "payout.paid")
        assert (await ctx.post_callback(headers, body)).status_code == 200
        done = (await ctx.client.get(f"/api/v1/transactions/{op_id}", headers=ctx.auth(bob["user_id"]))).json()
        assert (done["status"], done["reference"]) == ("completed", kept)
