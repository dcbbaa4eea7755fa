"""Notification service in-process: events in, notifications out (list, read, channels, SSE)."""

from __future__ import annotations

import asyncio
import base64
import time
import uuid
from pathlib import Path

import httpx
import orjson
import pytest

from instapay_common.security.scopes import PROFILE_READ
from instapay_stack.smtp_sink import read_mailbox
from instapay_stack.tokens import TestIssuer


async def items(service, user, **params) -> list[dict]:
    r = await service.client.get("/api/v1/notifications", params=params, headers=service.auth(user["user_id"]))
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def test_transfer_notifies_both_sides_once_in_their_language(service, users, ev):
    alice, bob = users.add("alice"), users.add("bob", language="ar")
    event = ev.transfer(alice, bob)
    for _ in range(3):  # the relay may deliver an event more than once
        assert (await service.post_event(event)).status_code == 204
    sent, received = await items(service, alice), await items(service, bob)
    assert len(sent) == 1 and len(received) == 1
    assert sent[0]["type"] == "transfer.sent" and sent[0]["read_at"] is None
    assert sent[0]["title"] == "You sent EGP\u00a0125.50"
    assert "Bob X." in sent[0]["body"] and sent[0]["data"]["amount"] == "125.50"
    assert received[0]["type"] == "transfer.received"
    assert received[0]["title"] == "استلمت \u2068\u200f125.50\u00a0ج.م.\u200f\u2069"
    assert "\u2068Alice X.\u2069" in received[0]["body"]
    assert set(sent[0]) == {"id", "type", "title", "body", "data", "created_at", "read_at"}


async def test_every_event_type_yields_its_notifications(service, users, ev):
    alice, bob = users.add("alice"), users.add("bob")
    pr = {
        "request_id": str(uuid.uuid4()),
        "amount": "50.00",
        "currency": "EGP",
        "note": None,
        "requester": ev.party(alice),
        "payer": ev.party(bob),
        "expires_at": "2026-12-01T00:00:00Z",
        "created_at": "2026-11-25T00:00:00Z",
    }
    uid = alice["user_id"]
    events = [
        ev.envelope(
            "topup.completed",
            {
                "transaction_id": "t1",
                "user_id": uid,
                "handle": "alice",
                "amount": "10.00",
                "currency": "EGP",
                "balance_after": "10.00",
                "source_type": "card",
            },
        ),
        ev.envelope(
            "withdrawal.completed",
            {
                "transaction_id": "t2",
                "user_id": uid,
                "handle": "alice",
                "amount": "5.00",
                "currency": "EGP",
                "balance_after": "5.00",
                "destination_type": "bank",
            },
        ),
        ev.envelope("payment_request.created", pr),
        ev.envelope("payment_request.accepted", {**pr, "transfer_id": str(uuid.uuid4())}),
        ev.envelope("payment_request.declined", pr),
        ev.envelope("payment_request.cancelled", pr),
        ev.envelope(
            "user.registered",
            {"user_id": uid, "email": alice["email"], "phone": alice["phone"], "handle": "alice", "full_name": "Alice"},
        ),
        ev.envelope(
            "security.login",
            {"user_id": uid, "session_id": "s", "ip": "10.0.0.1", "user_agent": "curl", "client": "password"},
        ),
        ev.envelope("security.password_changed", {"user_id": uid}),
        ev.envelope("security.pin_changed", {"user_id": uid, "first_time": True}),
        ev.envelope(
            "security.pin_locked", {"user_id": uid, "locked_until": "2026-12-03T10:15:00Z", "lock_minutes": 15}
        ),
        ev.envelope(
            "security.api_client_created",
            {"user_id": uid, "client_id": "c", "name": "Books", "scopes": ["reports:read"]},
        ),
        ev.envelope("something.unknown", {"user_id": uid}),
    ]
    for e in events:
        assert (await service.post_event(e)).status_code == 204, e["type"]
    mine = [n["type"] for n in await items(service, alice, limit=100)]
    assert sorted(mine) == sorted(
        [
            "topup.completed",
            "withdrawal.completed",
            "payment_request.sent",
            "payment_request.accepted",
            "payment_request.declined",
            "payment_request.cancelled",
            "account.welcome",
            "security.login",
            "security.password_changed",
            "security.pin_changed",
            "security.pin_locked",
            "security.api_client_created",
        ]
    )
    theirs = [n["type"] for n in await items(service, bob, limit=100)]
    assert sorted(theirs) == sorted(
        [
            "payment_request.received",
            "payment_request.accepted",
            "payment_request.declined",
            "payment_request.cancelled",
        ]
    )
    login = next(n for n in await items(service, alice, limit=100) if n["type"] == "security.login")
    assert "10.0.0.1" in login["body"]


async def test_bad_events_are_refused_clearly(service, users, ev):
    alice = users.add("alice")
    no_token = await service.client.post("/internal/events", json=ev.transfer(alice, users.add("b")))
    assert no_token.status_code == 401
    bad = await service.post_event(ev.envelope("transfer.completed", {"amount": "1.00"}))
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert (await service.post_event({"type": "x"})).status_code == 422
    assert await items(service, alice) == []


async def test_a_batch_applies_each_event_once_and_refuses_only_the_bad_one(service, users, ev):
    alice, bob = users.add("alice"), users.add("bob")
    first, second = ev.transfer(alice, bob), ev.transfer(bob, alice)
    bad = ev.envelope("transfer.completed", {"amount": "1.00"})
    batch = [first, bad, second, first, {"type": "no id"}]
    assert (await service.post_batch(batch, headers=None)).status_code == 401
    r = await service.post_batch(batch)
    assert r.status_code == 200, r.text
    outcomes = [(x["id"], x["outcome"]) for x in r.json()["results"]]
    assert outcomes == [
        (first["id"], "applied"),
        (bad["id"], "rejected"),
        (second["id"], "applied"),
        (first["id"], "skipped"),
        (None, "rejected"),
    ]
    assert sorted(n["type"] for n in await items(service, alice)) == ["transfer.received", "transfer.sent"]
    again = await service.post_batch([first, second])
    assert [x["outcome"] for x in again.json()["results"]] == ["skipped", "skipped"]
    assert len(await items(service, bob)) == 2, "a redelivered batch adds nothing"
    assert (await service.post_batch([])).status_code == 422


async def test_list_paginates_filters_and_marks_read(service, users, ev):
    alice, bob = users.add("alice"), users.add("bob")
    for i in range(25):
        assert (await service.post_event(ev.transfer(alice, bob, amount=f"{i + 1}.00"))).status_code == 204
    h = service.auth(alice["user_id"])
    page1 = (await service.client.get("/api/v1/notifications", params={"limit": 10}, headers=h)).json()
    assert len(page1["items"]) == 10 and page1["next_cursor"]
    assert page1["items"][0]["data"]["amount"] == "25.00"  # newest first
    # a notification arriving between pages does not shift the next page
    await service.post_event(ev.transfer(alice, bob, amount="99.00"))
    page2 = (
        await service.client.get(
            "/api/v1/notifications", params={"limit": 10, "cursor": page1["next_cursor"]}, headers=h
        )
    ).json()
    assert [n["data"]["amount"] for n in page2["items"]] == [f"{i}.00" for i in range(15, 5, -1)]
    page3 = (
        await service.client.get(
            "/api/v1/notifications", params={"limit": 10, "cursor": page2["next_cursor"]}, headers=h
        )
    ).json()
    assert len(page3["items"]) == 5 and page3["next_cursor"] is None

    first = page1["items"][0]["id"]
    assert (await service.client.post(f"/api/v1/notifications/{first}/read", headers=h)).status_code == 204
    assert (await service.client.post(f"/api/v1/notifications/{first}/read", headers=h)).status_code == 204
    unread = await items(service, alice, unread_only="true", limit=100)
    assert len(unread) == 25 and first not in {n["id"] for n in unread}
    # someone else's notification: 404 as if it did not exist, and it stays unread
    bobs = (await items(service, bob))[0]["id"]
    other = await service.client.post(f"/api/v1/notifications/{bobs}/read", headers=h)
    assert other.status_code == 404 and other.json()["code"] == "not_found"
    assert (await service.client.post(f"/api/v1/notifications/{uuid.uuid4()}/read", headers=h)).status_code == 404
    assert (await items(service, bob))[0]["read_at"] is None

    assert (await service.client.post("/api/v1/notifications/read-all", headers=h)).status_code == 204
    assert await items(service, alice, unread_only="true") == []
    assert all(n["read_at"] for n in await items(service, alice, limit=100))
    assert len(await items(service, bob, unread_only="true", limit=100)) == 26


async def test_public_routes_validate_and_authenticate(service, users):
    alice = users.add("alice")
    h = service.auth(alice["user_id"])
    assert (await service.client.get("/api/v1/notifications")).status_code == 401
    for params in ({"limit": 0}, {"limit": 101}, {"cursor": "not-a-cursor"}, {"unread_only": "maybe"}):
        r = await service.client.get("/api/v1/notifications", params=params, headers=h)
        assert r.status_code == 422, params
        assert r.json()["code"] == "validation_error"
    assert (await service.client.post("/api/v1/notifications/nope/read", headers=h)).status_code == 422
    narrow = service.auth(alice["user_id"], scopes={PROFILE_READ})
    assert (await service.client.get("/api/v1/notifications", headers=narrow)).status_code == 403


def _wait_files(directory: Path, count: int, within: float = 10) -> list[Path]:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        files = sorted(directory.glob("*")) if directory.exists() else []
        files = [f for f in files if not f.name.startswith(".")]
        if len(files) >= count:
            return files
        time.sleep(0.05)
    return files


async def test_email_and_sms_follow_preferences(
    serve_app, make_settings, empty_notifications_db, users, smtp_sink, mail_dir, tmp_path, ev
):
    # A database of its own: the test says nothing else was sent, and the dispatcher would also
    # send what earlier tests left due in the shared one.
    async with serve_app(make_settings(database_url=empty_notifications_db), TestIssuer()) as service:
        wants_mail = users.add("mailer", email=True)
        wants_sms = users.add("texter", language="ar", sms=True)
        neither = users.add("quiet")
        await service.post_event(ev.transfer(wants_mail, neither))
        await service.post_event(ev.transfer(wants_sms, neither))
        await asyncio.to_thread(_wait_files, mail_dir, 1)
        await asyncio.to_thread(_wait_files, tmp_path / "sms", 1)
        await asyncio.sleep(0.5)  # anything else would have arrived by now
        mails = read_mailbox(mail_dir)
        assert [m["To"] for m in mails] == [wants_mail["email"]]
        assert mails[0]["Subject"] == "You sent EGP\u00a0125.50" and "Quiet X." in mails[0].get_content()
        sms = [p for p in (tmp_path / "sms").glob("*.txt")]
        assert len(sms) == 1
        text = sms[0].read_text(encoding="utf-8")
        assert text.startswith(f"To: {wants_sms['phone']}") and "125.50\u00a0ج.م." in text and "EGP" not in text


async def test_failing_smtp_is_retried_and_never_blocks_in_app_or_sms(
    make_settings, users, mail_dir, smtp_port, tmp_path, ev, serve_app
):
    both = users.add("both", email=True, sms=True)
    other = users.add("other")
    async with serve_app(make_settings(), TestIssuer()) as svc:
        await svc.post_event(ev.transfer(both, other))  # no SMTP server listening yet
        assert len(await items(svc, both)) == 1
        assert len(await asyncio.to_thread(_wait_files, tmp_path / "sms", 1)) == 1
        await asyncio.sleep(0.5)
        async with svc.app.state.db.sessionmaker() as s:
            from sqlalchemy import text

            row = (
                await s.execute(
                    text(
                        "SELECT status, attempts, last_error FROM notifications.deliveries "
                        "WHERE channel = 'email' ORDER BY id DESC LIMIT 1"
                    )
                )
            ).one()
        assert row.status == "pending" and row.attempts >= 1 and row.last_error.startswith("smtp")
        from instapay_stack.smtp_sink import SmtpSink

        sink = SmtpSink(mail_dir, port=smtp_port).start()
        try:
            assert len(await asyncio.to_thread(_wait_files, mail_dir, 1)) == 1
        finally:
            sink.stop()
        metrics = (await svc.client.get("/metrics")).text
        assert 'notification_deliveries_total{channel="email",outcome="retry"}' in metrics
        assert 'notification_deliveries_total{channel="email",outcome="sent"}' in metrics


async def read_events(response: httpx.Response, count: int, within: float) -> list[tuple[str, dict]]:
    """Reads `count` SSE `notification` events (id, data) from an open stream."""
    found: list[tuple[str, dict]] = []
    current: dict[str, str] = {}

    async def consume() -> None:
        async for line in response.aiter_lines():
            if line == "":
                if current.get("event") == "notification":
                    found.append((current["id"], orjson.loads(current["data"])))
                    if len(found) >= count:
                        return
                current.clear()
            elif not line.startswith(":"):
                key, _, value = line.partition(":")
                current[key] = value.removeprefix(" ")

    await asyncio.wait_for(consume(), timeout=within)
    return found


async def test_stream_pushes_live_within_a_second_and_replays_after_reconnect(service, users, ev):
    alice, bob = users.add("alice"), users.add("bob")
    h = service.auth(bob["user_id"])
    async with service.client.stream("GET", "/api/v1/notifications/stream", headers=h) as resp:
        assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/event-stream")
        started = time.monotonic()
        await service.post_event(ev.transfer(alice, bob))
        [(first_id, first)] = await read_events(resp, 1, within=1.0)
        assert time.monotonic() - started < 1.0
        assert first["type"] == "transfer.received"
    # while disconnected, two more arrive; reconnecting with Last-Event-ID replays exactly those
    await service.post_event(ev.transfer(alice, bob, amount="2.00"))
    await service.post_event(ev.transfer(alice, bob, amount="3.00"))
    async with service.client.stream(
        "GET", "/api/v1/notifications/stream", headers={**h, "Last-Event-ID": first_id}
    ) as resp:
        replay = await read_events(resp, 2, within=2.0)
    assert [d["data"]["amount"] for _, d in replay] == ["2.00", "3.00"]
    assert int(replay[0][0]) > int(first_id)


async def test_stream_sends_keepalives_and_requires_a_token(service, users):
    alice = users.add("alice")
    assert (await service.client.get("/api/v1/notifications/stream")).status_code == 401
    async with service.client.stream(
        "GET", "/api/v1/notifications/stream", headers=service.auth(alice["user_id"])
    ) as resp:
        lines: list[str] = []

        async def until_keepalive() -> None:
            async for line in resp.aiter_lines():
                lines.append(line)
                if line.startswith(": keep-alive"):
                    return

        await asyncio.wait_for(until_keepalive(), timeout=3)  # keep-alive set to 1 s in tests
    assert any(line.startswith("retry:") for line in lines)


async def test_stream_on_one_replica_sees_notifications_written_by_another(make_settings, users, ev, serve_app):
    """LISTEN/NOTIFY: two service processes' worth of apps on one database."""
    alice, bob = users.add("alice"), users.add("bob")
    issuer = TestIssuer()
    async with (
        serve_app(make_settings(), issuer) as a,
        serve_app(make_settings(), issuer) as b,
        a.client.stream("GET", "/api/v1/notifications/stream", headers=a.auth(bob["user_id"])) as resp,
    ):
        await asyncio.sleep(0.2)
        started = time.monotonic()
        assert (await b.post_event(ev.transfer(alice, bob))).status_code == 204
        [(_, got)] = await read_events(resp, 1, within=1.0)
        assert time.monotonic() - started < 1.0 and got["type"] == "transfer.received"


@pytest.mark.parametrize("last_event_id", ["99999999999999999999999999", str(2**63), "\u00b2", "abc", "-1", "1.5"])
async def test_a_last_event_id_it_never_sent_starts_the_stream_now(service, users, ev, last_event_id):
    """A `Last-Event-ID` that is not ASCII digits within bigint (`99999999999999999999999999`, "²")
    starts the stream at "now" rather than breaking it after the 200 (the browser would reconnect
    into the same error); an id above the user's latest was never sent: nothing was missed."""
    alice, bob = users.add("alice"), users.add("bob")
    await service.post_event(ev.transfer(alice, bob, amount="1.00"))  # before: not replayed
    h = {**service.auth(bob["user_id"]), "Last-Event-ID": last_event_id.encode("latin-1")}
    async with service.client.stream("GET", "/api/v1/notifications/stream", headers=h) as resp:
        assert resp.status_code == 200
        await asyncio.sleep(0.1)
        await service.post_event(ev.transfer(alice, bob, amount="2.00"))
        [(_, live)] = await read_events(resp, 1, within=2.0)
    assert live["type"] == "transfer.received" and live["data"]["amount"] == "2.00"


@pytest.mark.parametrize("raw", ["n:99999999999999999999", "n:9223372036854775808", "n:-1", "n:\uff11\uff12"])
async def test_crafted_cursors_are_validation_errors(service, users, raw):
    """A crafted cursor (`n:` beyond bigint, negative, non-ASCII digits) is a 422, never a 500."""
    bob = users.add("bob")
    cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    r = await service.client.get(
        "/api/v1/notifications", params={"cursor": cursor}, headers=service.auth(bob["user_id"])
    )
    assert r.status_code == 422 and r.json()["code"] == "validation_error", r.text
    assert [e["field"] for e in r.json()["errors"]] == ["cursor"]
