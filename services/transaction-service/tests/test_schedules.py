"""Scheduled and recurring transfers (real PostgreSQL): the API, its refusals, the calendar, and
each occurrence running exactly once as a transfer linked to its schedule."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from instapay_common.db import rawsql
from instapay_common.db.rawsql import Sql
from instapay_stack.e2e import DEFAULT_PIN as PIN
from instapay_stack.testing import internal_headers
from transaction_service.scheduler import conninfo
from transaction_service.service.schedule_calendar import first_tick_after, occurrence_at
from transaction_service.service.schedule_runs import due_occurrences, run_occurrence

URL = "/api/v1/scheduled-transfers"


def _at(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


async def _create(ctx, sender, to, **fields: Any):
    body = {"recipient": to["handle"], "amount": "10.00", "pin": PIN, "start_at": _at(3600), "repeat": "weekly"}
    return await ctx.client.post(URL, headers=ctx.auth(sender["user_id"]), json={**body, **fields})


async def _list(ctx, user) -> list[dict[str, Any]]:
    r = await ctx.client.get(URL, headers=ctx.auth(user["user_id"]))
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def _one(ctx, user, schedule_id: str) -> dict[str, Any]:
    return next(s for s in await _list(ctx, user) if s["id"] == schedule_id)


async def _run(ctx, schedule_id: str, occurrence: int) -> str:
    result = await run_occurrence(
        ctx.app.state.db, ctx.settings, schedule_id=uuid.UUID(schedule_id), occurrence=occurrence
    )
    return result.outcome


async def _sql(ctx, sql: str, **params: Any) -> None:
    """A committed change behind the API's back (time travel, an operator's freeze)."""
    async with rawsql.transaction(ctx.app.state.db) as conn:
        await conn.execute(Sql(sql), **params)


async def _shift_back(ctx, schedule_id: str, by: timedelta) -> None:
    """Moves a schedule's calendar into the past (the clock cannot be moved): as if created earlier."""
    await _sql(
        ctx,
        "UPDATE ledger.scheduled_transfers SET start_at = start_at - CAST(:by AS interval), "
        "next_run_at = next_run_at - CAST(:by AS interval) "
        "WHERE id = :id",
        by=by,
        id=uuid.UUID(schedule_id),
    )


async def _history(ctx, user) -> list[dict[str, Any]]:
    r = await ctx.client.get("/api/v1/transactions", headers=ctx.auth(user["user_id"]))
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def _events(ctx, event_type: str) -> list[dict[str, Any]]:
    found, after = [], 0
    while True:
        r = await ctx.client.get(
            "/internal/events", params={"after_seq": after, "limit": 1000}, headers=internal_headers("reporting")
        )
        page = r.json()
        if not page["items"]:
            return found
        found += [e for e in page["items"] if e["type"] == event_type]
        after = page["next_after_seq"]


# ---- the calendar


def test_monthly_clamps_to_the_months_last_day_and_keeps_the_day_after():
    start = datetime(2027, 1, 31, 7, 30, tzinfo=UTC)
    days = [occurrence_at(start, "monthly", i) for i in range(5)]
    assert [d.date().isoformat() for d in days if d] == [
        "2027-01-31",
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
        "2027-05-31",
    ]
    assert all(d is not None and (d.hour, d.minute) == (7, 30) for d in days)
    leap = datetime(2028, 1, 29, tzinfo=UTC)
    assert occurrence_at(leap, "monthly", 1) == datetime(2028, 2, 29, tzinfo=UTC)
    assert occurrence_at(datetime(2027, 1, 30, tzinfo=UTC), "monthly", 1) == datetime(2027, 2, 28, tzinfo=UTC)
    assert occurrence_at(datetime(2027, 12, 31, tzinfo=UTC), "monthly", 2) == datetime(2028, 2, 29, tzinfo=UTC)


def test_weekly_one_off_and_the_next_tick_after_a_time():
    start = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    assert occurrence_at(start, "weekly", 3) == start + timedelta(weeks=3)
    assert occurrence_at(start, "none", 0) == start and occurrence_at(start, "none", 1) is None
    # missed ticks are skipped: the first one strictly after the given time
    assert first_tick_after(start, "weekly", after=start + timedelta(weeks=5), from_tick=1) == 6
    assert first_tick_after(start, "weekly", after=start + timedelta(weeks=5, hours=1), from_tick=1) == 6
    assert first_tick_after(start, "monthly", after=datetime(2030, 3, 1, 9, 0, tzinfo=UTC), from_tick=1) == 37
    assert first_tick_after(start, "none", after=start + timedelta(seconds=1), from_tick=0) is None


# ---- the API


async def test_a_schedule_is_created_listed_and_only_its_owner_sees_it(ctx):
    me, friend, other = await ctx.user(), await ctx.user(), await ctx.user()
    start = datetime.now(UTC) + timedelta(days=2)
    r = await _create(ctx, me, friend, start_at=start.isoformat(), repeat="monthly", end_after=3, note=" rent ")
    assert r.status_code == 201, r.text
    s = r.json()
    assert s["status"] == "active" and s["repeat"] == "monthly" and s["end_after"] == 3 and s["runs"] == 0
    assert s["amount"] == "10.00" and s["currency"] == "EGP" and s["note"] == "rent"
    # the recipient as a transfer shows it: handle and masked name
    assert s["recipient"] == {
        "user_id": friend["user_id"],
        "handle": friend["handle"],
        "display_name": friend["display_name"],
    }
    assert s["next_run_at"] == s["start_at"] and s["start_at"].endswith("Z")
    assert datetime.fromisoformat(s["next_run_at"]) == start.replace(microsecond=start.microsecond // 1000 * 1000)
    assert "pin" not in s
    assert await _list(ctx, me) == [s]
    assert await _list(ctx, other) == []
    assert await _list(ctx, friend) == []  # the recipient does not see the sender's standing orders
    for call in (
        ctx.client.patch(f"{URL}/{s['id']}", headers=ctx.auth(other["user_id"]), json={"status": "paused"}),
        ctx.client.delete(f"{URL}/{s['id']}", headers=ctx.auth(other["user_id"])),
        ctx.client.delete(f"{URL}/{uuid.uuid4()}", headers=ctx.auth(me["user_id"])),
    ):
        r = await call
        assert r.status_code == 404 and r.json()["code"] == "not_found", r.text
    assert (await _one(ctx, me, s["id"]))["status"] == "active"


async def test_bad_schedules_are_refused_and_nothing_is_created(ctx):
    me, friend = await ctx.user(), await ctx.user()
    naive = (datetime.now(UTC) + timedelta(hours=1)).replace(tzinfo=None).isoformat()
    for fields, status, code in (
        ({"start_at": _at(-60)}, 422, "validation_error"),
        ({"start_at": _at(400 * 86400)}, 422, "validation_error"),
        ({"start_at": naive}, 422, "validation_error"),
        ({"start_at": "tomorrow"}, 422, "validation_error"),
        ({"repeat": "daily"}, 422, "validation_error"),
        ({"end_after": 0}, 422, "validation_error"),
        ({"end_after": 1001}, 422, "validation_error"),
        ({"repeat": "none", "end_after": 2}, 422, "validation_error"),
        ({"amount": "0"}, 422, "validation_error"),
        ({"amount": "1.001"}, 422, "validation_error"),
        ({"amount": "70000.01"}, 422, "validation_error"),
        ({"note": "x" * 141}, 422, "validation_error"),
        ({"balance": "5.00"}, 422, "validation_error"),
        ({"pin": None}, 422, "validation_error"),
        ({"pin": "000000"}, 403, "invalid_pin"),
        ({"recipient": "nobody-" + uuid.uuid4().hex[:8]}, 404, "recipient_not_found"),
        ({"recipient": me["handle"]}, 422, "self_transfer"),
    ):
        r = await _create(ctx, me, friend, **fields)
        assert r.status_code == status and r.json()["code"] == code, (fields, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    r = await ctx.client.post(URL, headers=ctx.auth(me["user_id"]), content=b"{not json")
    assert r.status_code == 422 and r.json()["code"] == "validation_error"
    assert await _list(ctx, me) == []
    # the recipient must be verified; so must the sender
    unverified = await ctx.user(phone_verified=False)
    r = await _create(ctx, me, unverified)
    assert r.status_code == 404 and r.json()["code"] == "recipient_not_found", r.text
    r = await _create(ctx, unverified, friend)
    assert r.status_code == 403 and r.json()["code"] == "phone_not_verified", r.text
    # bad changes
    s = (await _create(ctx, me, friend)).json()
    for body in ({}, {"status": "cancelled"}, {"amount": "-1", "pin": PIN}, {"amount": "5.00"}, {"x": 1}):
        r = await ctx.client.patch(f"{URL}/{s['id']}", headers=ctx.auth(me["user_id"]), json=body)
        assert r.status_code == 422 and r.json()["code"] == "validation_error", (body, r.text)
    r = await ctx.client.patch(f"{URL}/{s['id']}", headers=ctx.auth(me["user_id"]), json={"amount": "5", "pin": "1"})
    assert r.status_code == 403 and r.json()["code"] == "invalid_pin"
    assert (await _one(ctx, me, s["id"]))["amount"] == "10.00"


async def test_live_schedules_are_capped_per_user(ctx_factory):
    async with ctx_factory(schedules_max=2) as ctx:
        me, friend = await ctx.user(), await ctx.user()
        made = await asyncio.gather(*(_create(ctx, me, friend) for _ in range(4)))
        assert sorted(r.status_code for r in made) == [201, 201, 409, 409]
        assert {r.json()["code"] for r in made if r.status_code == 409} == {"schedules_full"}
        # a cancelled one frees its place
        await ctx.client.delete(
            f"{URL}/{made[[r.status_code for r in made].index(201)].json()['id']}", headers=ctx.auth(me["user_id"])
        )
        assert (await _create(ctx, me, friend)).status_code == 201


async def _rows(ctx, user) -> int:
    """The user's schedules in the table itself (not through the API that answers them)."""
    async with rawsql.connection(ctx.app.state.db) as conn:
        return int(
            await conn.fetchval(
                Sql("SELECT count(*) FROM ledger.scheduled_transfers WHERE user_id = :u"), u=uuid.UUID(user["user_id"])
            )
        )


async def test_the_same_idempotency_key_answers_the_same_schedule_and_another_body_is_refused(ctx):
    me, friend = await ctx.user(balance="50.00"), await ctx.user()
    keyed = {**ctx.auth(me["user_id"]), "Idempotency-Key": "sched-1"}
    # Due in two seconds: the retry below arrives after `start_at`, and still gets its schedule.
    body = {"recipient": friend["handle"], "amount": "10", "pin": PIN, "start_at": _at(2), "repeat": "none"}
    first = await ctx.client.post(URL, headers=keyed, json=body)
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers, first.text
    await asyncio.sleep(2.2)
    # The PIN is not compared (a retry may carry a wrong one); the recipient's case and spaces neither.
    again = await ctx.client.post(
        URL, headers=keyed, json={**body, "pin": "000000", "recipient": f" {friend['handle'].upper()} "}
    )
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert await _rows(ctx, me) == 1
    for changed in ({"amount": "11"}, {"repeat": "weekly"}, {"note": "rent"}, {"start_at": _at(3600)}):
        r = await ctx.client.post(URL, headers=keyed, json={**body, **changed})
        assert r.status_code == 422 and r.json()["code"] == "idempotency_key_reused", (changed, r.text)
    # Keys are the caller's, one namespace with transfers: a transfer's key is not a schedule's.
    shared = {**ctx.auth(me["user_id"]), "Idempotency-Key": "shared-1"}
    sent = await ctx.client.post(
        "/api/v1/transfers", headers=shared, json={"recipient": friend["handle"], "amount": "5", "pin": PIN}
    )
    assert sent.status_code == 201, sent.text
    r = await ctx.client.post(URL, headers=shared, json=body)
    assert r.status_code == 422 and r.json()["code"] == "idempotency_key_reused"
    assert await _rows(ctx, me) == 1
    # A key outside 1-255 characters is refused as on a transfer; no key at all still works.
    r = await ctx.client.post(URL, headers={**ctx.auth(me["user_id"]), "Idempotency-Key": "k" * 256}, json=body)
    assert r.status_code == 400 and r.json()["code"] == "idempotency_key_required"
    plain = {**body, "start_at": _at(3600)}
    made = [await ctx.client.post(URL, headers=ctx.auth(me["user_id"]), json=plain) for _ in range(2)]
    assert [r.status_code for r in made] == [201, 201] and made[0].json()["id"] != made[1].json()["id"]
    assert await _rows(ctx, me) == 3


async def test_a_refused_schedule_leaves_its_key_free(ctx):
    me, friend = await ctx.user(), await ctx.user()
    keyed = {**ctx.auth(me["user_id"]), "Idempotency-Key": "sched-pin"}
    body = {"recipient": friend["handle"], "amount": "10", "start_at": _at(3600), "repeat": "weekly"}
    bad = await ctx.client.post(URL, headers=keyed, json={**body, "pin": "999999"})
    assert bad.status_code == 403 and bad.json()["code"] == "invalid_pin"
    ok = await ctx.client.post(URL, headers=keyed, json={**body, "pin": PIN})
    assert ok.status_code == 201 and "Idempotent-Replayed" not in ok.headers, ok.text
    assert await _rows(ctx, me) == 1


async def test_the_same_key_sent_concurrently_creates_one_schedule(ctx):
    me, friend = await ctx.user(), await ctx.user()
    keyed = {**ctx.auth(me["user_id"]), "Idempotency-Key": "sched-race"}
    body = {"recipient": friend["handle"], "amount": "25.00", "pin": PIN, "start_at": _at(3600), "repeat": "monthly"}
    answers = await asyncio.gather(*(ctx.client.post(URL, headers=keyed, json=body) for _ in range(8)))
    assert [r.status_code for r in answers] == [201] * 8
    assert len({r.text for r in answers}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in answers) == 7
    assert await _rows(ctx, me) == 1
    assert [s["id"] for s in await _list(ctx, me)] == [answers[0].json()["id"]]


# ---- running occurrences


async def test_an_occurrence_runs_exactly_once_however_often_its_job_runs(ctx):
    me, friend = await ctx.user(balance="100.00"), await ctx.user()
    s = (await _create(ctx, me, friend, repeat="none", start_at=_at(1.0), amount="30.00", note="gift")).json()
    assert s["end_after"] == 1
    assert await _run(ctx, s["id"], 1) == "skipped"  # not due yet: nothing happens
    await asyncio.sleep(1.1)
    assert [d.occurrence for d in await due_occurrences(ctx.app.state.db, limit=10_000) if str(d.id) == s["id"]] == [1]
    # the same job three times at once, and again later: one transfer
    outcomes = await asyncio.gather(*(_run(ctx, s["id"], 1) for _ in range(3)))
    assert sorted(outcomes) == ["completed", "skipped", "skipped"]
    assert await _run(ctx, s["id"], 1) == "skipped"
    assert await _run(ctx, s["id"], 2) == "skipped"
    assert await ctx.balances(me) == (Decimal("70.00"), Decimal("70.00"))
    assert await ctx.balances(friend) == (Decimal("30.00"), Decimal("30.00"))
    done = await _one(ctx, me, s["id"])
    assert done["status"] == "completed" and done["runs"] == 1 and done["next_run_at"] is None
    assert done["last_outcome"] == "completed" and done["last_run_at"]
    # a normal transfer: both histories, linked to the schedule, with a reference
    sent = [t for t in await _history(ctx, me) if t["type"] == "transfer"]
    received = await _history(ctx, friend)
    assert len(sent) == 1 and len(received) == 1
    assert sent[0]["id"] == done["last_transfer_id"] == received[0]["id"]
    assert sent[0]["schedule_id"] == s["id"] == received[0]["schedule_id"]
    assert sent[0]["amount"] == "30.00" and sent[0]["note"] == "gift" and sent[0]["reference"].startswith("IP")
    r = await ctx.client.get(f"/api/v1/transactions/{sent[0]['id']}", headers=ctx.auth(me["user_id"]))
    assert r.status_code == 200 and r.json()["schedule_id"] == s["id"]
    topup = next(t for t in await _history(ctx, me) if t["type"] == "topup")
    assert topup["schedule_id"] is None
    completed = [e for e in await _events(ctx, "transfer.completed") if e["data"]["transfer_id"] == sent[0]["id"]]
    assert len(completed) == 1
    # a completed schedule cannot be changed; cancelling it changes nothing
    r = await ctx.client.patch(f"{URL}/{s['id']}", headers=ctx.auth(me["user_id"]), json={"status": "paused"})
    assert r.status_code == 409 and r.json()["code"] == "schedule_finished"
    assert (await ctx.client.delete(f"{URL}/{s['id']}", headers=ctx.auth(me["user_id"]))).status_code == 204
    assert (await _one(ctx, me, s["id"]))["status"] == "completed"


async def test_a_declined_occurrence_notifies_the_sender_and_the_schedule_goes_on(ctx):
    me, friend = await ctx.user(balance="5.00"), await ctx.user()
    s = (await _create(ctx, me, friend, start_at=_at(1.0), end_after=2)).json()
    await asyncio.sleep(1.1)
    assert await _run(ctx, s["id"], 1) == "insufficient_funds"
    after = await _one(ctx, me, s["id"])
    assert after["status"] == "active" and after["runs"] == 1 and after["last_outcome"] == "insufficient_funds"
    assert after["last_transfer_id"] is None
    assert datetime.fromisoformat(after["next_run_at"]) == datetime.fromisoformat(s["start_at"]) + timedelta(weeks=1)
    assert await ctx.balances(me) == (Decimal("5.00"), Decimal("5.00"))
    failed = [e["data"] for e in await _events(ctx, "scheduled_transfer.failed") if e["data"]["schedule_id"] == s["id"]]
    assert len(failed) == 1
    assert failed[0]["user_id"] == me["user_id"] and failed[0]["code"] == "insufficient_funds"
    assert failed[0]["amount"] == "10.00" and failed[0]["recipient"]["handle"] == friend["handle"]
    assert failed[0]["next_run_at"] == after["next_run_at"]
    # a replay of the job does not notify twice
    assert await _run(ctx, s["id"], 1) == "skipped"
    assert len([e for e in await _events(ctx, "scheduled_transfer.failed") if e["data"]["schedule_id"] == s["id"]]) == 1
    # the second and last occurrence, once the money is there
    await ctx.topup(me, "50.00")
    await _shift_back(ctx, s["id"], timedelta(weeks=1))
    assert await _run(ctx, s["id"], 2) == "completed"
    done = await _one(ctx, me, s["id"])
    assert done["status"] == "completed" and done["runs"] == 2 and done["next_run_at"] is None


async def test_missed_ticks_run_once_and_the_next_run_is_in_the_future(ctx):
    me, friend = await ctx.user(balance="100.00"), await ctx.user()
    s = (await _create(ctx, me, friend, start_at=_at(60))).json()
    # the service was down for three weeks and a bit: four ticks passed
    await _shift_back(ctx, s["id"], timedelta(weeks=3, minutes=2))
    due = [d.occurrence for d in await due_occurrences(ctx.app.state.db, limit=10_000) if str(d.id) == s["id"]]
    assert due == [1]
    assert await _run(ctx, s["id"], 1) == "completed"
    after = await _one(ctx, me, s["id"])
    assert after["runs"] == 1
    start = datetime.fromisoformat(after["start_at"])
    assert datetime.fromisoformat(after["next_run_at"]) == start + timedelta(weeks=4) > datetime.now(UTC)
    assert not [d for d in await due_occurrences(ctx.app.state.db, limit=10_000) if str(d.id) == s["id"]]
    assert await ctx.balances(me) == (Decimal("90.00"), Decimal("90.00"))


async def test_pause_resume_new_amount_and_cancel(ctx):
    me, friend = await ctx.user(balance="100.00"), await ctx.user()
    s = (await _create(ctx, me, friend, start_at=_at(60))).json()
    mine = ctx.auth(me["user_id"])
    r = await ctx.client.patch(f"{URL}/{s['id']}", headers=mine, json={"status": "paused"})
    assert r.status_code == 200 and r.json()["status"] == "paused"
    await _shift_back(ctx, s["id"], timedelta(weeks=2, minutes=1))  # paused over three ticks
    assert not [d for d in await due_occurrences(ctx.app.state.db, limit=10_000) if str(d.id) == s["id"]]
    assert await _run(ctx, s["id"], 1) == "skipped"
    # a new amount: PIN again
    r = await ctx.client.patch(f"{URL}/{s['id']}", headers=mine, json={"amount": "25.50", "pin": PIN})
    assert r.status_code == 200 and r.json()["amount"] == "25.50" and r.json()["status"] == "paused"
    # resumed: the ticks passed while paused are skipped, the next one is in the future
    r = await ctx.client.patch(f"{URL}/{s['id']}", headers=mine, json={"status": "active"})
    resumed = r.json()
    assert r.status_code == 200 and resumed["status"] == "active", r.text
    start = datetime.fromisoformat(resumed["start_at"])
    assert datetime.fromisoformat(resumed["next_run_at"]) == start + timedelta(weeks=3)
    # it runs with the new amount
    await _shift_back(ctx, s["id"], timedelta(weeks=1))
    assert await _run(ctx, s["id"], 1) == "completed"
    assert await ctx.balances(me) == (Decimal("74.50"), Decimal("74.50"))
    # cancelled: no more runs, kept in the list, cannot be resumed
    assert (await ctx.client.delete(f"{URL}/{s['id']}", headers=mine)).status_code == 204
    gone = await _one(ctx, me, s["id"])
    assert gone["status"] == "cancelled" and gone["next_run_at"] is None and gone["runs"] == 1
    r = await ctx.client.patch(f"{URL}/{s['id']}", headers=mine, json={"status": "active"})
    assert r.status_code == 409 and r.json()["code"] == "schedule_finished"
    assert await _run(ctx, s["id"], 2) == "skipped"
    assert (await ctx.client.delete(f"{URL}/{s['id']}", headers=mine)).status_code == 204


async def test_a_frozen_sender_gets_a_failed_occurrence_not_a_transfer(ctx):
    me, friend = await ctx.user(balance="100.00"), await ctx.user()
    s = (await _create(ctx, me, friend, start_at=_at(1.0))).json()
    await _sql(
        ctx,
        "UPDATE ledger.accounts SET status = 'frozen', frozen_at = now(), frozen_reason = 'test' WHERE user_id = :u",
        u=uuid.UUID(me["user_id"]),
    )
    await asyncio.sleep(1.1)
    assert await _run(ctx, s["id"], 1) == "account_frozen"
    assert await ctx.balances(me) == (Decimal("100.00"), Decimal("100.00"))


@pytest.mark.timeout(60)
async def test_the_worker_in_the_service_runs_due_schedules(ctx_factory):
    """The real procrastinate worker (the service's lifespan): periodic scan, jobs, runs."""
    async with ctx_factory(schedule_worker_enabled=True, schedule_scan_seconds=1) as ctx:
        me, friend = await ctx.user(balance="100.00"), await ctx.user()
        made = [(await _create(ctx, me, friend, repeat="none", start_at=_at(1.0), amount="7.00")).json()]
        made += [(await _create(ctx, me, friend, start_at=_at(1.5), amount="3.00")).json()]
        for _ in range(200):
            rows = await _list(ctx, me)
            if all(r["runs"] == 1 for r in rows):
                break
            await asyncio.sleep(0.1)
        rows = {r["id"]: r for r in await _list(ctx, me)}
        assert rows[made[0]["id"]]["status"] == "completed" and rows[made[0]["id"]]["last_outcome"] == "completed"
        assert rows[made[1]["id"]]["status"] == "active" and rows[made[1]["id"]]["runs"] == 1
        assert await ctx.balances(friend) == (Decimal("10.00"), Decimal("10.00"))


@pytest.mark.timeout(90)
async def test_the_worker_runs_schedules_again_after_its_database_connections_were_dropped(ctx_factory):
    """A restart of PostgreSQL breaks the worker's connections and refuses new ones for a moment:
    procrastinate then stops the worker (its LISTEN cannot reconnect), and the service starts it
    again (else no schedule would ever run in this process again, while its API kept answering)."""
    async with ctx_factory(schedule_worker_enabled=True, schedule_scan_seconds=1) as ctx:
        me, friend = await ctx.user(balance="100.00"), await ctx.user()
        await asyncio.sleep(2)  # the worker's connections (LISTEN, heartbeat, deferrer) are open
        # As a restart of the server: every connection to this test's own database is dropped, and
        # for 3 s no new one is accepted (the service's own pool recovers by itself). Done from
        # the server's `postgres` database: a database cannot refuse the connection doing it.
        url = urlsplit(conninfo(ctx.settings.database_url))
        name = url.path.lstrip("/")
        admin = await asyncpg.connect(urlunsplit(url._replace(path="/postgres")))
        try:
            await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            try:
                dropped = await admin.fetchval(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1", name
                )
                await asyncio.sleep(3)
            finally:
                await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        finally:
            await admin.close()
        assert dropped > 0
        await asyncio.sleep(2)
        made = (await _create(ctx, me, friend, repeat="none", start_at=_at(1.0), amount="7.00")).json()
        for _ in range(400):
            if (await _one(ctx, me, made["id"]))["runs"] == 1:
                break
            await asyncio.sleep(0.1)
        row = await _one(ctx, me, made["id"])
        assert row["status"] == "completed" and row["last_outcome"] == "completed", row
        assert await ctx.balances(friend) == (Decimal("7.00"), Decimal("7.00"))
