"""Acceptance (issue 4): the ledger stays exact under heavy concurrency and duplicate requests."""

import asyncio
import random
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import text

from instapay_common.security.scopes import CLIENT_SCOPES
from instapay_stack.e2e import DEFAULT_PIN as PIN


async def _ledger_totals(ctx) -> dict:
    async with ctx.app.state.db.sessionmaker() as s:
        users = (
            await s.execute(text("SELECT coalesce(sum(balance), 0) FROM ledger.accounts WHERE kind = 'user'"))
        ).scalar_one()
        negative = (
            await s.execute(text("SELECT count(*) FROM ledger.accounts WHERE kind = 'user' AND balance < 0"))
        ).scalar_one()
        funded = (
            await s.execute(
                text(
                    "SELECT coalesce(sum(CASE WHEN type = 'topup' THEN amount ELSE -amount END), 0) "
                    "FROM ledger.journal_entries WHERE type IN ('topup', 'withdrawal')"
                )
            )
        ).scalar_one()
        unbalanced = (
            await s.execute(
                text(
                    "SELECT count(*) FROM (SELECT entry_id FROM ledger.postings "
                    "GROUP BY entry_id HAVING sum(amount) <> 0) x"
                )
            )
        ).scalar_one()
        system = (
            await s.execute(text("SELECT coalesce(sum(balance), 0) FROM ledger.accounts WHERE kind = 'system'"))
        ).scalar_one()
    return {"users": users, "negative": negative, "funded": funded, "unbalanced": unbalanced, "system": system}


@pytest.mark.timeout(1200)  # ~1 min on an idle 2-core machine; much longer when it is shared
async def test_5000_random_transfers_by_50_clients_keep_the_ledger_exact(ctx):
    users = [await ctx.user(balance="1000.00") for _ in range(20)]
    # API-client tokens (scope transfers:write): no PIN round trip, the ledger is what is measured.
    tokens = {u["user_id"]: ctx.auth(u["user_id"], scopes=CLIENT_SCOPES, client_id=f"c-{u['handle']}") for u in users}
    baseline = await _ledger_totals(ctx)
    rng = random.Random(4)
    jobs = []
    for _ in range(5000):
        a, b = rng.sample(users, 2)
        # ~15% deliberately overdraw (more than anyone can hold), the rest are small.
        amount = "25000.00" if rng.random() < 0.15 else f"{rng.randint(1, 20000) / 100:.2f}"
        jobs.append((a, b, amount, uuid.uuid4().hex))
    results: list[tuple[int, dict, tuple]] = []
    queue: asyncio.Queue = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)

    async def client() -> None:
        while not queue.empty():
            job = queue.get_nowait()
            a, b, amount, key = job
            r = await ctx.client.post(
                "/api/v1/transfers",
                json={"recipient": b["handle"], "amount": amount},
                headers={**tokens[a["user_id"]], "Idempotency-Key": key},
            )
            results.append((r.status_code, r.json(), job))

    await asyncio.gather(*(client() for _ in range(50)))
    statuses = [s for s, _, _ in results]
    assert len(results) == 5000
    assert set(statuses) <= {201, 422}, sorted(set(statuses))
    declined = [body for s, body, _ in results if s == 422]
    assert declined and all(b["code"] == "insufficient_funds" for b in declined)
    completed = {body["id"]: job for s, body, job in results if s == 201}
    assert len(completed) == statuses.count(201) > 2000

    after = await _ledger_totals(ctx)
    assert after["negative"] == 0 and after["unbalanced"] == 0
    assert after["users"] == after["funded"] == baseline["users"]  # transfers create/destroy nothing
    assert after["users"] + after["system"] == 0
    async with ctx.app.state.db.sessionmaker() as s:
        rows = (
            await s.execute(
                text(
                    "SELECT e.id, e.amount, count(p.id) AS legs FROM ledger.journal_entries e JOIN ledger.postings p "
                    "ON p.entry_id = e.id WHERE e.id = ANY(:ids) GROUP BY e.id, e.amount"
                ),
                {"ids": [uuid.UUID(i) for i in completed]},
            )
        ).all()
        declined_keys = [job[3] for s_, _, job in results if s_ == 422]
        stored_declines = (
            await s.execute(
                text("SELECT count(*) FROM ledger.idempotency_keys WHERE key = ANY(:k) AND status_code = 422"),
                {"k": declined_keys},
            )
        ).scalar_one()
        transfers_total = (
            await s.execute(
                text(
                    "SELECT count(*) FROM ledger.journal_entries WHERE type = "
                    "'transfer' AND sender->>'user_id' = ANY(:u)"
                ),
                {"u": [u["user_id"] for u in users]},
            )
        ).scalar_one()
    # every 201 is in the ledger exactly once with the answered amount; declines left no entry
    assert len(rows) == len(completed) == transfers_total
    assert all(r.legs == 2 and Decimal(completed[str(r.id)][2]) == r.amount for r in rows)
    assert stored_declines == len(declined_keys)


async def test_same_key_sent_10_times_concurrently_moves_money_once(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    headers = {**ctx.auth(alice["user_id"]), "Idempotency-Key": "same-key"}
    body = {"recipient": bob["handle"], "amount": "40.00", "pin": PIN}
    answers = await asyncio.gather(
        *(ctx.client.post("/api/v1/transfers", headers=headers, json=body) for _ in range(10))
    )
    assert [r.status_code for r in answers] == [201] * 10
    assert len({r.text for r in answers}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in answers) == 9
    wallet = (await ctx.client.get("/api/v1/wallet", headers=ctx.auth(alice["user_id"]))).json()
    assert wallet["balance"] == "60.00"


async def test_opposite_transfers_on_the_same_pair_never_deadlock(ctx):
    a = await ctx.user(balance="1000.00")
    b = await ctx.user(balance="1000.00")
    tok = {u["user_id"]: ctx.auth(u["user_id"], scopes=CLIENT_SCOPES, client_id="c") for u in (a, b)}

    async def send(src, dst):
        return await ctx.client.post(
            "/api/v1/transfers",
            json={"recipient": dst["handle"], "amount": "1.00"},
            headers={**tok[src["user_id"]], "Idempotency-Key": uuid.uuid4().hex},
        )

    answers = await asyncio.gather(*(send(a, b) if i % 2 else send(b, a) for i in range(200)))
    assert [r.status_code for r in answers] == [201] * 200
    wa = (await ctx.client.get("/api/v1/wallet", headers=ctx.auth(a["user_id"]))).json()
    assert wa["balance"] == "1000.00"
