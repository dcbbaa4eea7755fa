"""Internal wallet lifecycle used by registration (create, idempotent, compensation)."""

import uuid

from sqlalchemy import text

from instapay_stack.testing import internal_headers


async def test_create_wallet_is_idempotent_and_starts_at_zero(ctx):
    uid = str(uuid.uuid4())
    r1 = await ctx.client.post("/internal/wallets", json={"user_id": uid}, headers=ctx.internal())
    assert r1.status_code == 201
    assert r1.json()["balance"] == "0.00" and r1.json()["currency"] == "EGP" and r1.json()["status"] == "active"
    r2 = await ctx.client.post("/internal/wallets", json={"user_id": uid}, headers=ctx.internal())
    assert r2.status_code == 200 and r2.json()["account_id"] == r1.json()["account_id"]


async def test_internal_endpoints_need_the_callers_own_credential(ctx):
    r = await ctx.client.post("/internal/wallets", json={"user_id": str(uuid.uuid4())})
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"
    # The reporting service may read the event log, not open or remove wallets.
    reporting = internal_headers("reporting")
    r = await ctx.client.post("/internal/wallets", json={"user_id": str(uuid.uuid4())}, headers=reporting)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert (await ctx.client.delete(f"/internal/wallets/{uuid.uuid4()}", headers=reporting)).status_code == 403
    assert (await ctx.client.get("/internal/events", headers=reporting)).status_code == 200
    assert (await ctx.client.get("/internal/events", headers=ctx.internal())).status_code == 403
    r = await ctx.client.post("/internal/wallets", json={"user_id": "nope"}, headers=ctx.internal())
    assert r.status_code == 422 and r.json()["code"] == "validation_error"


async def test_delete_wallet_compensates_only_unused_wallets(ctx):
    uid = str(uuid.uuid4())
    await ctx.client.post("/internal/wallets", json={"user_id": uid}, headers=ctx.internal())
    r = await ctx.client.delete(f"/internal/wallets/{uid}", headers=ctx.internal())
    assert r.status_code == 204
    r = await ctx.client.delete(f"/internal/wallets/{uid}", headers=ctx.internal())
    assert r.status_code == 204  # idempotent
    async with ctx.app.state.db.sessionmaker() as s:
        assert (
            await s.execute(text("SELECT count(*) FROM ledger.accounts WHERE user_id = :u"), {"u": uid})
        ).scalar_one() == 0
