"""Transfers, wallet, history and detail through the in-process API (real PostgreSQL)."""

import asyncio
import uuid
from datetime import UTC, datetime

import asyncpg
from sqlalchemy import text

from instapay_common.db.urls import asyncpg_dsn
from instapay_stack.e2e import DEFAULT_PIN as PIN


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


async def test_transfer_moves_money_and_both_sides_see_it(ctx):
    alice = await ctx.user(balance="500.00")
    bob = await ctx.user()
    r = await ctx.client.post(
        "/api/v1/transfers",
        headers={**ctx.auth(alice["user_id"]), **key()},
        json={"recipient": "@" + bob["handle"], "amount": "125.50", "note": "عشاء 🍕", "pin": PIN},
    )
    assert r.status_code == 201, r.text
    t = r.json()
    assert t["status"] == "completed" and t["amount"] == "125.50" and t["currency"] == "EGP"
    assert t["recipient"] == {"user_id": bob["user_id"], "handle": bob["handle"], "display_name": bob["display_name"]}
    assert t["sender"] == {"user_id": alice["user_id"], "handle": alice["handle"]} and t["note"] == "عشاء 🍕"

    wa = (await ctx.client.get("/api/v1/wallet", headers=ctx.auth(alice["user_id"]))).json()
    wb = (await ctx.client.get("/api/v1/wallet", headers=ctx.auth(bob["user_id"]))).json()
    assert wa["balance"] == "374.50" and wb["balance"] == "125.50"
    assert wa["limits"]["daily_remaining"] == "119874.50" and wa["limits"]["monthly_remaining"] == "399874.50"
    assert wa["limits"]["per_transaction"] == "70000.00"

    ha = (await ctx.client.get("/api/v1/transactions", headers=ctx.auth(alice["user_id"]))).json()
    assert [(i["type"], i["direction"], i["amount"], i["balance_after"]) for i in ha["items"]] == [
        ("transfer", "out", "125.50", "374.50"),
        ("topup", "in", "500.00", "500.00"),
    ]
    assert ha["items"][0]["transfer_id"] == t["id"] and ha["items"][0]["counterparty"]["handle"] == bob["handle"]
    hb = (await ctx.client.get("/api/v1/transactions", headers=ctx.auth(bob["user_id"]))).json()
    assert hb["items"][0]["direction"] == "in" and hb["items"][0]["counterparty"]["user_id"] == alice["user_id"]

    for who in (alice, bob):
        d = await ctx.client.get(f"/api/v1/transfers/{t['id']}", headers=ctx.auth(who["user_id"]))
        assert d.status_code == 200 and d.json() == t
    stranger = await ctx.user()
    d = await ctx.client.get(f"/api/v1/transfers/{t['id']}", headers=ctx.auth(stranger["user_id"]))
    assert d.status_code == 404

    async with ctx.app.state.db.sessionmaker() as s:
        events = (
            (
                await s.execute(
                    text(
                        "SELECT payload FROM ledger.outbox_events WHERE event_type = 'transfer.completed' "
                        "AND payload->>'transfer_id' = :t"
                    ),
                    {"t": t["id"]},
                )
            )
            .scalars()
            .all()
        )
    assert len(events) == 1
    assert events[0]["sender"]["balance_after"] == "374.50" and events[0]["recipient"]["balance_after"] == "125.50"


async def test_history_pagination_and_filters(ctx):
    alice = await ctx.user(balance="1000.00")
    bob = await ctx.user()
    carol = await ctx.user()
    for i in range(5):
        r = await ctx.client.post(
            "/api/v1/transfers",
            headers={**ctx.auth(alice["user_id"]), **key()},
            json={"recipient": (bob if i % 2 else carol)["email"], "amount": f"{i + 1}.00", "pin": PIN},
        )
        assert r.status_code == 201, r.text
    h = ctx.auth(alice["user_id"])
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        r = await ctx.client.get("/api/v1/transactions", headers=h, params=params)
        assert r.status_code == 200
        seen += r.json()["items"]
        cursor = r.json()["next_cursor"]
        if not cursor:
            break
    assert [i["amount"] for i in seen] == ["5.00", "4.00", "3.00", "2.00", "1.00", "1000.00"]
    r = await ctx.client.get("/api/v1/transactions", headers=h, params={"type": "topup"})
    assert [i["type"] for i in r.json()["items"]] == ["topup"]
    r = await ctx.client.get("/api/v1/transactions", headers=h, params={"direction": "out"})
    assert len(r.json()["items"]) == 5
    r = await ctx.client.get("/api/v1/transactions", headers=h, params={"counterparty": bob["handle"]})
    assert [i["amount"] for i in r.json()["items"]] == ["4.00", "2.00"]
    r = await ctx.client.get("/api/v1/transactions", headers=h, params={"from": "2999-01-01"})
    assert r.json()["items"] == []
    # A plain date in `to` means that whole day (UTC), so today's rows are in `to=<today>`.
    today = datetime.now(UTC).date().isoformat()
    r = await ctx.client.get("/api/v1/transactions", headers=h, params={"from": today, "to": today})
    assert len(r.json()["items"]) == 6
    r = await ctx.client.get("/api/v1/transactions", headers=h, params={"cursor": "garbage!"})
    assert r.status_code == 422 and r.json()["code"] == "validation_error"


async def test_idempotent_replay_and_key_rules(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    h = {**ctx.auth(alice["user_id"]), "Idempotency-Key": "k-1"}
    body = {"recipient": bob["handle"], "amount": "10", "pin": PIN}
    r1 = await ctx.client.post("/api/v1/transfers", headers=h, json=body)
    r2 = await ctx.client.post("/api/v1/transfers", headers=h, json={**body, "pin": "000000"})  # pin not compared
    assert r1.status_code == r2.status_code == 201 and r1.json() == r2.json()
    assert r2.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in r1.headers
    r3 = await ctx.client.post("/api/v1/transfers", headers=h, json={**body, "amount": "11"})
    assert r3.status_code == 422 and r3.json()["code"] == "idempotency_key_reused"
    r4 = await ctx.client.post("/api/v1/transfers", headers=ctx.auth(alice["user_id"]), json=body)
    assert r4.status_code == 400 and r4.json()["code"] == "idempotency_key_required"
    # A stored decline is replayed as well, even after the balance would allow it.
    h2 = {**ctx.auth(alice["user_id"]), "Idempotency-Key": "k-2"}
    d1 = await ctx.client.post("/api/v1/transfers", headers=h2, json={**body, "amount": "1000"})
    assert d1.status_code == 422 and d1.json()["code"] == "insufficient_funds"
    await ctx.client.post(
        "/api/v1/wallet/topups",
        headers={**ctx.auth(alice["user_id"]), **key()},
        json={"amount": "5000", "source": {"type": "bank", "reference": "iban-1"}},
    )
    d2 = await ctx.client.post("/api/v1/transfers", headers=h2, json={**body, "amount": "1000"})
    assert d2.status_code == 422 and d2.json() == d1.json() and d2.headers["Idempotent-Replayed"] == "true"
    # A wrong PIN stores nothing: the same key works once the PIN is right.
    h3 = {**ctx.auth(alice["user_id"]), "Idempotency-Key": "k-3"}
    bad = await ctx.client.post("/api/v1/transfers", headers=h3, json={**body, "pin": "999999"})
    assert bad.status_code == 403 and bad.json()["code"] == "invalid_pin"
    ok = await ctx.client.post("/api/v1/transfers", headers=h3, json=body)
    assert ok.status_code == 201 and "Idempotent-Replayed" not in ok.headers
    # Keys are scoped to the caller: bob may use "k-1" for his own request.
    r5 = await ctx.client.post(
        "/api/v1/transfers",
        headers={**ctx.auth(bob["user_id"]), "Idempotency-Key": "k-1"},
        json={"recipient": alice["handle"], "amount": "1", "pin": PIN},
    )
    assert r5.status_code == 201 and r5.json()["id"] != r1.json()["id"]


async def _one(ctx, sql: str, **params):
    async with ctx.app.state.db.read_sessionmaker() as s:
        return (await s.execute(text(sql), params)).scalar_one()


async def test_a_transfer_is_one_database_transaction_and_a_decline_keeps_only_its_key(ctx, database_url):
    """The entry, postings, balances and outbox event are written in the transaction that then
    stores the Idempotency-Key: held up at that last INSERT (another session holds the same key,
    uncommitted), none of them is visible; once it goes through, all of them are. A decline at the
    ledger is raised before any write (so no savepoint is needed): the key is stored, the wallets
    are neither changed nor left locked."""
    alice = await ctx.user(balance="50.00")
    bob = await ctx.user()
    sent = "SELECT count(*) FROM ledger.journal_entries WHERE type = 'transfer' AND sender->>'user_id' = :a"
    events = "SELECT count(*) FROM ledger.outbox_events WHERE payload->'sender'->>'user_id' = :a"
    balance = "SELECT balance::text FROM ledger.accounts WHERE user_id = CAST(:a AS uuid)"
    blocker = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        holder = blocker.transaction()
        await holder.start()
        await blocker.execute(
            "INSERT INTO ledger.idempotency_keys (owner_id, key, request_hash, status_code, response) "
            "VALUES ($1, 'one-tx', 'held', 500, '{}')",
            uuid.UUID(alice["user_id"]),
        )
        holder_xid = await blocker.fetchval("SELECT pg_current_xact_id()::xid::text")
        request = asyncio.create_task(
            ctx.client.post(
                "/api/v1/transfers",
                headers={**ctx.auth(alice["user_id"]), "Idempotency-Key": "one-tx"},
                json={"recipient": bob["handle"], "amount": "20", "pin": PIN},
            )
        )
        for _ in range(500):  # until the transfer waits for the holder's key (its last statement)
            if await _one(
                ctx,
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'transactionid' "
                "AND transactionid::text = :x",
                x=holder_xid,
            ):
                break
            await asyncio.sleep(0.02)
        else:
            raise AssertionError("the transfer never reached its idempotency key")
        assert (
            await _one(ctx, sent, a=alice["user_id"]),
            await _one(ctx, events, a=alice["user_id"]),
            await _one(ctx, balance, a=alice["user_id"]),
        ) == (0, 0, "50.00")
        await holder.rollback()
        r = await request
    finally:
        await blocker.close()
    assert r.status_code == 201, r.text
    assert (
        await _one(ctx, sent, a=alice["user_id"]),
        await _one(ctx, events, a=alice["user_id"]),
        await _one(ctx, balance, a=alice["user_id"]),
    ) == (1, 1, "30.00")

    # Declined (40 > 30 left): its key is stored, the wallets are neither changed nor left locked.
    versions = (
        "SELECT string_agg(xmin::text, ',') FROM ledger.accounts WHERE user_id IN (CAST(:a AS uuid), CAST(:b AS uuid))"
    )
    before = await _one(ctx, versions, a=alice["user_id"], b=bob["user_id"])
    d = await ctx.client.post(
        "/api/v1/transfers",
        headers={**ctx.auth(alice["user_id"]), "Idempotency-Key": "declined"},
        json={"recipient": bob["handle"], "amount": "40", "pin": PIN},
    )
    assert d.status_code == 422 and d.json()["code"] == "insufficient_funds"
    assert await _one(ctx, versions, a=alice["user_id"], b=bob["user_id"]) == before
    assert (
        await _one(
            ctx,
            "SELECT status_code FROM ledger.idempotency_keys WHERE owner_id = CAST(:a AS uuid) AND key = 'declined'",
            a=alice["user_id"],
        )
        == 422
    )
    async with ctx.app.state.db.sessionmaker() as s, s.begin():
        locked = (
            await s.execute(
                text(
                    "SELECT count(*) FROM (SELECT 1 FROM ledger.accounts WHERE "
                    "user_id IN (CAST(:a AS uuid), CAST(:b AS uuid)) "
                    "FOR UPDATE NOWAIT) AS free"
                ),
                {"a": alice["user_id"], "b": bob["user_id"]},
            )
        ).scalar_one()
    assert locked == 2
