"""Scheduled transfers survive a crash of the transaction service, which runs their queue's worker:
on a private stack, many schedules fall due within seconds; while their occurrences run, the
transaction service is killed with SIGKILL and started again. Afterwards every occurrence ran
exactly once (one run row, one transfer, nothing twice, nothing lost, the ones due while the
service was down included), declines (a sender without money) are outcomes, not transfers, and no
money was created or destroyed."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest
from proof_support.bank import GENEROUS_LIMITS, GENEROUS_MONEY_LIMITS
from proof_support.faults import kill_and_restart

from instapay_stack.e2e import fetch_rows, register_user_async
from instapay_stack.stack import Stack

SENDERS = 3
PER_SENDER = 20  # the default cap of live schedules per user
TOPUP = Decimal("1000.00")


@pytest.fixture(scope="module")
def schedule_stack(stack_factory) -> Stack:
    return stack_factory(
        extra_env={"GATEWAY_RATE_LIMITS": GENEROUS_LIMITS, **GENEROUS_MONEY_LIMITS, "SCHEDULE_SCAN_SECONDS": "1"}
    )


async def _count_runs(stack: Stack, ids: list[str]) -> int:
    rows = await fetch_rows(
        stack.config.database_url,
        "SELECT count(*) AS n FROM ledger.scheduled_transfer_runs WHERE CAST(schedule_id AS text) = ANY(:ids)",
        ids=ids,
    )
    return int(rows[0]["n"])


async def _wait_runs(stack: Stack, ids: list[str], at_least: int, within: float) -> int:
    deadline = time.monotonic() + within
    while True:
        n = await _count_runs(stack, ids)
        if n >= at_least or time.monotonic() > deadline:
            return n
        await asyncio.sleep(0.1)


@pytest.mark.timeout(240)
async def test_every_occurrence_runs_exactly_once_across_a_kill_of_the_worker(schedule_stack: Stack):
    stack = schedule_stack
    users = await asyncio.gather(*(register_user_async(stack.gateway_url) for _ in range(SENDERS + 2)))
    senders, broke, recipient = users[:SENDERS], users[SENDERS], users[SENDERS + 1]
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as gw:
        for sender in senders:
            r = await gw.post(
                "/api/v1/wallet/topups",
                headers=sender.auth_headers(**{"Idempotency-Key": uuid.uuid4().hex}),
                json={"amount": str(TOPUP), "source": {"type": "card", "reference": "card-4242"}},
            )
            assert r.status_code == 201, r.text
        # Due from 6 s on, spread over 6 s: runs go on while the service is killed and while it is down.
        first = datetime.now(UTC) + timedelta(seconds=6)

        async def create(user, i: int, amount: str):
            r = await gw.post(
                "/api/v1/scheduled-transfers",
                headers=user.auth_headers(),
                json={
                    "recipient": recipient.handle,
                    "amount": amount,
                    "pin": user.pin,
                    "start_at": (first + timedelta(milliseconds=300 * (i % PER_SENDER))).isoformat(),
                    "repeat": ("none", "weekly", "monthly")[i % 3],
                },
            )
            assert r.status_code == 201, r.text
            return r.json()

        made = await asyncio.gather(
            *(create(s, i, f"{1 + i % 7}.{i % 100:02d}") for s in senders for i in range(PER_SENDER)),
            *(create(broke, i, "5.00") for i in range(3)),
        )
    assert datetime.now(UTC) < first, "creating the schedules took too long for the test's timing"
    ids = [s["id"] for s in made]

    # Kill the worker's process once the first occurrences ran, while the rest are due or running.
    await _wait_runs(stack, ids, len(ids) // 3, within=30)
    await kill_and_restart(stack, "transaction", down_seconds=2.0)
    # Some ran before the kill, the others ran (or were due, not run) while it was down.
    before_kill = await _count_runs(stack, ids)
    print(f"occurrences run by the time the service was back: {before_kill} of {len(ids)}")
    assert 0 < before_kill < len(ids), "the kill did not land while occurrences were due"
    done = await _wait_runs(stack, ids, len(ids), within=60)
    assert done == len(ids), f"{done} of {len(ids)} occurrences ran"
    await asyncio.sleep(2)  # a duplicate run, if any could happen, would land now

    runs = await fetch_rows(
        stack.config.database_url,
        "SELECT CAST(schedule_id AS text) AS schedule_id, occurrence, outcome, "
        "CAST(transfer_id AS text) AS transfer_id FROM ledger.scheduled_transfer_runs "
        "WHERE CAST(schedule_id AS text) = ANY(:ids)",
        ids=ids,
    )
    assert sorted(r["schedule_id"] for r in runs) == sorted(ids)  # one run each, none twice
    assert {r["occurrence"] for r in runs} == {1}
    by_id = {s["id"]: s for s in made}
    broke_ids = {s["id"] for s in made if s["amount"] == "5.00"}
    assert {r["outcome"] for r in runs if r["schedule_id"] in broke_ids} == {"insufficient_funds"}
    assert {r["outcome"] for r in runs if r["schedule_id"] not in broke_ids} == {"completed"}

    # Each completed run is one transfer in the ledger, of the schedule's amount; no other transfer.
    transfers = await fetch_rows(
        stack.config.database_url,
        "SELECT CAST(id AS text) AS id, amount FROM ledger.journal_entries "
        "WHERE type = 'transfer' AND recipient->>'user_id' = :r",
        r=recipient.user_id,
    )
    completed = {r["transfer_id"]: by_id[r["schedule_id"]] for r in runs if r["outcome"] == "completed"}
    assert sorted(t["id"] for t in transfers) == sorted(completed)
    assert all(Decimal(completed[t["id"]]["amount"]) == t["amount"] for t in transfers)

    # Money is conserved: what each sender lost the recipient got, nothing more.
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as gw:
        balances = {}
        for user in (*senders, broke, recipient):
            r = await gw.get("/api/v1/wallet", headers=user.auth_headers())
            assert r.status_code == 200, r.text
            balances[user.user_id] = Decimal(r.json()["balance"])
        # The list the owner sees agrees: the one-offs completed, the recurring ones wait a week or a month.
        r = await gw.get("/api/v1/scheduled-transfers", params={"limit": 100}, headers=senders[0].auth_headers())
        listed = r.json()["items"]
    completed_ids = {r["schedule_id"] for r in runs if r["outcome"] == "completed"}
    sent = {
        sender.user_id: sum(
            (Decimal(m["amount"]) for m in made[PER_SENDER * k : PER_SENDER * (k + 1)] if m["id"] in completed_ids),
            Decimal(0),
        )
        for k, sender in enumerate(senders)
    }
    for s in senders:
        assert balances[s.user_id] == TOPUP - sent[s.user_id]
    assert balances[broke.user_id] == 0
    assert balances[recipient.user_id] == sum(sent.values())
    assert sum(balances.values()) == TOPUP * SENDERS
    assert len(listed) == PER_SENDER and all(s["runs"] == 1 for s in listed)
    assert {s["status"] for s in listed if s["repeat"] == "none"} == {"completed"}
    assert {s["status"] for s in listed if s["repeat"] != "none"} == {"active"}
    assert all(datetime.fromisoformat(s["next_run_at"]) > datetime.now(UTC) for s in listed if s["repeat"] != "none")
