"""The relay loop: moves an emitting service's outbox events to their subscribers.

Two steps, each one short transaction whose rows are locked `FOR UPDATE SKIP LOCKED`, so any
number of replicas share the work without delivering the same row at the same time:
1. dispatch: new outbox rows get one `outbox_deliveries` row per subscriber (`dispatched_at` set).
2. deliver: due, undelivered delivery rows are locked, POSTed to their subscribers
   (outbox_relay.subscribers) and marked delivered, or rescheduled with exponential backoff and
   full jitter. The lock is held while the POSTs run; a relay killed mid-batch leaves the rows
   undelivered (its transaction rolls back), the next relay delivers them again and subscribers
   dedupe by event id.
So an event is delivered at least once per subscriber and applied exactly once.

Between rounds the relay waits on its emitter's NOTIFY (instapay_common.events.wakeup) with a
poll interval as the bound, so a lost notification delays an event by at most that interval.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeAlias

import aiohttp
import asyncpg

from instapay_common.events.envelope_builder import envelope
from instapay_common.events.wakeup import wakeup_channel
from instapay_common.logging import get_logger
from outbox_relay.backoff import backoff_delay
from outbox_relay.config import RelayConfig
from outbox_relay.metrics import OUTBOX_BACKLOG, OUTBOX_DELIVERIES, OUTBOX_LATENCY, OUTBOX_OLDEST_AGE
from outbox_relay.repository import DueDelivery, OutboxRepository
from outbox_relay.subscribers import Outcome, SubscriberClient

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    Listener: TypeAlias = PoolConnectionProxy[asyncpg.Record]

# What a database that is briefly away raises; the loop keeps the process and tries again.
# InternalClientError ("cannot switch to state ...") is a connection that has read the server's
# FATAL "terminating connection" (a shutdown) but whose socket is not closed yet.
DATABASE_AWAY = (asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError, OSError)


class OutboxRelay:
    def __init__(self, pool: asyncpg.Pool[asyncpg.Record], http: aiohttp.ClientSession, config: RelayConfig) -> None:
        self.pool = pool
        self.config = config
        self.log = get_logger("outbox_relay")
        self.outbox = OutboxRepository(config.schema)
        self.subscribers = SubscriberClient(
            http,
            config.subscriber_urls,
            credentials=config.credentials(),
            request_timeout=config.request_timeout,
            batch_timeout=config.batch_timeout,
            post_batch_size=config.post_batch_size,
        )
        self._wake = asyncio.Event()
        self._listener: Listener | None = None  # a pool connection LISTENing on the emitter's wakeup channel

    def subscribers_of(self, event_type: str) -> Sequence[str]:
        """The subscribers of `event_type` that have a URL (the others receive nothing)."""
        return [s for s in self.config.subscriptions.get(event_type, ()) if s in self.config.subscriber_urls]

    async def dispatch_once(self) -> int:
        """Creates delivery rows for new events; returns how many events were dispatched."""
        async with self.pool.acquire() as conn, conn.transaction():
            events = await self.outbox.pick_new(conn, self.config.batch_size)
            if not events:
                return 0
            seqs: list[int] = []
            subs: list[str] = []
            for event in events:
                for sub in self.subscribers_of(event.event_type):
                    seqs.append(event.seq)
                    subs.append(sub)
            if seqs:
                await self.outbox.add_deliveries(conn, seqs, subs)
            await self.outbox.mark_dispatched(conn, [e.seq for e in events])
            return len(events)

    async def _deliver_to(self, sub: str, rows: list[DueDelivery]) -> list[Outcome]:
        return await self.subscribers.deliver(sub, [envelope(r._asdict(), self.config.source) for r in rows])

    async def deliver_once(self) -> int:
        """Delivers one batch of due deliveries; returns how many were attempted."""
        async with self.pool.acquire() as conn, conn.transaction():
            rows = await self.outbox.pick_due(conn, self.config.batch_size)
            if not rows:
                return 0
            by_sub: dict[str, list[DueDelivery]] = {}
            for row in rows:
                by_sub.setdefault(row.subscriber, []).append(row)
            # Subscribers in parallel, each one's batches in order.
            answers = await asyncio.gather(*(self._deliver_to(sub, sub_rows) for sub, sub_rows in by_sub.items()))
            outcome_of = {
                (r.event_seq, sub): result
                for (sub, sub_rows), sub_answers in zip(by_sub.items(), answers, strict=True)
                for r, result in zip(sub_rows, sub_answers, strict=True)
            }
            ok_seq: list[int] = []
            ok_sub: list[str] = []
            bad_seq: list[int] = []
            bad_sub: list[str] = []
            delays: list[float] = []
            errors: list[str] = []
            now = time.time()
            for row in rows:
                outcome, error = outcome_of[(row.event_seq, row.subscriber)]
                OUTBOX_DELIVERIES.labels(self.config.service, row.subscriber, outcome).inc()
                if outcome == "delivered":
                    ok_seq.append(row.event_seq)
                    ok_sub.append(row.subscriber)
                    OUTBOX_LATENCY.labels(self.config.service).observe(max(0.0, now - row.occurred_at.timestamp()))
                else:
                    bad_seq.append(row.event_seq)
                    bad_sub.append(row.subscriber)
                    delays.append(self._retry_delay(row.attempts))
                    errors.append(error or "")
                    self.log.warning(
                        "outbox_delivery_failed",
                        subscriber=row.subscriber,
                        event_type=row.event_type,
                        event_id=str(row.id),
                        attempts=row.attempts + 1,
                        error=error,
                    )
            if ok_seq:
                await self.outbox.mark_delivered(conn, ok_seq, ok_sub)
            if bad_seq:
                await self.outbox.reschedule(conn, bad_seq, bad_sub, delays, errors)
            return len(rows)

    def _retry_delay(self, attempts: int) -> float:
        return backoff_delay(attempts, base=self.config.backoff_base, cap=self.config.backoff_cap)

    async def refresh_metrics(self) -> tuple[int, float]:
        """Sets the backlog gauges; returns (undelivered events, age of the oldest in seconds)."""
        async with self.pool.acquire() as conn:
            backlog = await self.outbox.backlog(conn)
        age = max(0.0, time.time() - backlog.oldest.timestamp()) if backlog.oldest else 0.0
        OUTBOX_BACKLOG.labels(self.config.service).set(backlog.events)
        OUTBOX_OLDEST_AGE.labels(self.config.service).set(age)
        return backlog.events, age

    async def run_once(self) -> int:
        return await self.dispatch_once() + await self.deliver_once()

    @staticmethod
    def _lost(listener: Listener) -> bool:
        try:
            return listener.is_closed()
        except asyncpg.InterfaceError:
            # Its connection died (server restart, pg_terminate_backend) and asyncpg returned it to
            # the pool itself: the proxy we hold is detached and every call on it raises.
            return True

    async def _ensure_listening(self) -> None:
        """(Re)opens the LISTEN connection; while it cannot, the relay just polls."""
        if self._listener is not None and not self._lost(self._listener):
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

    def _on_notify(self, *_args: object) -> None:
        self._wake.set()

    async def _stop_listening(self) -> None:
        if self._listener is not None:
            listener, lost = self._listener, self._lost(self._listener)
            self._listener = None
            if not lost:
                await listener.remove_listener(wakeup_channel(self.config.schema), self._on_notify)
            await self.pool.release(listener)

    async def run(self, stop: asyncio.Event, *, metrics_every: float = 2.0) -> None:
        """Dispatches and delivers until `stop` is set; a database outage only pauses it."""
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
            except DATABASE_AWAY as exc:
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
