"""Acceptance through the gateway against the real stack (real auth, user and transaction services)."""

import asyncio
import random
import secrets
import uuid
from decimal import Decimal

import httpx
import pytest

from instapay_stack.e2e import fetch_rows, problem, register_user_async


async def _users(stack, n: int, balance: str):
    users = await asyncio.gather(*(register_user_async(stack.gateway_url) for _ in range(n)))
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as c:
        for u in users:
            headers = u.auth_headers(**{"Idempotency-Key": secrets.token_hex(8)})
            r = await c.post(
                "/api/v1/wallet/topups",
                headers=headers,
                json={"amount": balance, "source": {"type": "card", "reference": "card-4242"}},
            )
            assert r.status_code == 201, r.text
    return users


async def _invariants(stack, user_ids: list[str]) -> None:
    db = stack.config.database_url
    rows = await fetch_rows(db, "SELECT count(*) AS n FROM ledger.accounts WHERE kind = 'user' AND balance < 0")
    assert rows[0]["n"] == 0
    rows = await fetch_rows(
        db,
        "SELECT count(*) AS n FROM (SELECT entry_id FROM ledger.postings GROUP BY entry_id HAVING sum(amount) <> 0) x",
    )
    assert rows[0]["n"] == 0
    total = (await fetch_rows(db, "SELECT sum(balance) AS s FROM ledger.accounts WHERE kind = 'user'"))[0]["s"]
    funded = (
        await fetch_rows(
            db,
            "SELECT coalesce(sum(CASE WHEN type = 'topup' THEN amount ELSE -amount END), 0) "
            "AS s FROM ledger.journal_entries WHERE type IN ('topup', 'withdrawal')",
        )
    )[0]["s"]
    assert total == funded


@pytest.mark.timeout(900)
async def test_transfers_through_the_gateway_stay_exact(stack):
    users = await _users(stack, 6, "300.00")
    rng = random.Random(7)
    jobs = [
        (a, b, "250.00" if rng.random() < 0.2 else f"{rng.randint(100, 5000) / 100:.2f}", uuid.uuid4().hex)
        for a, b in (rng.sample(users, 2) for _ in range(240))
    ]
    results = []
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=60) as c:
        queue = list(jobs)

        async def worker():
            while queue:
                a, b, amount, key = queue.pop()
                r = await c.post(
                    "/api/v1/transfers",
                    headers=a.auth_headers(**{"Idempotency-Key": key}),
                    json={"recipient": b.handle, "amount": amount, "pin": a.pin},
                )
                results.append((r.status_code, r.json()))

        await asyncio.gather(*(worker() for _ in range(12)))
        assert {s for s, _ in results} <= {201, 422}, {s for s, _ in results}
        assert all(b["code"] == "insufficient_funds" for s, b in results if s == 422)
        # read-your-writes: both sides see the last transfer at once
        done = [b for s, b in results if s == 201]
        last = done[-1]
        for uid in (last["sender"]["user_id"], last["recipient"]["user_id"]):
            owner = next(u for u in users if u.user_id == uid)
            page = (await c.get("/api/v1/transactions", headers=owner.auth_headers())).json()
            assert last["id"] in {i["transfer_id"] for i in page["items"]}
    await _invariants(stack, [u.user_id for u in users])
    total = sum([Decimal(await c_balance(stack, u)) for u in users])
    assert total == Decimal("1800.00")  # 6 x 300: transfers neither create nor destroy money


async def c_balance(stack, user) -> str:
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as c:
        return (await c.get("/api/v1/wallet", headers=user.auth_headers())).json()["balance"]


async def test_same_key_10_times_through_the_gateway(stack):
    alice, bob = await _users(stack, 2, "100.00")
    headers = alice.auth_headers(**{"Idempotency-Key": "e2e-same"})
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=60) as c:
        answers = await asyncio.gather(
            *(
                c.post(
                    "/api/v1/transfers",
                    headers=headers,
                    json={"recipient": bob.email, "amount": "30", "pin": alice.pin},
                )
                for _ in range(10)
            )
        )
    assert {r.status_code for r in answers} == {201} and len({r.json()["id"] for r in answers}) == 1
    assert await c_balance(stack, alice) == "70.00" and await c_balance(stack, bob) == "130.00"
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=60) as c:
        r = await c.post(
            "/api/v1/transfers", headers=headers, json={"recipient": bob.email, "amount": "31", "pin": alice.pin}
        )
    problem(r, 422, "idempotency_key_reused")


@pytest.mark.timeout(600)
async def test_kill_9_mid_flight_is_all_or_nothing_and_retry_settles_once(stack):
    users = await _users(stack, 4, "1000.00")
    jobs = [(users[i % 4], users[(i + 1) % 4], uuid.uuid4().hex) for i in range(40)]
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as c:

        async def send(job):
            a, b, key = job
            try:
                r = await c.post(
                    "/api/v1/transfers",
                    headers=a.auth_headers(**{"Idempotency-Key": key}),
                    json={"recipient": b.handle, "amount": "10.00", "pin": a.pin},
                )
                return r.status_code
            except httpx.HTTPError:
                return None

        tasks = [asyncio.create_task(send(j)) for j in jobs]
        await asyncio.sleep(0.15)
        await asyncio.to_thread(stack.supervisor.kill, "transaction")
        first = await asyncio.gather(*tasks)
        await asyncio.to_thread(stack.supervisor.restart, "transaction")
        assert any(s != 201 for s in first)  # the kill did interrupt requests
        retried = await asyncio.gather(*(send(j) for j in jobs))
    assert retried == [201] * len(jobs)
    keys = [j[2] for j in jobs]
    rows = await fetch_rows(
        stack.config.database_url,
        "SELECT k.key, e.id FROM ledger.idempotency_keys k JOIN ledger.journal_entries e "
        "ON e.id = CAST(k.response->>'id' AS uuid) WHERE k.key = ANY(:keys)",
        keys=keys,
    )
    assert sorted(r["key"] for r in rows) == sorted(keys)  # every key settled exactly once, in the ledger
    ids = [str(u.user_id) for u in users]
    count = await fetch_rows(
        stack.config.database_url,
        "SELECT count(*) AS n FROM ledger.journal_entries WHERE type = 'transfer' AND sender->>'user_id' = ANY(:ids)",
        ids=ids,
    )
    assert count[0]["n"] == len(jobs)  # nothing half-written or doubled by the crash
    assert sum([Decimal(await c_balance(stack, u)) for u in users]) == Decimal("4000.00")
    await _invariants(stack, ids)
