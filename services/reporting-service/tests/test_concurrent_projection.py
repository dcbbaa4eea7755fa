"""Transfer events between the same users in both directions, delivered concurrently (as relays
do), are all applied (the writer locks rows in one order: no deadlock -> 500) and add up."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal

START = datetime(2026, 9, 1, tzinfo=UTC)


async def test_opposite_transfers_applied_concurrently_do_not_deadlock(reporting, ledger):
    users = [ledger.user(name, START) for name in ("ana", "ben", "cid")]
    for u in users:
        ledger.topup(u, Decimal("500.00"), START)
    for auth_event in ledger.auth_events:
        assert (await reporting.post_event(auth_event)).status_code == 204
    for i in range(60):
        a, b = users[i % 3], users[(i + 1 + i // 3) % 3]
        if a != b:
            ledger.transfer(a, b, Decimal("1.00"), START + timedelta(minutes=i))
    answers = await asyncio.gather(*(reporting.post_event(e) for e in ledger.events))
    assert [r.status_code for r in answers] == [204] * len(answers), [r.text for r in answers if r.status_code != 204]
    total_sent = Decimal(0)
    for u in users:
        body = (await reporting.get("/api/v1/reports/summary", u, **{"from": "2026-09-01", "to": "2026-09-01"})).json()
        total_sent += Decimal(body["total_sent"])
    assert total_sent == Decimal(sum(1 for e in ledger.events if e["type"] == "transfer.completed"))
