"""The background worker: confirms pending operations when their time comes, and delivers queued
callbacks until the receiver answers 2xx, with exponential backoff between attempts.

Everything it acts on is in the database (the queue, the due times), so a restart resumes where
the last process stopped; a callback whose attempt was cut short by a crash is retried once its
lease runs out. The same event id and body are sent on every attempt; the signature is made per
attempt, so it is never stale on arrival.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import aiohttp

from instapay_common.db.database import Database
from instapay_common.db.rawsql import transaction
from instapay_common.logging import get_logger
from instapay_common.security.callback_signature import sign
from provider_simulator.config import SimulatorSettings
from provider_simulator.repository import callbacks
from provider_simulator.repository.callbacks import QueuedCallback
from provider_simulator.service.faults import FaultSwitch
from provider_simulator.service.operations import confirm_due

SIGNATURE_HEADER = "Simulator-Signature"
log = get_logger("delivery")
_jitter = random.Random()  # noqa: S311  (spreads retries; nothing secret depends on it)


def backoff_ms(attempts: int, *, base_ms: int, max_ms: int) -> int:
    """Delay before the next attempt, after `attempts` failed ones: doubling, capped, jittered."""
    ceiling = min(max_ms, base_ms * 2 ** min(attempts - 1, 30))
    return int(ceiling * (0.5 + _jitter.random() / 2))


class DeliveryWorker:
    def __init__(
        self, db: Database, http: aiohttp.ClientSession, settings: SimulatorSettings, faults: FaultSwitch
    ) -> None:
        self.db = db
        self.http = http
        self.settings = settings
        self.faults = faults
        # One per loop: a wake-up one loop consumed must not be lost to the other.
        self._wakes = (asyncio.Event(), asyncio.Event())
        self._stopping = False
        self._tasks: list[asyncio.Task[None]] = []

    def wake(self) -> None:
        """Look now: something was just enqueued or became pending (its due time may be sooner
        than what the loops are sleeping for)."""
        for event in self._wakes:
            event.set()

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._loop(self.confirm_once, self._wakes[0]), name="simulator-confirm"),
            asyncio.create_task(self._loop(self.deliver_once, self._wakes[1]), name="simulator-delivery"),
        ]

    async def stop(self) -> None:
        self._stopping = True
        self.wake()
        _done, pending = await asyncio.wait(self._tasks, timeout=self.settings.simulator_callback_timeout_seconds + 1)
        for task in pending:  # an attempt still in flight: its lease makes the next process retry it
            task.cancel()

    async def _loop(self, step: Callable[[], Awaitable[float | None]], wake: asyncio.Event) -> None:
        """Runs `step` again when the time it returned has passed (None: nothing scheduled), when
        woken, and at least every SIMULATOR_MAX_IDLE_MS (work another replica scheduled)."""
        idle = self.settings.simulator_max_idle_ms / 1000
        while not self._stopping:
            try:
                wait = await step()
            except Exception as exc:
                log.warning("simulator_worker_step_failed", step=getattr(step, "__name__", "?"), error=repr(exc))
                wait = idle
            wait = idle if wait is None else min(max(wait, 0.0), idle)
            if wait > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), wait)
            wake.clear()

    async def confirm_once(self) -> float | None:
        """Confirms what is due; returns seconds until the next confirmation is due."""
        changed, next_in = await confirm_due(self.db, callback_delay_ms=self.faults.current.callback_delay_ms)
        if changed:
            self._wakes[1].set()  # their callbacks are queued
            return 0.0
        return next_in

    async def deliver_once(self) -> float | None:
        """Delivers one batch of due callbacks; returns seconds until the next one is due (0 after
        a batch: look again at once)."""
        faults = self.faults.current
        lease = self.settings.simulator_callback_timeout_seconds * 3 + 5
        async with transaction(self.db) as conn:
            if faults.reorder_callbacks:
                batch = self.settings.simulator_reorder_batch
                head = await callbacks.head(conn)
                held_ms = (datetime.now(UTC) - head.oldest_due_at).total_seconds() * 1000 if head.oldest_due_at else 0.0
                if head.due == 0:
                    return await callbacks.next_attempt_in(conn)
                if head.due < batch and held_ms < self.settings.simulator_reorder_hold_ms:
                    return (self.settings.simulator_reorder_hold_ms - held_ms) / 1000
                claimed = await callbacks.claim(conn, limit=batch, lease_seconds=lease)
            else:
                claimed = await callbacks.claim(conn, limit=50, lease_seconds=lease)
            if not claimed:
                return await callbacks.next_attempt_in(conn)
        if faults.reorder_callbacks:
            for queued in reversed(claimed):
                await self._deliver(queued)
        else:
            await asyncio.gather(*(self._deliver(queued) for queued in claimed))
        return 0.0

    async def _deliver(self, queued: QueuedCallback) -> None:
        faults = self.faults.current
        secret = self.settings.simulator_webhook_secret.get_secret_value().encode()
        if faults.forge_callbacks:
            await self._post(queued.body, sign(secret + b"-forged", queued.body))
        error = await self._post(queued.body, sign(secret, queued.body))
        if error is None and faults.duplicate_callbacks:
            await self._post(queued.body, sign(secret, queued.body))
        async with transaction(self.db) as conn:
            if error is None:
                await callbacks.delivered(conn, id=queued.id)
                return
            delay = backoff_ms(
                queued.attempts + 1,
                base_ms=self.settings.simulator_retry_base_ms,
                max_ms=self.settings.simulator_retry_max_ms,
            )
            await callbacks.retry_later(conn, id=queued.id, delay_ms=delay, error=error)
        log.info("callback_retry_scheduled", event_id=queued.event_id, attempts=queued.attempts + 1, error=error)

    async def _post(self, body: bytes, signature: str) -> str | None:
        """None if the receiver answered 2xx, else what went wrong."""
        url = self.settings.simulator_webhook_url
        if not url:
            return "SIMULATOR_WEBHOOK_URL is not set"
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: signature}
        timeout = aiohttp.ClientTimeout(total=self.settings.simulator_callback_timeout_seconds)
        try:
            async with self.http.post(url, data=body, headers=headers, timeout=timeout) as resp:
                await resp.read()
                return None if 200 <= resp.status < 300 else f"HTTP {resp.status}"
        except TimeoutError:
            return "timeout"
        except aiohttp.ClientError as exc:
            return type(exc).__name__
