"""The outbox relay against a real outbox (the transaction service's 0001 migration on PostgreSQL)
and real HTTP subscribers (small aiohttp servers standing in for reporting and notification)."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter as Tally
from collections.abc import AsyncIterator

import aiohttp
import asyncpg
import pytest
from aiohttp import web
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from instapay_common.db.urls import asyncpg_dsn
from instapay_common.events.outbox import emit_event, outbox_table
from instapay_stack.paths import SERVICES_DIR
from instapay_stack.postgres import drop_database, ensure_database
from instapay_stack.processes import free_port_base
from instapay_stack.testing import start_fake
from outbox_relay.backoff import backoff_delay
from outbox_relay.config import RelayConfig, config_from_env
from outbox_relay.metrics import OUTBOX_DELIVERIES
from outbox_relay.relay import OutboxRelay

SECRET = "relay-test-" + secrets.token_urlsafe(32)


@pytest.fixture(scope="module")
def outbox_url(pg) -> str:
    """A database holding only the transaction service's first revision: the outbox tables."""
    name = f"relay_{os.getpid()}_{secrets.token_hex(3)}"
    url = ensure_database(pg, name)
    svc = SERVICES_DIR / "transaction-service"
    subprocess.run(
        [sys.executable, "-m", "alembic", "-c", str(svc / "alembic.ini"), "upgrade", "0001"],
        cwd=svc,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        capture_output=True,
    )
    yield url
    drop_database(pg, name)


class Subscriber:
    """A subscriber endpoint: records each envelope; answers 500 while `fail_next` > 0 (requests).
    With `batch` it also serves `/internal/events/batch`, answering `rejected` once for the ids in
    `reject_once`; without it the relay has to fall back to one request per event."""

    def __init__(self, name: str, *, delay: float = 0.0, batch: bool = True) -> None:
        self.name = name
        self.received: list[dict] = []
        self.batch_sizes: list[int] = []
        self.reject_once: set[str] = set()
        self.fail_next = 0
        self.delay = delay
        self.batch = batch
        self.bad_tokens = 0
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def _refusal(self, request: web.Request) -> web.Response | None:
        """Wrong token (401), or a planned failure (500); None when the request goes through."""
        if request.headers.get("X-Internal-Caller") != "relay" or request.headers.get("X-Internal-Token") != SECRET:
            self.bad_tokens += 1
            return web.Response(status=401)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail_next > 0:
            self.fail_next -= 1
            return web.Response(status=500)
        return None

    async def handle_batch(self, request: web.Request) -> web.Response:
        if (refused := await self._refusal(request)) is not None:
            return refused
        events = (await request.json())["events"]
        self.batch_sizes.append(len(events))
        results = []
        for event in events:
            if event["id"] in self.reject_once:
                self.reject_once.discard(event["id"])
                results.append({"id": event["id"], "outcome": "rejected", "error": "data.amount: invalid"})
                continue
            self.received.append(event)
            results.append({"id": event["id"], "outcome": "applied"})
        return web.json_response({"results": results})

    async def handle(self, request: web.Request) -> web.Response:
        if (refused := await self._refusal(request)) is not None:
            return refused
        self.received.append(await request.json())
        return web.Response(status=204)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/internal/events", self.handle)
        if self.batch:
            app.router.add_post("/internal/events/batch", self.handle_batch)
        self.runner, self.url = await start_fake(app)

    async def stop(self) -> None:
        if self.runner:
            await self.runner.cleanup()


@pytest.fixture
async def conn(outbox_url) -> AsyncIterator[asyncpg.Connection]:
    c = await asyncpg.connect(asyncpg_dsn(outbox_url))
    await c.execute("TRUNCATE ledger.outbox_events CASCADE")
    yield c
    await c.close()


@pytest.fixture
async def subscribers() -> AsyncIterator[dict[str, Subscriber]]:
    # One subscriber with the batch route, one without (the relay falls back to single events).
    subs = {"reporting": Subscriber("reporting"), "notification": Subscriber("notification", batch=False)}
    for s in subs.values():
        await s.start()
    yield subs
    for s in subs.values():
        await s.stop()


async def emit(conn: asyncpg.Connection, n: int, event_type: str = "transfer.completed") -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(n)]
    await conn.executemany(
        "INSERT INTO ledger.outbox_events (id, event_type, payload) VALUES ($1, $2, $3::jsonb)",
        [(i, event_type, f'{{"n": {k}, "amount": "1.00"}}') for k, i in enumerate(ids)],
    )
    return ids


def config(subs: dict[str, Subscriber], **kw) -> RelayConfig:
    kw.setdefault("poll_interval", 0.02)
    return RelayConfig(
        service="transaction",
        schema="ledger",
        internal_secret=SECRET,
        subscriber_urls={n: s.url for n, s in subs.items()},
        **kw,
    )


async def drain(relay: OutboxRelay, within: float = 20) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        await relay.run_once()
        backlog, _ = await relay.refresh_metrics()
        if backlog == 0:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("relay did not drain the outbox in time")


async def test_delivers_each_event_once_to_its_subscribers_in_order(outbox_url, conn, subscribers):
    transfers = await emit(conn, 30)
    logins = await emit(conn, 5, "security.login")
    pool = await asyncpg.create_pool(asyncpg_dsn(outbox_url), min_size=1, max_size=2)
    async with aiohttp.ClientSession() as http:
        relay = OutboxRelay(pool, http, config(subscribers, batch_size=7))
        await drain(relay)
        assert await relay.refresh_metrics() == (0, 0.0)
    await pool.close()

    rep, notif = subscribers["reporting"].received, subscribers["notification"].received
    assert [e["id"] for e in rep] == transfers  # reporting does not subscribe to security.login
    assert [e["id"] for e in notif] == transfers + logins
    first = rep[0]
    assert first["type"] == "transfer.completed" and first["source"] == "transaction-service"
    assert first["data"] == {"n": 0, "amount": "1.00"} and first["occurred_at"].endswith("Z")
    pending = await conn.fetchval("SELECT count(*) FROM ledger.outbox_deliveries WHERE delivered_at IS NULL")
    assert pending == 0
    assert await conn.fetchval("SELECT count(*) FROM ledger.outbox_deliveries") == 30 * 2 + 5


async def test_failing_subscriber_is_retried_with_backoff_and_does_not_block_the_other(outbox_url, conn, subscribers):
    ids = await emit(conn, 3)
    subscribers["notification"].fail_next = 4
    before = OUTBOX_DELIVERIES.labels("transaction", "notification", "failed")._value.get()
    pool = await asyncpg.create_pool(asyncpg_dsn(outbox_url), min_size=1, max_size=2)
    async with aiohttp.ClientSession() as http:
        relay = OutboxRelay(pool, http, config(subscribers, backoff_base=0.05, backoff_cap=0.2))
        before_attempt = await conn.fetchval("SELECT clock_timestamp()")
        await relay.run_once()
        # reporting got everything at once although notification failed
        assert [e["id"] for e in subscribers["reporting"].received] == ids
        row = await conn.fetchrow(
            "SELECT attempts, last_error, next_attempt_at > $1 AS later "
            "FROM ledger.outbox_deliveries WHERE subscriber = 'notification' "
            "ORDER BY event_seq LIMIT 1",
            before_attempt,
        )
        assert row["attempts"] == 1 and row["last_error"].startswith("HTTP 500") and row["later"]
        await drain(relay)
    await pool.close()
    assert sorted(e["id"] for e in subscribers["notification"].received) == sorted(ids)
    assert OUTBOX_DELIVERIES.labels("transaction", "notification", "failed")._value.get() - before == 4


async def test_several_replicas_share_the_work_without_double_delivery(outbox_url, conn, subscribers):
    ids = await emit(conn, 400)
    pool = await asyncpg.create_pool(asyncpg_dsn(outbox_url), min_size=2, max_size=8)
    async with aiohttp.ClientSession() as http:
        relays = [OutboxRelay(pool, http, config(subscribers, batch_size=25)) for _ in range(3)]
        stop = asyncio.Event()
        tasks = [asyncio.create_task(r.run(stop)) for r in relays]
        deadline = time.monotonic() + 30
        while len(subscribers["notification"].received) + len(subscribers["reporting"].received) < 800:
            assert time.monotonic() < deadline, "replicas did not deliver everything"
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # any double delivery would show up now
        stop.set()
        await asyncio.gather(*tasks)
    await pool.close()
    for sub in subscribers.values():
        counts = Tally(e["id"] for e in sub.received)
        assert set(counts) == set(ids) and max(counts.values()) == 1


async def test_batches_carry_many_events_and_a_rejected_one_is_retried_alone(outbox_url, conn, subscribers):
    ids = await emit(conn, 40)
    reporting = subscribers["reporting"]
    reporting.reject_once = {ids[3], ids[17]}
    before = OUTBOX_DELIVERIES.labels("transaction", "reporting", "rejected")._value.get()
    pool = await asyncpg.create_pool(asyncpg_dsn(outbox_url), min_size=1, max_size=2)
    async with aiohttp.ClientSession() as http:
        relay = OutboxRelay(pool, http, config(subscribers, post_batch_size=16, backoff_base=0.05, backoff_cap=0.2))
        await relay.run_once()
        assert reporting.batch_sizes == [16, 16, 8], "40 events in three requests, in outbox order"
        assert [e["id"] for e in reporting.received] == [i for i in ids if i not in (ids[3], ids[17])]
        rejected = await conn.fetch(
            "SELECT e.id::text AS id, d.last_error FROM ledger.outbox_deliveries d JOIN ledger.outbox_events e "
            "ON e.seq = d.event_seq WHERE d.subscriber = 'reporting' AND d.delivered_at IS NULL"
        )
        assert {r["id"] for r in rejected} == {ids[3], ids[17]}
        assert all(r["last_error"] == "data.amount: invalid" for r in rejected)
        await drain(relay)
    await pool.close()
    assert sorted(e["id"] for e in reporting.received) == sorted(ids), "each delivered exactly once in the end"
    assert OUTBOX_DELIVERIES.labels("transaction", "reporting", "rejected")._value.get() - before == 2


async def test_an_emitted_event_wakes_the_idle_relay_at_once(outbox_url, conn, subscribers):
    """emit_event NOTIFYs on commit: an idle relay delivers well before its next poll is due."""
    engine = create_async_engine(outbox_url.replace("postgresql://", "postgresql+asyncpg://"))
    outbox = outbox_table(MetaData(schema="ledger"))
    pool = await asyncpg.create_pool(asyncpg_dsn(outbox_url), min_size=1, max_size=3)
    try:
        async with aiohttp.ClientSession() as http:
            relay = OutboxRelay(pool, http, config(subscribers, poll_interval=60.0))
            stop = asyncio.Event()
            task = asyncio.create_task(relay.run(stop))
            await asyncio.sleep(0.5)  # the relay has polled once and is now waiting (up to 60 s)
            async with AsyncSession(engine) as session, session.begin():
                event_id = await emit_event(session, outbox, "transfer.completed", {"amount": "1.00"})
            started = time.monotonic()
            while not subscribers["reporting"].received:
                assert time.monotonic() - started < 5, "the NOTIFY did not wake the relay"
                await asyncio.sleep(0.02)
            stop.set()
            await task
        assert subscribers["reporting"].received[0]["id"] == str(event_id)
    finally:
        await pool.close()
        await engine.dispose()


def test_backoff_grows_exponentially_with_jitter_and_is_capped():
    import random

    rng = random.Random(1)
    samples = [backoff_delay(n, base=0.5, cap=60, rng=rng) for n in range(12)]
    assert 0.05 <= samples[0] <= 0.5
    assert 0.4 <= samples[4] <= 8
    assert all(s <= 60 for s in samples) and samples[-1] >= 6
    assert len({round(backoff_delay(3, base=0.5, cap=60, rng=rng), 6) for _ in range(20)}) > 1


async def test_relay_process_killed_mid_batch_loses_nothing(outbox_url, conn):
    """kill -9 of the relay process while it holds a batch: the next relay delivers every event
    (the subscriber may see a few again; it dedupes by id, so each is applied once)."""
    slow = Subscriber("notification", delay=0.3)
    await slow.start()
    ids = await emit(conn, 60, "security.login")
    port = free_port_base(1)
    env = {
        **os.environ,
        "DATABASE_URL": outbox_url,
        "INTERNAL_SECRET_RELAY": SECRET,
        "NOTIFICATION_URL": slow.url,
        "OUTBOX_BATCH_SIZE": "20",
    }
    env.pop("REPORTING_URL", None)
    argv = [
        sys.executable,
        "-m",
        "outbox_relay",
        "--service",
        "transaction",
        "--metrics-port",
        str(port),
    ]
    try:
        first = subprocess.Popen(  # noqa: ASYNC220 - a real process, to kill -9
            argv,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while not slow.received:
            assert time.monotonic() < deadline, "relay process delivered nothing"
            await asyncio.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        delivered_marks = await conn.fetchval(
            "SELECT count(*) FROM ledger.outbox_deliveries WHERE delivered_at IS NOT NULL"
        )
        assert delivered_marks < 60
        second = subprocess.Popen(  # noqa: ASYNC220
            argv,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 40
            while await conn.fetchval(
                "SELECT count(*) FROM ledger.outbox_deliveries WHERE delivered_at IS NULL"
            ) or await conn.fetchval("SELECT count(*) FROM ledger.outbox_events WHERE dispatched_at IS NULL"):
                assert time.monotonic() < deadline, "second relay did not finish"
                await asyncio.sleep(0.1)
            async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/metrics") as resp:
                text = await resp.text()
            delivered = 'outbox_deliveries_total{outcome="delivered",service="transaction",subscriber="notification"}'
            assert delivered in text
            assert "outbox_backlog" in text and "outbox_oldest_age_seconds" in text
        finally:
            second.send_signal(signal.SIGTERM)
            assert second.wait(timeout=10) == 0
    finally:
        await slow.stop()
    assert set(e["id"] for e in slow.received) == set(ids)
    assert slow.bad_tokens == 0


async def _wait_for(check, within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not await check():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.05)


async def test_relay_keeps_delivering_and_listens_again_after_its_connections_are_terminated(
    outbox_url, conn, subscribers
):
    """What a PostgreSQL restart does to a relay: every connection it holds, the LISTEN one
    included, is ended by the server. asyncpg takes a dead pool connection back by itself; the
    relay used to keep calling its detached proxy and stopped delivering until killed."""
    pool = await asyncpg.create_pool(asyncpg_dsn(outbox_url), min_size=1, max_size=3)
    reporting = subscribers["reporting"]
    listening = (
        "SELECT array_agg(pid) FROM pg_stat_activity WHERE datname = current_database() "
        "AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
    )
    try:
        async with aiohttp.ClientSession() as http:
            relay = OutboxRelay(pool, http, config(subscribers, poll_interval=0.1))
            stop = asyncio.Event()
            task = asyncio.create_task(relay.run(stop))
            first = await emit(conn, 3)
            await _wait_for(lambda: _received(reporting, first), 10, "first events not delivered")
            old_listeners = await conn.fetchval(listening)
            assert old_listeners, "the relay LISTENs for wake-ups"
            await conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            second = await emit(conn, 3)
            await _wait_for(lambda: _received(reporting, second), 15, "relay stopped delivering")

            async def listens_again() -> bool:
                pids = await conn.fetchval(listening)
                return bool(pids) and not set(pids) & set(old_listeners)

            await _wait_for(listens_again, 15, "relay did not LISTEN again")
            assert not task.done(), "the relay must still be running"
            stop.set()
            await task
    finally:
        await pool.close()


async def _received(sub: Subscriber, ids: list[str]) -> bool:
    return set(ids) <= {e["id"] for e in sub.received}


async def _shutting_down_server(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A PostgreSQL in fast shutdown, seen from a connection made just before: the handshake
    completes, then the FATAL "terminating connection" arrives while the socket is still open."""

    def message(tag: bytes, body: bytes) -> bytes:
        return tag + (len(body) + 4).to_bytes(4, "big") + body

    length = int.from_bytes(await reader.readexactly(4), "big")
    await reader.readexactly(length - 4)
    hello = message(b"R", (0).to_bytes(4, "big"))  # AuthenticationOk
    for key, value in (("server_version", "16.0"), ("client_encoding", "UTF8"), ("integer_datetimes", "on")):
        hello += message(b"S", f"{key}\0{value}\0".encode())
    hello += message(b"K", (1).to_bytes(4, "big") * 2) + message(b"Z", b"I")  # ready for query
    writer.write(hello)
    await asyncio.sleep(0.05)
    fatal = (
        b"".join(
            tag + value + b"\0"
            for tag, value in (
                (b"S", b"FATAL"),
                (b"V", b"FATAL"),
                (b"C", b"57P01"),
                (b"M", b"terminating connection due to administrator command"),
            )
        )
        + b"\0"
    )
    writer.write(message(b"E", fatal))
    await asyncio.sleep(3)
    writer.close()


async def test_relay_survives_a_connection_the_server_is_terminating(tmp_path, subscribers):
    """Such a connection raises asyncpg's InternalClientError ("cannot switch to state ..."),
    which the relay did not expect: the process exited at the first PostgreSQL restart."""
    server = await asyncio.start_unix_server(_shutting_down_server, path=str(tmp_path / ".s.PGSQL.5432"))
    pool = await asyncpg.create_pool(f"postgresql://postgres@/postgres?host={tmp_path}", min_size=1, max_size=2)
    await asyncio.sleep(0.3)  # the FATAL reaches the pool's idle connection before the relay uses it
    try:
        async with aiohttp.ClientSession() as http:
            relay = OutboxRelay(pool, http, config(subscribers, poll_interval=0.1))
            stop = asyncio.Event()
            task = asyncio.create_task(relay.run(stop))
            await asyncio.sleep(0.5)
            assert not task.done(), task.exception()
            stop.set()
            await asyncio.wait_for(task, 5)
    finally:
        pool.terminate()
        server.close()
        await server.wait_closed()


def test_relay_credential_outside_development_is_required_long_and_not_a_placeholder():
    """The relay names itself with its own secret; staging and production refuse to start
    without a real one, naming the setting."""
    assert config_from_env("auth", {}).credentials().headers()["X-Internal-Caller"] == "relay"
    assert config_from_env("auth", {"INTERNAL_SECRET_RELAY": SECRET}).internal_secret == SECRET
    for value, message in (
        (None, "INTERNAL_SECRET_RELAY is required"),
        ("replace-with-a-random-32-byte-secret", "INTERNAL_SECRET_RELAY holds a placeholder"),
        ("short-but-random-9f8e7d", "INTERNAL_SECRET_RELAY must be at least 32 bytes"),
    ):
        env = {"ENVIRONMENT": "production", **({"INTERNAL_SECRET_RELAY": value} if value else {})}
        with pytest.raises(ValueError, match=message):
            config_from_env("auth", env)
    assert config_from_env("auth", {"ENVIRONMENT": "production", "INTERNAL_SECRET_RELAY": SECRET}).internal_secret
