"""The writer (`service.apply_events`): a batch of events in one transaction gives exactly the rows
of its events applied one at a time (each a batch of one, as `POST /internal/events` does); a bad
event leaves nothing of the batch written; the dispatcher records a batch of outcomes with one
statement. Real PostgreSQL (the session's migrated notification database)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

import aiohttp
import asyncpg
import pytest
from aiohttp import web
from sqlalchemy import text

from instapay_common.db.database import Database
from instapay_common.db.rawsql import Sql
from instapay_common.db.urls import asyncpg_dsn
from instapay_common.events.envelope import EventEnvelope
from instapay_common.web.http_client import ServiceClient
from instapay_stack.testing import start_fake
from notification_service import repository, service
from notification_service.api.internal import _consume
from notification_service.channels import ChannelError
from notification_service.channels.email import Mail
from notification_service.dispatcher import Channels, Dispatcher
from notification_service.exceptions import InvalidEvent
from notification_service.live import LiveHub
from notification_service.metrics import NOTIFICATION_DELIVERIES
from notification_service.profiles import ProfileDirectory


@pytest.fixture
async def db(notifications_db) -> AsyncIterator[Database]:
    database = Database(notifications_db, pool_size=2, max_overflow=2)
    yield database
    await database.dispose()


@pytest.fixture
async def directory(users, make_settings) -> AsyncIterator[ProfileDirectory]:
    credentials = make_settings().internal_credentials()
    async with aiohttp.ClientSession() as http:
        yield ProfileDirectory(
            ServiceClient(http, users.url, name="user-service", credentials=credentials), ttl_seconds=0
        )


def _envelopes(raw: list[dict[str, Any]]) -> list[EventEnvelope]:
    return [EventEnvelope.model_validate(e) for e in raw]


async def _snapshot(db: Database, event_ids: list[uuid.UUID]) -> tuple[list[tuple], list[tuple]]:
    """Notifications of these events in seq order (all but seq and id) with their deliveries, and
    the inbox rows of these ids."""
    async with db.sessionmaker() as s:
        rows = (
            await s.execute(
                text(
                    "SELECT n.user_id, n.type, n.title, n.body, n.data, n.language, n.event_id, n.created_at, "
                    "COALESCE((SELECT array_agg(d.channel || '|' || COALESCE(d.address, '-') || '|' || d.status "
                    "                           ORDER BY d.id) "
                    "          FROM notifications.deliveries d WHERE d.notification_seq = n.seq), '{}') AS channels "
                    "FROM notifications.notifications n WHERE n.event_id = ANY(:ids) ORDER BY n.seq"
                ),
                {"ids": event_ids},
            )
        ).all()
        inbox = (
            await s.execute(
                text(
                    "SELECT event_id, event_type FROM notifications.processed_events WHERE event_id = ANY(:ids) "
                    "ORDER BY event_id"
                ),
                {"ids": event_ids},
            )
        ).all()
    return [tuple(r) for r in rows], [tuple(r) for r in inbox]


async def _transactions(db: Database, event_ids: list[uuid.UUID]) -> int:
    """How many transactions wrote these events' notifications (distinct xmin)."""
    async with db.sessionmaker() as s:
        return (
            await s.execute(
                text("SELECT count(DISTINCT xmin::text) FROM notifications.notifications WHERE event_id = ANY(:ids)"),
                {"ids": event_ids},
            )
        ).scalar_one()


async def _forget(db: Database, event_ids: list[uuid.UUID]) -> None:
    async with db.sessionmaker() as s, s.begin():
        await s.execute(text("DELETE FROM notifications.notifications WHERE event_id = ANY(:ids)"), {"ids": event_ids})
        await s.execute(
            text("DELETE FROM notifications.processed_events WHERE event_id = ANY(:ids)"), {"ids": event_ids}
        )


def _created_count() -> float:
    return NOTIFICATION_DELIVERIES.labels("in_app", "created")._value.get()


async def test_a_batch_gives_the_same_notifications_and_deliveries_as_one_by_one(db, directory, users, ev):
    alice = users.add("alice", email=True)
    bob = users.add("bob", language="ar", sms=True)
    carol = users.add("carol", email=True, sms=True)
    ghost = {"user_id": str(uuid.uuid4()), "handle": "ghost", "display_name": "Ghost G."}  # no profile (404)
    pr = {
        "request_id": str(uuid.uuid4()),
        "amount": "50.00",
        "currency": "EGP",
        "note": "rent",
        "requester": ev.party(carol),
        "payer": ev.party(bob),
    }
    t1, t2, t3 = ev.transfer(alice, bob), ev.transfer(bob, carol, amount="7.25"), ev.transfer(ghost, alice, "1.00")
    topup = ev.envelope(
        "topup.completed",
        {
            "transaction_id": "t1",
            "user_id": bob["user_id"],
            "amount": "10.00",
            "currency": "EGP",
            "balance_after": "10.00",
        },
    )
    request = ev.envelope("payment_request.created", pr)
    welcome = ev.envelope(
        "user.registered",
        {
            "user_id": carol["user_id"],
            "handle": "carol",
            "full_name": "Carol",
            "email": carol["email"],
            "phone": carol["phone"],
        },
    )
    login = ev.envelope(
        "security.login",
        {"user_id": alice["user_id"], "ip": "10.0.0.9", "user_agent": "curl", "session_id": "s", "client": "password"},
    )
    unknown = ev.envelope("ledger.reconciled", {"user_id": alice["user_id"]})
    seen_a, seen_b = (
        ev.transfer(carol, alice, amount="3.00"),
        ev.envelope("security.password_changed", {"user_id": bob["user_id"]}),
    )
    hub = LiveHub()
    for e in _envelopes([seen_a, seen_b]):
        assert await _consume([e], db, directory, hub)
    batch = _envelopes([t1, topup, seen_a, request, t2, t1, welcome, login, unknown, seen_b, t3, t2])
    seen_ids = [uuid.UUID(seen_a["id"]), uuid.UUID(seen_b["id"])]
    new_ids = list(dict.fromkeys(e.id for e in batch if e.id not in seen_ids))
    before_seen = await _snapshot(db, seen_ids)

    # the reference: one by one, as the fallback path (and POST /internal/events) applies them
    one_by_one = {e.id for e in batch if await _consume([e], db, directory, hub)}
    reference = await _snapshot(db, new_ids)
    assert await _transactions(db, new_ids) > 1
    await _forget(db, new_ids)

    wake = {
        name: hub.subscribe(uuid.UUID(u["user_id"]))
        for name, u in (("alice", alice), ("bob", bob), ("carol", carol), ("ghost", ghost))
    }
    created_before = _created_count()
    applied = await _consume(batch, db, directory, hub)
    batched = await _snapshot(db, new_ids)

    assert applied == one_by_one == {uuid.UUID(e["id"]) for e in (t1, t2, t3, topup, request, welcome, login)}
    assert batched == reference
    notes, inbox = batched
    assert len(notes) == 11 and _created_count() - created_before == 11
    assert {r[0] for r in inbox} == set(new_ids), "the unknown type is claimed too (acknowledged once)"
    assert await _transactions(db, new_ids) == 1, "the whole batch commits together"
    assert all(w.is_set() for w in wake.values())
    assert await _snapshot(db, seen_ids) == before_seen, "ids seen before add nothing"
    # what the comparison covers: per-user order, languages, texts, channel choice
    bobs = [(r[1], r[5]) for r in notes if str(r[0]) == bob["user_id"]]
    assert bobs == [
        ("transfer.received", "ar"),
        ("topup.completed", "ar"),
        ("payment_request.received", "ar"),
        ("transfer.sent", "ar"),
    ]
    ghosts = [r for r in notes if str(r[0]) == ghost["user_id"]]
    assert [(r[1], r[5], list(r[8])) for r in ghosts] == [("transfer.sent", "en", ["email|-|pending", "sms|-|pending"])]
    carols = [r for r in notes if str(r[0]) == carol["user_id"]]
    assert [r[1] for r in carols] == ["payment_request.sent", "transfer.received", "account.welcome"]
    assert list(carols[0][8]) == [f"email|{carol['email']}|pending", f"sms|{carol['phone']}|pending"]
    assert carols[1][4]["amount"] == "7.25" and "Bob X." in carols[1][3]

    assert await service.apply_events(db, batch, directory) == service.Applied(set(), []), (
        "a redelivered batch adds nothing"
    )
    assert await _snapshot(db, new_ids) == batched


async def test_an_invalid_event_makes_the_batch_write_nothing(db, directory, users, ev):
    alice, bob = users.add("alice"), users.add("bob")
    good, bad = ev.transfer(alice, bob), ev.envelope("transfer.completed", {"amount": "1.00"})
    events = _envelopes([good, bad])
    with pytest.raises(InvalidEvent):
        await service.apply_events(db, events, directory)
    assert await _snapshot(db, [e.id for e in events]) == ([], [])


async def test_a_failure_inside_the_transaction_rolls_back_everything(db, directory, users, ev, monkeypatch):
    alice, bob = users.add("alice", email=True), users.add("bob")
    events = _envelopes([ev.transfer(alice, bob), ev.transfer(bob, alice)])
    broken = Sql("INSERT INTO notifications.deliveries (no_such_column) SELECT :seqs, :channels, :addresses")
    monkeypatch.setattr(repository, "_INSERT_DELIVERIES", broken)
    with pytest.raises(Exception, match="no_such_column"):
        await service.apply_events(db, events, directory)
    assert await _snapshot(db, [e.id for e in events]) == ([], [])


async def test_one_invalid_event_in_a_posted_batch_is_rejected_and_the_others_land(service, users, ev):
    alice, bob = users.add("alice"), users.add("bob")
    first, second = ev.transfer(alice, bob), ev.transfer(bob, alice, amount="2.00")
    login = ev.envelope("security.login", {"user_id": alice["user_id"], "ip": "10.1.1.1", "user_agent": "x"})
    bad = ev.envelope("topup.completed", {"user_id": "not-a-user", "amount": "1.00"})
    r = await service.post_batch([first, bad, second, login])
    assert r.status_code == 200, r.text
    assert [(x["id"], x["outcome"]) for x in r.json()["results"]] == [
        (first["id"], "applied"),
        (bad["id"], "rejected"),
        (second["id"], "applied"),
        (login["id"], "applied"),
    ]
    ids = [uuid.UUID(e["id"]) for e in (first, bad, second, login)]
    notes, inbox = await _snapshot(service.app.state.db, ids)
    assert [(str(n[0]), n[1]) for n in notes] == [
        (alice["user_id"], "transfer.sent"),
        (bob["user_id"], "transfer.received"),
        (bob["user_id"], "transfer.sent"),
        (alice["user_id"], "transfer.received"),
        (alice["user_id"], "security.login"),
    ]
    assert uuid.UUID(bad["id"]) not in {row[0] for row in inbox}, "the bad event is retried, so not claimed"
    good_ids = [i for i in ids if i != uuid.UUID(bad["id"])]
    assert await _transactions(service.app.state.db, good_ids) == 1, "the others still land together"

    # redelivered (the relay retries the bad one with its batch): nothing new, the bad one again rejected
    r = await service.post_batch([first, bad, second, login])
    assert [x["outcome"] for x in r.json()["results"]] == ["skipped", "rejected", "skipped", "skipped"]
    assert await _snapshot(service.app.state.db, ids) == (notes, inbox)

    # without a bad event the posted batch takes the one-transaction path
    more = [ev.transfer(alice, bob, amount="4.00"), ev.transfer(bob, alice, amount="5.00")]
    r = await service.post_batch([*more, first])
    assert [x["outcome"] for x in r.json()["results"]] == ["applied", "applied", "skipped"]
    assert await _transactions(service.app.state.db, [uuid.UUID(e["id"]) for e in more]) == 1


async def test_a_mixed_batch_with_poison_events_in_the_middle_matches_one_by_one(service, users, ev):
    """Posted as a batch: the valid events give exactly the notifications they give one by one,
    in one transaction; each poison event is rejected with the error it gets alone."""
    alice, bob = users.add("alice", email=True), users.add("bob", language="ar", sms=True)
    db = service.app.state.db

    def mixed() -> list[dict[str, Any]]:
        return [
            ev.transfer(alice, bob),
            ev.envelope("topup.completed", {"user_id": "nobody", "amount": "1.00"}),
            ev.envelope("security.password_changed", {"user_id": bob["user_id"]}),
            ev.envelope("dispute.resolved", {"status": "lost"}),
            ev.transfer(bob, alice, amount="2.50"),
        ]

    alone = mixed()
    answers = [(await service.post_batch([e])).json()["results"][0] for e in alone]
    reference = await _snapshot(db, [uuid.UUID(e["id"]) for e in alone])

    together = mixed()
    r = await service.post_batch(together)
    results = r.json()["results"]
    assert [(x["outcome"], x.get("error")) for x in results] == [(a["outcome"], a.get("error")) for a in answers]
    assert [x["outcome"] for x in results] == ["applied", "rejected", "applied", "rejected", "applied"]
    good = [uuid.UUID(together[i]["id"]) for i in (0, 2, 4)]
    notes, inbox = await _snapshot(db, good)
    assert len(notes) == 5 and len(inbox) == 3
    assert await _transactions(db, good) == 1

    def comparable(rows: list[tuple]) -> list[tuple]:
        """All but the event's id, time and transfer id, and the deliveries' state (the running
        dispatcher may have tried the reference's already)."""
        return [
            (
                r[0],
                r[1],
                r[2],
                r[3],
                {k: v for k, v in r[4].items() if k != "transfer_id"},
                r[5],
                [d.rsplit("|", 1)[0] for d in r[8]],
            )
            for r in rows
        ]

    assert comparable(notes) == comparable(reference[0])


async def test_a_batch_wakes_each_user_once(db, directory, users, ev, notifications_db):
    """One NOTIFY per user of the batch (with their last seq), not one per notification."""
    alice, bob = users.add("alice"), users.add("bob")
    heard: list[str] = []
    listener = await asyncpg.connect(asyncpg_dsn(notifications_db))
    try:
        await listener.add_listener(repository.LIVE_CHANNEL, lambda *args: heard.append(args[-1]))
        batch = _envelopes([ev.transfer(alice, bob), ev.transfer(bob, alice), ev.transfer(alice, bob)])
        done = await service.apply_events(db, batch, directory)
        assert len(done.created) == 6
        for _ in range(50):
            if len(heard) >= 2:
                break
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.1)
        last = {str(u): seq for u, seq in done.created}
        assert sorted(heard) == sorted(f"{u}:{seq}" for u, seq in last.items())
    finally:
        await listener.close()


async def test_a_batch_reads_its_recipients_profiles_in_one_call(db, directory, users, ev):
    people = [users.add(f"p{i}", email=True, language="ar" if i % 2 else "en") for i in range(6)]
    batch = _envelopes([ev.transfer(people[i], people[(i + 1) % 6]) for i in range(6)])
    calls = users.calls
    done = await service.apply_events(db, batch, directory)
    assert len(done.created) == 12
    assert (users.calls - calls, users.lookups) == (1, 1), "one lookup for the six recipients"
    notes, _ = await _snapshot(db, [e.id for e in batch])
    by_user = {str(n[0]): n[5] for n in notes}
    assert by_user == {p["user_id"]: p["preferences"]["language"] for p in people}


async def test_without_the_lookup_route_profiles_are_read_one_by_one(users, make_settings):
    """A user-service from before `POST /internal/users/lookup` (mid-upgrade): one GET each."""
    a, b = users.add("a", language="ar"), users.add("b")
    app = web.Application()
    app.router.add_get("/internal/users/{user_id}", users.handle)

    async def no_such_route(_request: web.Request) -> web.Response:  # as FastAPI answers it
        return web.json_response({"status": 405, "code": "method_not_allowed"}, status=405)

    app.router.add_post("/internal/users/lookup", no_such_route)
    runner, url = await start_fake(app)
    try:
        async with aiohttp.ClientSession() as http:
            credentials = make_settings().internal_credentials()
            old = ProfileDirectory(
                ServiceClient(http, url, name="user-service", credentials=credentials), ttl_seconds=0
            )
            ghost = uuid.uuid4()
            ids = [uuid.UUID(a["user_id"]), uuid.UUID(b["user_id"]), ghost]
            for _ in range(2):  # the second time straight to one GET each
                found = await old.get_many(ids)
                assert {u: p.language if p else None for u, p in found.items()} == {
                    ids[0]: "ar",
                    ids[1]: "en",
                    ghost: None,
                }
    finally:
        await runner.cleanup()


class FakeMailer:
    def __init__(self, failing: set[str]) -> None:
        self.failing = failing
        self.sent: list[tuple[str, str, str]] = []

    async def send(self, *, to: str, subject: str, body: str, language: str) -> None:
        [error] = await self.send_many([Mail(to, subject, body, language)])
        if error is not None:
            raise ChannelError(error)

    async def send_many(self, mails: Sequence[Mail]) -> list[str | None]:
        errors: list[str | None] = []
        for mail in mails:
            if mail.to in self.failing:
                errors.append("smtp: SMTPServerDisconnected: boom")
            else:
                self.sent.append((mail.to, mail.subject, mail.language))
                errors.append(None)
        return errors


class FakeSms:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, *, to: str, text: str) -> None:
        self.sent.append((to, text))


async def test_the_dispatcher_records_a_batch_of_outcomes_in_one_statement(
    empty_notifications_db, directory, users, ev, make_settings
):
    db = Database(empty_notifications_db, pool_size=2, max_overflow=2)
    try:
        await _dispatch_a_batch(db, directory, users, ev, make_settings)
    finally:
        await db.dispose()


async def _dispatch_a_batch(db, directory, users, ev, make_settings) -> None:
    sent = users.add("sent", email=True, sms=True)
    off = users.add("off", email=True)
    retry = users.add("retry", email=True)
    gives_up = users.add("givesup", email=True)
    ghost = str(uuid.uuid4())  # no profile: its rows have no address and wait for one
    raw = [
        ev.envelope(
            "topup.completed",
            {"user_id": u, "amount": "9.00", "currency": "EGP", "balance_after": "9.00", "transaction_id": "t"},
        )
        for u in (sent["user_id"], off["user_id"], retry["user_id"], gives_up["user_id"], ghost)
    ]
    done = await service.apply_events(db, _envelopes(raw), directory)
    seq = {str(user): s for user, s in done.created}
    off["preferences"]["notify_email"] = False  # changed after the notification was stored
    async with db.sessionmaker() as s, s.begin():
        await s.execute(
            text("UPDATE notifications.deliveries SET attempts = 2 WHERE notification_seq = :seq"),
            {"seq": seq[gives_up["user_id"]]},
        )

    mailer, sms = FakeMailer({retry["email"], gives_up["email"]}), FakeSms()
    settings = make_settings(delivery_max_attempts=3, delivery_backoff_base_seconds=30, delivery_backoff_cap_seconds=60)
    dispatcher = Dispatcher(db, Channels(mailer=mailer, sms=sms), directory, settings, batch_size=10_000)
    outcomes = ("sent", "skipped", "retry", "failed")
    before = {o: NOTIFICATION_DELIVERIES.labels("email", o)._value.get() for o in outcomes}
    assert await dispatcher.run_once() == 7

    async with db.sessionmaker() as s:
        rows = (
            await s.execute(
                text(
                    "SELECT n.user_id::text AS user_id, d.channel, d.status, "
                    "d.attempts, d.last_error, d.sent_at IS NOT NULL "
                    "AS has_sent_at, d.next_attempt_at > now() + interval '2 seconds' AS later, "
                    "d.next_attempt_at <= now() + interval '61 seconds' AS within_cap "
                    "FROM notifications.deliveries d JOIN notifications.notifications n ON n.seq = d.notification_seq "
                    "WHERE n.seq = ANY(:seqs) ORDER BY n.seq, d.id"
                ),
                {"seqs": list(seq.values())},
            )
        ).all()
    got = {(r.user_id, r.channel): r for r in rows}
    assert len(got) == 7
    for channel in ("email", "sms"):
        r = got[sent["user_id"], channel]
        assert (r.status, r.attempts, r.last_error, r.has_sent_at) == ("sent", 1, None, True)
    r = got[off["user_id"], "email"]
    assert (r.status, r.attempts, r.last_error, r.has_sent_at) == ("skipped", 0, None, False)
    r = got[retry["user_id"], "email"]
    assert (r.status, r.attempts, r.has_sent_at, r.later, r.within_cap) == ("pending", 1, False, True, True)
    assert r.last_error == "smtp: SMTPServerDisconnected: boom"
    r = got[gives_up["user_id"], "email"]
    assert (r.status, r.attempts, r.last_error, r.has_sent_at) == (
        "failed",
        3,
        "smtp: SMTPServerDisconnected: boom",
        False,
    )
    for channel in ("email", "sms"):
        r = got[ghost, channel]
        assert (r.status, r.attempts, r.last_error) == ("pending", 1, "recipient profile unavailable")
        assert r.later
    assert mailer.sent == [(sent["email"], "Top-up of EGP\u00a09.00", "en")]
    assert sms.sent == [
        (
            sent["phone"],
            "Top-up of EGP\u00a09.00\nYour wallet was topped up with EGP\u00a09.00. Balance: EGP\u00a09.00.",
        )
    ]
    after = {o: NOTIFICATION_DELIVERIES.labels("email", o)._value.get() for o in before}
    assert {o: after[o] - before[o] for o in before} == {"sent": 1, "skipped": 1, "retry": 2, "failed": 1}


async def test_no_notice_goes_to_an_unverified_phone_or_e_mail(
    empty_notifications_db, directory, users, ev, make_settings
):
    """An unverified claim may be someone else's number or address: the notice stays in the app.
    Known unverified when stored: no delivery at all; unknown then, unverified when sent: skipped."""
    db = Database(empty_notifications_db, pool_size=2, max_overflow=2)
    try:
        claimant = users.add("claimant", email=True, sms=True, verified=False)
        later = str(uuid.uuid4())  # no profile when the event is stored
        raw = [
            ev.envelope(
                "topup.completed",
                {"user_id": u, "amount": "9.00", "currency": "EGP", "balance_after": "9.00", "transaction_id": "t"},
            )
            for u in (claimant["user_id"], later)
        ]
        done = await service.apply_events(db, _envelopes(raw), directory)
        assert len(done.created) == 2  # both see it in the app
        users.profiles[later] = {**users.add("later", email=True, sms=True, verified=False), "user_id": later}

        mailer, sms = FakeMailer(set()), FakeSms()
        dispatcher = Dispatcher(db, Channels(mailer=mailer, sms=sms), directory, make_settings(), batch_size=100)
        assert await dispatcher.run_once() == 2  # the later user's e-mail and SMS rows; none for the claimant
        async with db.sessionmaker() as s:
            rows = (
                await s.execute(
                    text(
                        "SELECT n.user_id::text AS user_id, d.channel, d.status FROM notifications.deliveries d "
                        "JOIN notifications.notifications n ON n.seq = d.notification_seq"
                    )
                )
            ).all()
        assert sorted((r.user_id, r.channel, r.status) for r in rows) == [
            (later, "email", "skipped"),
            (later, "sms", "skipped"),
        ]
        assert mailer.sent == [] and sms.sent == []
    finally:
        await db.dispose()
