"""Batched delivery (`POST /internal/events/batch`, as the outbox relay sends): the same read
model as event-by-event delivery, each event applied once even when batches are redelivered."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from decimal import Decimal

from instapay_stack.testing import internal_headers

START = datetime(2026, 8, 1, 9, 0, tzinfo=UTC)


async def post_batch(reporting, events: list) -> list[str]:
    r = await reporting.http.post("/internal/events/batch", json={"events": events}, headers=internal_headers("relay"))
    assert r.status_code == 200, r.text
    return [x["outcome"] for x in r.json()["results"]]


async def test_batches_build_the_same_summary_as_the_history(reporting, ledger):
    users = [ledger.user(h, START) for h in ("amal", "badr", "camelia")]
    ledger.random_activity(users, 150, START, days=30)
    events = ledger.auth_events + ledger.events
    rng = random.Random(7)
    for start in range(0, len(events), 25):
        chunk = events[start : start + 25]
        assert set(await post_batch(reporting, chunk)) <= {"applied", "skipped"}
        # The relay may redeliver a batch (killed before marking it): nothing is applied twice.
        replay = rng.sample(chunk, k=len(chunk) // 2)
        assert set(await post_batch(reporting, replay)) == {"skipped"}
    for uid in users:
        rows = ledger.history[uid]
        sent = sum((h["amount"] for h in rows if h["direction"] == "out"), Decimal("0.00"))
        received = sum((h["amount"] for h in rows if h["direction"] == "in"), Decimal("0.00"))
        last = max(h["at"].date() for h in rows)
        r = await reporting.get(
            "/api/v1/reports/summary",
            uid,
            **{"from": date(2026, 8, 1).isoformat(), "to": last.isoformat(), "granularity": "month"},
        )
        assert r.status_code == 200, r.text
        body = r.json()
        assert (body["total_sent"], body["total_received"]) == (f"{sent:.2f}", f"{received:.2f}"), uid


async def test_a_bad_event_in_a_batch_is_rejected_alone(reporting, ledger):
    a, b = ledger.user("amal", START), ledger.user("badr", START)
    ledger.topup(a, Decimal("300.00"), START)
    ledger.transfer(a, b, Decimal("125.50"), START)
    good = ledger.auth_events + ledger.events
    bad = {**ledger.events[-1], "id": "not-a-uuid"}
    outcomes = await post_batch(reporting, [*good[:-1], bad, good[-1]])
    assert outcomes == ["applied"] * (len(good) - 1) + ["rejected", "applied"]
    body = (await reporting.get("/api/v1/reports/summary", a, **{"from": "2026-08-01", "to": "2026-08-01"})).json()
    assert body["total_sent"] == "125.50" and body["total_received"] == "300.00"
    unauthenticated = await reporting.http.post("/internal/events/batch", json={"events": good})
    assert unauthenticated.status_code == 401
