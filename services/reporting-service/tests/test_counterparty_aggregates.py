"""Counterparty aggregates (all-time and running totals) against a recomputation from movements:
after random events delivered out of order, concurrently and more than once; through both reads
of top counterparties; and as the 0004 migration backfills them from existing data."""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import asyncpg

from instapay_stack.testing import internal_headers, running_app
from reporting_service import service
from reporting_service.config import ReportingSettings
from reporting_service.main import build_app
from reporting_service.periods import Granularity

START = datetime(2026, 3, 1, tzinfo=UTC)
SERVICE_DIR = Path(__file__).resolve().parent.parent
ZERO = Decimal("0.00")


async def deliver_shuffled_with_duplicates(post, events: list[dict], rng: random.Random) -> None:
    """Every event once or several times, in random order, a few at a time concurrently (as
    several relay workers and retries would)."""
    deliveries = [e for e in events for _ in range(rng.choice((1, 1, 2, 3)))]
    rng.shuffle(deliveries)
    for i in range(0, len(deliveries), 6):
        answers = await asyncio.gather(*(post(e) for e in deliveries[i : i + 6]))
        assert [r.status_code for r in answers] == [204] * len(answers), [r.text for r in answers]


async def fetch(url: str, sql: str) -> list[tuple]:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return sorted(tuple(r) for r in await conn.fetch(sql))
    finally:
        await conn.close()


def recompute(movements: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """(totals, running) rows from (user_id, counterparty_id, day, direction, amount) movements,
    with plain Decimal arithmetic: the definition the writer's upserts must match."""
    per_day: dict[tuple, dict[date, list]] = defaultdict(lambda: defaultdict(lambda: [ZERO, ZERO, 0]))
    for user_id, counterparty_id, day, direction, amount in movements:
        cell = per_day[(user_id, counterparty_id)][day]
        cell[0 if direction == "out" else 1] += amount
        cell[2] += 1
    totals, running = [], []
    for (user_id, counterparty_id), days in per_day.items():
        acc = [ZERO, ZERO, 0]
        for day in sorted(days):
            acc = [a + b for a, b in zip(acc, days[day], strict=True)]
            running.append((user_id, counterparty_id, day, *acc))
        totals.append((user_id, counterparty_id, *acc, min(days), max(days)))
    return sorted(totals), sorted(running)


MOVEMENTS_SQL = (
    "SELECT user_id, counterparty_id, (occurred_at AT TIME ZONE 'UTC')::date, direction, amount "
    "FROM reporting.movements WHERE type = 'transfer'"
)
TOTALS_SQL = (
    "SELECT user_id, counterparty_id, sent, received, count, first_day, last_day FROM reporting.counterparty_totals"
)
RUNNING_SQL = "SELECT user_id, counterparty_id, day, sent, received, count FROM reporting.counterparty_running"


def expected_top(ledger, uid: str, first: date, last: date) -> list[dict]:
    """Top counterparties straight from the simulated ledger's history of `uid`."""
    acc: dict[str, list] = defaultdict(lambda: [ZERO, ZERO, 0])
    for h in ledger.history[uid]:
        if h["type"] == "transfer" and first <= h["at"].date() <= last:
            cell = acc[h["counterparty"]]
            cell[0 if h["direction"] == "out" else 1] += h["amount"]
            cell[2] += 1
    ranked = sorted(acc.items(), key=lambda kv: (-(kv[1][0] + kv[1][1]), -kv[1][2], uuid.UUID(kv[0])))
    return [
        {
            "user_id": cp,
            "handle": ledger.handles[cp],
            "display_name": ledger.handles[cp].title() + " X.",
            "sent": f"{s:.2f}",
            "received": f"{r:.2f}",
            "count": n,
        }
        for cp, (s, r, n) in ranked[:5]
    ]


async def test_aggregates_equal_a_recomputation_after_random_duplicate_out_of_order_delivery(
    reporting, ledger, reporting_db
):
    rng = random.Random(7)
    users = [ledger.user(h, START) for h in ("amal", "badr", "camelia", "dina", "ehab", "farah", "gamal")]
    ledger.random_activity(users, 500, START, days=75)
    for e in ledger.auth_events:
        assert (await reporting.post_event(e)).status_code == 204
    await deliver_shuffled_with_duplicates(reporting.post_event, ledger.events, rng)

    movements = await fetch(reporting_db, MOVEMENTS_SQL)
    assert len(movements) == 2 * sum(1 for e in ledger.events if e["type"] == "transfer.completed")  # each once
    totals, running = recompute(movements)
    assert await fetch(reporting_db, TOTALS_SQL) == totals
    assert await fetch(reporting_db, RUNNING_SQL) == running

    # Both reads of top counterparties (day rows, running totals) give the ledger's answer for
    # ranges inside, across and around the activity, including empty ones.
    async with reporting.app.state.db.sessionmaker() as session:
        for _ in range(40):
            a, b = sorted(START.date() + timedelta(days=rng.randrange(-10, 90)) for _ in range(2))
            uid = rng.choice(users)
            want = expected_top(ledger, uid, a, b)
            for day_rows_max in (10**9, -1):
                body = await service.summary(
                    session,
                    user_id=uuid.UUID(uid),
                    start=a,
                    end=b,
                    granularity=Granularity.month,
                    day_rows_max=day_rows_max,
                )
                assert json.loads(body)["top_counterparties"] == want, (uid, a, b, day_rows_max)
    body = (
        await reporting.get(
            "/api/v1/reports/summary", users[0], **{"from": "2026-03-01", "to": "2026-05-31", "granularity": "week"}
        )
    ).json()
    assert body["top_counterparties"] == expected_top(ledger, users[0], date(2026, 3, 1), date(2026, 5, 31))


async def test_a_late_event_updates_the_later_running_totals(reporting, ledger, reporting_db):
    a, b = ledger.user("amal", START), ledger.user("badr", START)
    ledger.topup(a, Decimal("1000.00"), START)
    early = ledger.transfer(a, b, Decimal("10.00"), START + timedelta(days=1))
    ledger.transfer(b, a, Decimal("2.50"), START + timedelta(days=5))
    ledger.transfer(a, b, Decimal("7.25"), START + timedelta(days=9))
    for e in [e for e in ledger.events if e is not early] + [early]:  # the day-1 transfer arrives last
        assert (await reporting.post_event(e)).status_code == 204
    rows = [r for r in await fetch(reporting_db, RUNNING_SQL) if str(r[0]) == a]
    assert [(r[2].day, r[3], r[4], r[5]) for r in rows] == [
        (2, Decimal("10.00"), ZERO, 1),
        (6, Decimal("10.00"), Decimal("2.50"), 2),
        (10, Decimal("17.25"), Decimal("2.50"), 3),
    ]


def alembic(url: str, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(SERVICE_DIR / "alembic.ini"), *args],
        cwd=SERVICE_DIR,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=True,
    )


async def test_migration_0004_backfills_what_the_writer_builds(fresh_db, ledger):
    users = [ledger.user(h, START) for h in ("amal", "badr", "camelia", "dina")]
    ledger.random_activity(users, 200, START, days=70)
    app = build_app(ReportingSettings(database_url=fresh_db, environment="test"))
    async with running_app(app) as http:
        for e in ledger.auth_events + ledger.events:
            r = await http.post("/internal/events", json=e, headers=internal_headers("relay"))
            assert r.status_code == 204
    live = (await fetch(fresh_db, TOTALS_SQL), await fetch(fresh_db, RUNNING_SQL))
    assert live == recompute(await fetch(fresh_db, MOVEMENTS_SQL))

    # Back to 0003: the monthly table it had is rebuilt from the day rows...
    await asyncio.to_thread(alembic, fresh_db, "downgrade", "0003")
    monthly = await fetch(
        fresh_db, "SELECT user_id, counterparty_id, month, sent, received, count FROM reporting.counterparty_monthly"
    )
    by_month: dict[tuple, list] = defaultdict(lambda: [ZERO, ZERO, 0])
    for user_id, counterparty_id, day, direction, amount in await fetch(fresh_db, MOVEMENTS_SQL):
        cell = by_month[(user_id, counterparty_id, day.replace(day=1))]
        cell[0 if direction == "out" else 1] += amount
        cell[2] += 1
    assert monthly == sorted((*k, *v) for k, v in by_month.items())
    # ...and upgrading again backfills exactly what the writer had built.
    await asyncio.to_thread(alembic, fresh_db, "upgrade", "head")
    assert (await fetch(fresh_db, TOTALS_SQL), await fetch(fresh_db, RUNNING_SQL)) == live
