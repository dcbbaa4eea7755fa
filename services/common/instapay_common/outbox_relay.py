"""Outbox relay: delivers an emitting service's outbox events to their subscribers over REST.

Run one (or several) per emitting service as its own process, so it can be killed on its own:

    python -m instapay_common.outbox_relay --service transaction [--metrics-port 8008]

Environment: DATABASE_URL, INTERNAL_TOKEN, <SUBSCRIBER>_URL (REPORTING_URL, NOTIFICATION_URL),
optional OUTBOX_SUBSCRIPTIONS (JSON `{"event.type": ["subscriber", ...]}`, replaces the catalog
of docs/EVENTS.md for the listed types).

Two steps, each one short transaction with row locks taken `FOR UPDATE SKIP LOCKED`, so any
number of replicas share the work without delivering the same row at the same time:
1. dispatch: new outbox rows get one `outbox_deliveries` row per subscriber (`dispatched_at` set).
2. deliver: due, undelivered delivery rows are locked, POSTed to the subscriber in batches
   (`POST <subscriber>/internal/events/batch`, `{"events": [...]}`, one outcome per event back;
   a subscriber without that route, answering 404/405, gets one `POST /internal/events` per
   event instead) and marked delivered, or rescheduled with exponential backoff and full
   jitter. The lock is held while the POSTs run; a relay killed mid-batch leaves the rows undelivered (its
   transaction rolls back), the next relay delivers them again and subscribers dedupe by id.
   So an event is delivered at least once per subscriber and applied exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import asyncpg
import orjson
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

from instapay_common.events.envelope import envelope
from instapay_common.events.wakeup import wakeup_channel
from instapay_common.logging import configure_logging, get_logger

# The catalog of docs/EVENTS.md: which subscribers receive each event type.
DEFAULT_SUBSCRIPTIONS: dict[str, tuple[str, ...]] = {
    "transfer.completed": ("reporting", "notification"),
    "topup.completed": ("reporting", "notification"),
    "withdrawal.completed": ("reporting", "notification"),
    "payment_request.created": ("notification",),
    "payment_request.accepted": ("notification",),
    "payment_request.declined": ("notification",),
    "payment_request.cancelled": ("notification",),
    "user.registered": ("reporting", "notification"),
    "security.login": ("notification",),
    "security.password_changed": ("notification",),
    "security.pin_changed": ("notification",),
    "security.api_client_created": ("notification",),
}

# The PostgreSQL schema each emitting service owns (where its outbox lives).
SERVICE_SCHEMAS = {"auth": "auth", "user": "users", "transaction": "ledger"}

OUTBOX_BACKLOG = Gauge("outbox_backlog", "Outbox events not yet delivered to every subscriber.", ["service"])
OUTBOX_OLDEST_AGE = Gauge("outbox_oldest_age_seconds", "Age of the oldest undelivered outbox event.", ["service"])
OUTBOX_DELIVERIES = Counter(
    "outbox_deliveries_total",
    "Delivery attempts by outcome (delivered, rejected = 4xx answer, failed = 5xx/unreachable/timeout).",
    ["service", "subscriber", "outcome"],
)
OUTBOX_LATENCY = Histogram(
    "outbox_delivery_lag_seconds",
    "From occurred_at to successful delivery.",
    ["service"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300),
)


@dataclass(frozen=True)
class RelayConfig:
    service: str  # emitting service's short name: "transaction"
    schema: str
    subscriber_urls: Mapping[str, str]  # "notification" -> "http://127.0.0.1:8005"
    subscriptions: Mapping[str, Sequence[str]] = field(default_factory=lambda: dict(DEFAULT_SUBSCRIPTIONS))
    internal_token: str = ""
    batch_size: int = 200
    # Idle wait between polls. Emitters NOTIFY on commit (outbox.emit_event) and wake the relay at
    # once, so this only bounds how late a retry whose backoff ran out, or an event whose NOTIFY
    # was lost (listener reconnecting), is picked up.
    poll_interval: float = 1.0
    # After a round that did not fill a batch (and after a wake-up), wait this long before the
    # next one, so events of a busy second travel together: woken by every commit, the relay sent
    # batches of one or two events, and each batch costs two HTTP hops and a transaction in each
    # subscriber whatever its size (docs/PERFORMANCE.md, "Relay linger"). Adds at most this much
    # to an event's delivery time; a backlog (full batches) is sent without pause.
    linger: float = 0.05
    request_timeout: float = 5.0
    post_batch_size: int = 100  # events per POST to one subscriber
    batch_timeout: float = 30.0  # a whole batch POST (the subscriber applies each event)
    backoff_base: float = 0.5
    backoff_cap: float = 30.0  # a subscriber back from an outage waits at most this long

    @property
    def source(self) -> str:
        return f"{self.service}-service"


def backoff_delay(attempts: int, *, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with full jitter (AWS architecture blog): uniform(0, min(cap, base*2^n)),
    floored at a tenth of the step so a retry storm never becomes a busy loop."""
    step = min(cap, base * (2 ** min(attempts, 30)))
    return (rng or random).uniform(step / 10, step)


_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _schema_bound(schema: str):
    """SQL text with `{s}` replaced by the (validated, quoted) schema name: identifiers cannot be
    bind parameters, so the name is checked against a strict pattern instead."""
    if not _IDENTIFIER.match(schema):
        raise ValueError(f"invalid schema name {schema!r}")
    return lambda sql: sql.replace("{s}", f'"{schema}"')


class OutboxRelay:
    def __init__(self, pool: asyncpg.Pool, http: aiohttp.ClientSession, config: RelayConfig) -> None:
        self.pool = pool
        self.http = http
        self.config = config
        self.log = get_logger("outbox_relay")
        self._no_batch_route: set[str] = set()  # subscribers that answered 404/405 to the batch route
        self._wake = asyncio.Event()
        self._listener: Any = None  # a pool connection LISTENing on the emitter's wakeup channel
        q = _schema_bound(config.schema)
        self._sql_dispatch_pick = q(
            "SELECT seq, event_type FROM {s}.outbox_events WHERE dispatched_at IS NULL "
            "ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED"
        )
        self._sql_dispatch_insert = q(
            "INSERT INTO {s}.outbox_deliveries (event_seq, subscriber) "
            "SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING"
        )
        self._sql_dispatch_mark = q("UPDATE {s}.outbox_events SET dispatched_at = now() WHERE seq = ANY($1::bigint[])")
        self._sql_due = q(
            "SELECT d.event_seq, d.subscriber, d.attempts, e.id, e.event_type, e.payload::text AS payload, "
            "e.occurred_at FROM {s}.outbox_deliveries d JOIN {s}.outbox_events e ON e.seq = d.event_seq "
            "WHERE d.delivered_at IS NULL AND d.next_attempt_at <= now() "
            "ORDER BY d.event_seq LIMIT $1 FOR UPDATE OF d SKIP LOCKED"
        )
        self._sql_delivered = q(
            "UPDATE {s}.outbox_deliveries d SET delivered_at = now(), attempts = d.attempts + 1, last_error = NULL "
            "FROM unnest($1::bigint[], $2::text[]) AS x(seq, sub) WHERE d.event_seq = x.seq AND d.subscriber = x.sub"
        )
        self._sql_retry = q(
            "UPDATE {s}.outbox_deliveries d SET attempts = d.attempts + 1, last_error = x.err, "
            "next_attempt_at = clock_timestamp() + make_interval(secs => x.delay) "
            "FROM unnest($1::bigint[], $2::text[], $3::float8[], $4::text[]) AS x(seq, sub, delay, err) "
            "WHERE d.event_seq = x.seq AND d.subscriber = x.sub"
        )
        self._sql_backlog = q(
            "SELECT count(*) AS n, min(e.occurred_at) AS oldest FROM {s}.outbox_events e "
            "WHERE e.dispatched_at IS NULL OR e.seq IN "
            "(SELECT event_seq FROM {s}.outbox_deliveries WHERE delivered_at IS NULL)"
        )

    def subscribers_of(self, event_type: str) -> Sequence[str]:
        return [s for s in self.config.subscriptions.get(event_type, ()) if s in self.config.subscriber_urls]

    async def dispatch_once(self) -> int:
        """Creates delivery rows for new events; returns how many events were dispatched."""
        async with self.pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(self._sql_dispatch_pick, self.config.batch_size)
            if not rows:
                return 0
            seqs: list[int] = []
            subs: list[str] = []
            for row in rows:
                for sub in self.subscribers_of(row["event_type"]):
                    seqs.append(row["seq"])
                    subs.append(sub)
            if seqs:
                await conn.execute(self._sql_dispatch_insert, seqs, subs)
            await conn.execute(self._sql_dispatch_mark, [r["seq"] for r in rows])
            return len(rows)

    def _headers(self) -> dict[str, str]:
        return {"Content-Type": "application/json", "X-Internal-Token": self.config.internal_token}

    async def _post(self, sub: str, body: bytes) -> tuple[str, str | None]:
        url = self.config.subscriber_urls[sub].rstrip("/") + "/internal/events"
        try:
            async with self.http.post(
                url,
                data=body,
                headers=self._headers(),
                timeout=aiohttp.ClientTimeout(total=self.config.request_timeout),
            ) as resp:
                text = await resp.text()
                if 200 <= resp.status < 300:
                    return "delivered", None
                outcome = "rejected" if 400 <= resp.status < 500 else "failed"
                return outcome, f"HTTP {resp.status}: {text[:300]}"
        except (TimeoutError, aiohttp.ClientError, OSError) as exc:
            return "failed", f"{type(exc).__name__}: {exc}"[:300]

    async def _post_batch(self, sub: str, envelopes: list[dict[str, Any]]) -> list[tuple[str, str | None]] | None:
        """One outcome per envelope, or None when the subscriber has no batch route."""
        url = self.config.subscriber_urls[sub].rstrip("/") + "/internal/events/batch"
        try:
            async with self.http.post(
                url,
                data=orjson.dumps({"events": envelopes}),
                headers=self._headers(),
                timeout=aiohttp.ClientTimeout(total=self.config.batch_timeout),
            ) as resp:
                body = await resp.read()
                if resp.status in (404, 405):
                    return None
                if resp.status != 200:
                    outcome = "rejected" if 400 <= resp.status < 500 else "failed"
                    return [(outcome, f"HTTP {resp.status}: {body[:300].decode(errors='replace')}")] * len(envelopes)
                by_id = {str(r.get("id")): r for r in orjson.loads(body).get("results", [])}
        except (TimeoutError, aiohttp.ClientError, OSError, orjson.JSONDecodeError, AttributeError) as exc:
            return [("failed", f"{type(exc).__name__}: {exc}"[:300])] * len(envelopes)
        results: list[tuple[str, str | None]] = []
        for env in envelopes:
            answer = by_id.get(env["id"])
            if answer is None:  # the subscriber skipped it: try again later
                results.append(("failed", "no outcome for this event in the batch answer"))
            elif answer.get("outcome") in ("applied", "skipped"):
                results.append(("delivered", None))
            else:
                outcome = "rejected" if answer.get("outcome") == "rejected" else "failed"
                results.append((outcome, str(answer.get("error") or answer.get("outcome"))[:300]))
        return results

    async def _deliver_to(self, sub: str, rows: list[Any]) -> list[tuple[str, str | None]]:
        """Outcomes for `rows` (all for `sub`, in outbox order): batches one after the other, so
        the subscriber applies them in order and never runs two of ours against each other."""
        envelopes = [envelope(r, self.config.source) for r in rows]
        results: list[tuple[str, str | None]] = []
        size = max(1, self.config.post_batch_size)
        for start in range(0, len(envelopes), size):
            chunk = envelopes[start : start + size]
            answer = None if sub in self._no_batch_route else await self._post_batch(sub, chunk)
            if answer is None:
                self._no_batch_route.add(sub)
                answer = list(await asyncio.gather(*(self._post(sub, orjson.dumps(e)) for e in chunk)))
            results.extend(answer)
        return results

    async def deliver_once(self) -> int:
        """Delivers one batch of due deliveries; returns how many were attempted."""
        async with self.pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(self._sql_due, self.config.batch_size)
            if not rows:
                return 0
            by_sub: dict[str, list[Any]] = {}
            for row in rows:
                by_sub.setdefault(row["subscriber"], []).append(row)
            # Subscribers in parallel, each one's batches in order.
            answers = await asyncio.gather(*(self._deliver_to(sub, sub_rows) for sub, sub_rows in by_sub.items()))
            outcome_of = {
                (r["event_seq"], sub): result
                for (sub, sub_rows), sub_answers in zip(by_sub.items(), answers, strict=True)
                for r, result in zip(sub_rows, sub_answers, strict=True)
            }
            ok_seq, ok_sub, bad_seq, bad_sub, delays, errors = [], [], [], [], [], []
            now = time.time()
            for row in rows:
                outcome, error = outcome_of[(row["event_seq"], row["subscriber"])]
                OUTBOX_DELIVERIES.labels(self.config.service, row["subscriber"], outcome).inc()
                if outcome == "delivered":
                    ok_seq.append(row["event_seq"])
                    ok_sub.append(row["subscriber"])
                    OUTBOX_LATENCY.labels(self.config.service).observe(max(0.0, now - row["occurred_at"].timestamp()))
                else:
                    bad_seq.append(row["event_seq"])
                    bad_sub.append(row["subscriber"])
                    delays.append(
                        backoff_delay(row["attempts"], base=self.config.backoff_base, cap=self.config.backoff_cap)
                    )
                    errors.append(error or "")
                    self.log.warning(
                        "outbox_delivery_failed",
                        subscriber=row["subscriber"],
                        event_type=row["event_type"],
                        event_id=str(row["id"]),
                        attempts=row["attempts"] + 1,
                        error=error,
                    )
            if ok_seq:
                await conn.execute(self._sql_delivered, ok_seq, ok_sub)
            if bad_seq:
                await conn.execute(self._sql_retry, bad_seq, bad_sub, delays, errors)
            return len(rows)

    async def refresh_metrics(self) -> tuple[int, float]:
        async with self.pool.acquire() as conn:
            row = await conn.fetchrow(self._sql_backlog)
        age = max(0.0, time.time() - row["oldest"].timestamp()) if row["oldest"] else 0.0
        OUTBOX_BACKLOG.labels(self.config.service).set(row["n"])
        OUTBOX_OLDEST_AGE.labels(self.config.service).set(age)
        return row["n"], age

    async def run_once(self) -> int:
        return await self.dispatch_once() + await self.deliver_once()

    def _listener_lost(self) -> bool:
        try:
            return self._listener.is_closed()
        except asyncpg.InterfaceError:
            # Its connection died (server restart, pg_terminate_backend) and asyncpg returned it to
            # the pool itself: the proxy we hold is detached and every call on it raises.
            return True

    async def _ensure_listening(self) -> None:
        """(Re)opens the LISTEN connection; while it cannot, the relay just polls."""
        if self._listener is not None and not self._listener_lost():
            return
        if self._listener is not None:
            listener, self._listener = self._listener, None  # forgotten even if the release fails
            await self.pool.release(listener)
        conn = await self.pool.acquire()
        try:
            await conn.add_listener(wakeup_channel(self.config.schema), self._on_notify)
        except BaseException:
            await self.pool.release(conn)
            raise
        self._listener = conn

    def _on_notify(self, *_args: Any) -> None:
        self._wake.set()

    async def _stop_listening(self) -> None:
        if self._listener is not None:
            listener, lost = self._listener, self._listener_lost()
            self._listener = None
            if not lost:
                await listener.remove_listener(wakeup_channel(self.config.schema), self._on_notify)
            await self.pool.release(listener)

    async def run(self, stop: asyncio.Event, *, metrics_every: float = 2.0) -> None:
        try:
            await self._run(stop, metrics_every)
        finally:
            await self._stop_listening()

    async def _run(self, stop: asyncio.Event, metrics_every: float) -> None:
        last_metrics = 0.0
        while not stop.is_set():
            self._wake.clear()  # a NOTIFY arriving while we work makes the wait below return at once
            try:
                await self._ensure_listening()
                worked = await self.run_once()
                if time.monotonic() - last_metrics > metrics_every:
                    await self.refresh_metrics()
                    last_metrics = time.monotonic()
            except (asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError, OSError) as exc:
                # Database briefly away: keep the process, try again shortly. InternalClientError
                # ("cannot switch to state ...") is a connection that has read the server's FATAL
                # "terminating connection" (a shutdown) but whose socket is not closed yet.
                self.log.warning("outbox_relay_db_error", error=str(exc))
                worked = 0
                await asyncio.sleep(1.0)
            if not worked:
                wake, halt = asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())
                await asyncio.wait((wake, halt), timeout=self.config.poll_interval, return_when=asyncio.FIRST_COMPLETED)
                wake.cancel()
                halt.cancel()
            if worked < self.config.batch_size and self.config.linger > 0 and not stop.is_set():
                await asyncio.sleep(self.config.linger)


def subscriber_urls_from_env(env: Mapping[str, str]) -> dict[str, str]:
    """Every subscriber named in the subscriptions whose <NAME>_URL is set."""
    names = {s for subs in DEFAULT_SUBSCRIPTIONS.values() for s in subs}
    names |= {s for subs in _subscriptions_from_env(env).values() for s in subs}
    return {n: env[f"{n.upper()}_URL"] for n in names if env.get(f"{n.upper()}_URL")}


def _subscriptions_from_env(env: Mapping[str, str]) -> dict[str, list[str]]:
    raw = env.get("OUTBOX_SUBSCRIPTIONS")
    return {str(k): [str(s) for s in v] for k, v in json.loads(raw).items()} if raw else {}


def config_from_env(service: str, env: Mapping[str, str] = os.environ) -> RelayConfig:
    subscriptions: dict[str, Sequence[str]] = dict(DEFAULT_SUBSCRIPTIONS)
    subscriptions.update(_subscriptions_from_env(env))
    return RelayConfig(
        service=service,
        schema=env.get("OUTBOX_SCHEMA", SERVICE_SCHEMAS.get(service, service)),
        subscriber_urls=subscriber_urls_from_env(env),
        subscriptions=subscriptions,
        internal_token=env.get("INTERNAL_TOKEN", "dev-internal-token-not-for-production"),
        batch_size=int(env.get("OUTBOX_BATCH_SIZE", "200")),
        linger=float(env.get("OUTBOX_LINGER_SECONDS", "0.05")),
        backoff_cap=float(env.get("OUTBOX_BACKOFF_CAP_SECONDS", "30")),
    )


def asyncpg_dsn(url: str) -> str:
    for prefix in ("postgresql+asyncpg://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url


async def _serve_metrics(host: str, port: int) -> aiohttp.web.AppRunner:
    from aiohttp import web

    async def metrics(_request: web.Request) -> web.Response:
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", healthz)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner


async def main_async(args: argparse.Namespace) -> None:
    config = config_from_env(args.service)
    log = get_logger("outbox_relay")
    pool = await asyncpg.create_pool(asyncpg_dsn(os.environ.get("DATABASE_URL", "")), min_size=1, max_size=4)
    http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
    runner = await _serve_metrics(args.host, args.metrics_port) if args.metrics_port else None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    log.info("outbox_relay_started", schema=config.schema, subscribers=sorted(config.subscriber_urls))
    try:
        await OutboxRelay(pool, http, config).run(stop)
    finally:
        if runner:
            await runner.cleanup()
        await http.close()
        await pool.close()
        log.info("outbox_relay_stopped")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--service", required=True, help="emitting service: auth, user or transaction")
    parser.add_argument("--metrics-port", type=int, default=0, help="serve /metrics and /healthz here (0: off)")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    args = parser.parse_args(argv)
    configure_logging(f"{args.service}-outbox-relay", os.environ.get("LOG_LEVEL", "INFO"))
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
