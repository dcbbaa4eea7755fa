"""The writer (`service.apply_events` of `events.effects`): a whole `POST /internal/events/batch`
in one transaction leaves the same rows in every reporting table as its events posted one at a
time (`POST /internal/events`, a batch of one); the fallback when one event is bad; no deadlock
between concurrent batches."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import asyncpg
import httpx
import pytest

from instapay_common.events.envelope import EventEnvelope
from instapay_stack.testing import internal_headers, running_app
from reporting_service import service
from reporting_service.config import ReportingSettings
from reporting_service.events import PairDay, Party, PlatformDay, UserDay, effects
from reporting_service.main import build_app
from reporting_service.metrics import EVENTS_APPLIED
from reporting_service.models import READ_MODEL

START = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
HEADERS = internal_headers("relay")
ZERO = Decimal("0.00")


@pytest.fixture
async def one_by_one(fresh_db) -> AsyncIterator[tuple[str, httpx.AsyncClient]]:
    """A second reporting app on its own fresh database: the reference, fed one event at a time."""
    app = build_app(ReportingSettings(database_url=fresh_db, environment="test"))
    async with running_app(app) as http:
        yield fresh_db, http


@pytest.fixture
def batch_calls(monkeypatch) -> list[BaseException | None]:
    """Every call of the writer with more than one event (the batch path; the one-by-one path
    calls it with one): None if it committed, else what it raised (and fell back on)."""
    calls: list[BaseException | None] = []
    real = service.apply_events

    async def recording(db, events):
        if len(events) == 1:
            return await real(db, events)
        try:
            applied = await real(db, events)
        except BaseException as exc:
            calls.append(exc)
            raise
        calls.append(None)
        return applied

    monkeypatch.setattr(service, "apply_events", recording)
    return calls


def counted() -> Counter:
    return Counter(
        {
            (s.labels["type"], s.labels["outcome"]): int(s.value)
            for metric in EVENTS_APPLIED.collect()
            for s in metric.samples
            if s.name.endswith("_total")
        }
    )


async def post_batch(http: httpx.AsyncClient, events: list[dict]) -> list[str]:
    r = await http.post("/internal/events/batch", json={"events": events}, headers=HEADERS)
    assert r.status_code == 200, r.text
    return [x["outcome"] for x in r.json()["results"]]


async def tables(url: str, *, movement_ids: bool = True) -> dict[str, list[tuple]]:
    """Every row of every read-model table (the inbox without its timestamp; movements without
    their identity id unless asked), in a stable order."""
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        out = {}
        for t in READ_MODEL:
            cols = [
                c.name
                for c in t.columns
                if c.name != "processed_at" and (movement_ids or t.name != "movements" or c.name != "id")
            ]
            listed = ", ".join(cols)
            out[t.name] = [
                tuple(r) for r in await conn.fetch(f"SELECT {listed} FROM reporting.{t.name} ORDER BY {listed}")
            ]
        return out
    finally:
        await conn.close()


def messy_deliveries(ledger, rng: random.Random) -> list[list[dict]]:
    """The ledger's events as a relay under stress would deliver them: some late (moved days
    back), unused types, batches of 1-60 with repeats inside a batch and redeliveries of earlier
    batches' events."""
    events = list(ledger.auth_events + ledger.events)
    for _ in range(len(events) // 8):  # late events: delivered well after later days' events
        e = events.pop(rng.randrange(len(events) // 2))
        events.insert(rng.randrange(len(events) // 2, len(events) + 1), e)
    events.insert(
        rng.randrange(len(events)),
        {
            "id": str(uuid.uuid4()),
            "type": "payment_request.created",
            "occurred_at": START.isoformat(),
            "data": {"x": 1},
        },
    )
    batches, i = [], 0
    while i < len(events):
        size = rng.choice((1, 7, 25, 40, 60))
        chunk = events[i : i + size]
        i += size
        chunk += rng.sample(chunk, k=min(len(chunk), rng.randrange(3)))  # repeats inside the batch
        if i > size:
            chunk += rng.sample(events[: i - size], k=rng.randrange(4))  # redelivered from earlier batches
        rng.shuffle(chunk)
        batches.append(chunk)
    return batches


async def test_batches_write_exactly_the_rows_of_one_by_one(reporting, reporting_db, one_by_one, ledger, batch_calls):
    ref_url, ref = one_by_one
    rng = random.Random(11)
    users = [ledger.user(h, START) for h in ("amal", "badr", "camelia", "dina", "ehab", "farah")]
    again = ledger.auth_events[2]  # a second user.registered of a user (another id): not a new user
    ledger.auth_events.append({**again, "id": str(uuid.uuid4()), "occurred_at": "2026-10-03T10:00:00Z"})
    for phase in range(3):  # users rename themselves between phases: parties keep the last naming
        ledger.random_activity(users, 95, START + timedelta(days=2 * phase), days=2)
        for uid in rng.sample(users, k=3):
            ledger.handles[uid] += f"_{phase}"
    # One pair several times a day on several days (several running rows of a pair in one batch).
    for k in range(12):
        ledger.transfer(users[0], users[1], Decimal("3.10") + k, START + timedelta(days=k % 4, hours=k))
    batches = messy_deliveries(ledger, rng)
    assert sum(map(len, batches)) > 300

    seen: set[str] = set()
    for batch in batches:
        before = counted()
        outcomes = await post_batch(reporting.http, batch)
        # The metric counts each delivery as the one-by-one path does (the counter is this process's).
        assert counted() - before == Counter((e["type"], o) for e, o in zip(batch, outcomes, strict=True))
        assert "rejected" not in outcomes and "failed" not in outcomes
        for e in batch:  # the reference: the same deliveries, in the same order, one at a time
            assert (await ref.post("/internal/events", json=e, headers=HEADERS)).status_code == 204
        expected = []  # as one by one: redeliveries and repeats inside the batch are skipped
        for e in batch:
            expected.append("skipped" if e["id"] in seen or e["type"] == "payment_request.created" else "applied")
            seen.add(e["id"])
        assert outcomes == expected
    assert batch_calls and all(c is None for c in batch_calls), batch_calls  # no fallback: the batch path ran

    got, want = await tables(reporting_db), await tables(ref_url)
    assert {name: len(rows) for name, rows in got.items()} == {name: len(rows) for name, rows in want.items()}
    for name in want:
        assert got[name] == want[name], name  # movements even with the same identity ids
    assert len(got["counterparty_running"]) > len(got["counterparty_totals"]) > 0
    assert sum(r[-1] for r in got["platform_daily"]) == len(users)  # new_users: the repeat did not count


async def test_an_invalid_event_falls_back_and_the_rest_lands(reporting, reporting_db, ledger, batch_calls):
    a, b = ledger.user("amal", START), ledger.user("badr", START)
    ledger.topup(a, Decimal("300.00"), START)
    ledger.transfer(a, b, Decimal("125.50"), START + timedelta(hours=1))
    bad = ledger.transfer(b, a, Decimal("1.00"), START + timedelta(hours=2))
    bad["data"]["amount"] = "1.005"  # a valid envelope whose data `effects` refuses
    ledger.transfer(b, a, Decimal("20.00"), START + timedelta(hours=3))
    events = ledger.auth_events + ledger.events
    outcomes = await post_batch(reporting.http, events)
    assert outcomes == ["applied"] * 4 + ["rejected", "applied"]
    assert len(batch_calls) == 1 and type(batch_calls[0]).__name__ == "InvalidEvent"

    rows = await tables(reporting_db)
    assert {r[0] for r in rows["processed_events"]} == {uuid.UUID(e["id"]) for e in events if e is not bad}
    assert len(rows["movements"]) == 1 + 2 + 2
    body = (await reporting.get("/api/v1/reports/summary", a, **{"from": "2026-10-01", "to": "2026-10-01"})).json()
    assert (body["total_sent"], body["total_received"]) == ("125.50", "320.00")
    # The relay retries the rejected one alone once fixed upstream; the others stay applied once.
    bad["data"]["amount"] = "1.00"
    assert await post_batch(reporting.http, events) == ["skipped"] * 4 + ["applied", "skipped"]


async def test_a_statement_failing_midway_writes_nothing_of_the_batch(reporting, reporting_db, ledger, batch_calls):
    a, b = ledger.user("amal", START), ledger.user("badr", START)
    ledger.topup(a, Decimal("50.00"), START)
    broken = ledger.transfer(a, b, Decimal("5.00"), START + timedelta(minutes=1))
    broken["data"]["sender"]["handle"] = "x" * 65  # parses, but the parties column holds 64: fails in SQL
    ledger.topup(b, Decimal("7.00"), START + timedelta(minutes=2))
    events = ledger.auth_events + ledger.events
    outcomes = await post_batch(reporting.http, events)
    assert outcomes == ["applied"] * 3 + ["failed", "applied"]  # failed: retried by the relay
    assert len(batch_calls) == 1 and batch_calls[0] is not None
    rows = await tables(reporting_db)
    # Exactly the one-by-one effects of the four good events: nothing doubled by the rolled-back batch.
    assert len(rows["processed_events"]) == 4 and len(rows["movements"]) == 2
    assert [(r[1], r[3], r[4], r[7]) for r in rows["platform_daily"]] == [(Decimal("0.00"), Decimal("57.00"), 2, 2)]


async def test_concurrent_batches_in_opposite_orders_do_not_deadlock(
    reporting, reporting_db, one_by_one, ledger, batch_calls
):
    ref_url, ref = one_by_one
    users = [ledger.user(h, START) for h in ("ana", "ben", "cid", "dan")]
    for e in ledger.auth_events:
        assert (await reporting.post_event(e)).status_code == 204
    rounds = []
    for r in range(8):
        first = len(ledger.events)
        for i in range(24):  # every pair both ways, on two days, with top-ups in between
            a, b = users[i % 4], users[(i + 1 + i // 4) % 4]
            at = START + timedelta(days=(i + r) % 2, minutes=i)
            ledger.topup(a, Decimal("2.00"), at) if i % 5 == 0 else ledger.transfer(a, b, Decimal("1.25"), at)
        mine = ledger.events[first:]
        rounds.append((mine[0::2], mine[1::2][::-1], mine[len(mine) // 2]))  # two batches, opposite orders
    for one, other, single in rounds:
        answers = await asyncio.gather(
            post_batch(reporting.http, one), post_batch(reporting.http, other), reporting.post_event(single)
        )
        assert set(answers[0] + answers[1]) <= {"applied", "skipped"}  # skipped: the single event's copy
        assert answers[2].status_code == 204
    assert len(batch_calls) == 16 and all(c is None for c in batch_calls), batch_calls  # none rolled back

    for e in ledger.auth_events + ledger.events:
        assert (await ref.post("/internal/events", json=e, headers=HEADERS)).status_code == 204
    got, want = await tables(reporting_db, movement_ids=False), await tables(ref_url, movement_ids=False)
    for name in want:
        assert got[name] == want[name], name
    transfers = [e for e in ledger.events if e["type"] == "transfer.completed"]
    assert sum(r[1] for r in got["platform_daily"]) == Decimal("1.25") * len(transfers)


async def test_late_days_in_a_batch_update_the_later_running_rows(
    reporting, reporting_db, one_by_one, ledger, batch_calls
):
    ref_url, ref = one_by_one
    a, b = ledger.user("amal", START), ledger.user("badr", START)
    ledger.topup(a, Decimal("900.00"), START)
    ledger.topup(b, Decimal("900.00"), START)
    early = [ledger.transfer(a, b, Decimal("10.00"), START + timedelta(days=d)) for d in (2, 5, 9)]
    # Days before, between, on and after the pair's rows, both ways, twice on one day.
    late = []
    for d, h, x, y in ((1, 0, a, b), (3, 0, b, a), (5, 1, a, b), (7, 0, b, a), (7, 2, a, b), (11, 0, a, b)):
        late.append(ledger.transfer(x, y, Decimal("1.25") * d, START + timedelta(days=d, hours=h)))
        if d == 5:
            ledger.handles[b] = "badr_new"  # the batch (reversed) names b both ways: its last naming wins
    for batch in (ledger.auth_events + ledger.events[:2] + early, late[::-1]):
        assert set(await post_batch(reporting.http, batch)) == {"applied"}
        for e in batch:
            assert (await ref.post("/internal/events", json=e, headers=HEADERS)).status_code == 204
    assert batch_calls == [None, None]
    got, want = await tables(reporting_db), await tables(ref_url)
    assert got == want
    assert sorted(r[1] for r in got["parties"]) == ["amal", "badr"]  # "badr" came last in the batch
    running = [(r[2].day, r[3], r[4], r[5]) for r in got["counterparty_running"] if str(r[0]) == a]
    assert running == [
        (2, Decimal("1.25"), ZERO, 1),
        (3, Decimal("11.25"), ZERO, 2),
        (4, Decimal("11.25"), Decimal("3.75"), 3),
        (6, Decimal("27.50"), Decimal("3.75"), 5),
        (8, Decimal("36.25"), Decimal("12.50"), 7),
        (10, Decimal("46.25"), Decimal("12.50"), 8),
        (12, Decimal("60.00"), Decimal("12.50"), 9),
    ]


def test_effects_of_a_transfer_are_both_sides_in_user_id_order(ledger):
    a, b = ledger.user("amal", START), ledger.user("badr", START)
    ledger.topup(a, Decimal("50.00"), START)
    event = EventEnvelope.model_validate(ledger.transfer(a, b, Decimal("12.50"), START + timedelta(days=1)))
    found = effects(event)
    day = (START + timedelta(days=1)).date()
    ua, ub = uuid.UUID(a), uuid.UUID(b)
    first, second = sorted((ua, ub))
    assert [(m.user_id, m.direction, m.amount, m.counterparty_id) for m in found.movements] == sorted(
        [(ua, "out", Decimal("12.50"), ub), (ub, "in", Decimal("12.50"), ua)]
    )
    assert [p.user_id for p in found.names] == [first, second]
    assert isinstance(found.names[0], Party) and found.names[0].handle in ("amal", "badr")
    assert set(found.user_days) == {
        UserDay(ua, day, "transfer_out", Decimal("12.50")),
        UserDay(ub, day, "transfer_in", Decimal("12.50")),
    }
    assert set(found.pair_days) == {
        PairDay(ua, day, ub, Decimal("12.50"), ZERO),
        PairDay(ub, day, ua, ZERO, Decimal("12.50")),
    }
    assert found.platform_days == (PlatformDay(day, "transfer", Decimal("12.50")),)
    assert found.registration is None and not found.empty


async def test_a_type_without_effects_is_claimed_and_skipped(reporting, reporting_db, ledger, batch_calls):
    """`events.effects` is the one place that knows the types reporting uses: any other type has
    no effects, so it is claimed (a redelivery stays skipped) and writes nothing, in a batch or
    alone."""
    a = ledger.user("amal", START)
    ledger.topup(a, Decimal("10.00"), START)
    used = ledger.auth_events + ledger.events
    assert not any(effects(EventEnvelope.model_validate(e)).empty for e in used)

    def unused() -> dict:
        return {"id": str(uuid.uuid4()), "type": "loyalty.granted", "occurred_at": START.isoformat(), "data": {}}

    in_batch, alone = unused(), unused()
    assert effects(EventEnvelope.model_validate(in_batch)).empty
    assert await post_batch(reporting.http, [*used, in_batch]) == ["applied", "applied", "skipped"]
    assert batch_calls == [None]
    assert (await reporting.post_event(alone)).status_code == 204
    assert await post_batch(reporting.http, [in_batch, alone]) == ["skipped", "skipped"]
    rows = await tables(reporting_db)
    assert len(rows["processed_events"]) == 4 and len(rows["movements"]) == 1
