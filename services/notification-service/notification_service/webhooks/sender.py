"""The webhook sender: claims due deliveries (`FOR UPDATE SKIP LOCKED`, under a lease, so any
number of replicas run it and a killed one loses nothing), signs each with the endpoint's
secret(s) per Standard Webhooks 1.0, POSTs it through the checked transport, and records the
attempt. At least once, with the same `webhook-id` and body on every attempt and replay.

Outcomes: 2xx succeeded; 410 Gone fails the delivery and disables the endpoint; anything else
(3xx included: redirects are not followed) or no answer in time is retried on the
specification's schedule with jitter, a 429/503's Retry-After (capped) taking precedence when
longer; a delivery that exhausts the schedule disables the endpoint, and its user is told in-app.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import NamedTuple

import aiohttp
import orjson
from standardwebhooks.webhooks import Webhook

from instapay_common.db.database import Database
from instapay_common.db.rawsql import RawConnection, transaction
from instapay_common.logging import get_logger
from notification_service import repository as notifications
from notification_service.config import NotificationSettings
from notification_service.repository import NewNotification
from notification_service.templates import render
from notification_service.webhooks import repository
from notification_service.webhooks.addresses import AddressRefused, check_url
from notification_service.webhooks.metrics import WEBHOOK_ATTEMPTS
from notification_service.webhooks.repository import Attempt, ClaimedDelivery
from notification_service.webhooks.service import message_id
from notification_service.webhooks.transport import AddressBook, Lookup, checked_session

log = get_logger("webhooks")

# Standard Webhooks' schedule: the delay before each attempt (the first is immediate); after the
# last one fails, about 28 hours after the first (5 s + 5 min + 30 min + 2 h + 5 h + 10 h + 10 h),
# the delivery has failed for good.
SCHEDULE: tuple[float, ...] = (0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600)
JITTER = 0.2  # +-20 %: endpoints that failed together do not all come back in the same second
ERROR_TEXT_LIMIT = 300
_WHY = {
    "gone": ("the receiver answered 410 Gone", "أجاب المستقبل 410 Gone"),
    "failing": ("every retry failed for about 28 hours", "فشلت كل المحاولات لنحو 28 ساعة"),
}


class Result(NamedTuple):
    attempt: Attempt
    retry_after: float | None  # seconds, from a 429/503's Retry-After


def signature(delivery: ClaimedDelivery, sent_at: datetime) -> str:
    """`v1,<sig>` per valid secret, space-separated: during a rotation both verify."""
    secrets = [delivery.secret, *([delivery.previous_secret] if delivery.previous_secret else [])]
    return " ".join(Webhook(s).sign(message_id(delivery.id), sent_at, delivery.payload) for s in secrets)


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class WebhookSender:
    def __init__(
        self,
        db: Database,
        settings: NotificationSettings,
        *,
        lookup: Lookup | None = None,
        batch_size: int = 20,
    ) -> None:
        self.db = db
        self.settings = settings
        self.lookup = lookup or AddressBook()
        self.batch_size = batch_size
        # A claim outlives the longest attempt (the timeout) with room to record its outcome.
        self.lease_seconds = 2 * settings.webhook_timeout_seconds + 1
        self._session: aiohttp.ClientSession | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = checked_session(allow_local=self.settings.webhooks_allow_local, lookup=self.lookup)
        return self._session

    def delay_after(self, attempts: int, retry_after: float | None) -> float | None:
        """Seconds until the next attempt after `attempts` failed ones; None when exhausted."""
        if attempts >= len(SCHEDULE):
            return None
        delay = SCHEDULE[attempts] * self.settings.webhook_retry_scale
        delay *= random.uniform(1 - JITTER, 1 + JITTER)  # noqa: S311 - jitter, not security
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.settings.webhook_retry_after_cap_seconds))
        return delay

    async def _post(self, delivery: ClaimedDelivery) -> Result:
        sent_at = datetime.now(UTC)
        started = time.monotonic()
        headers = {
            "content-type": "application/json",
            "user-agent": "InstaPay-Webhooks/1.0",
            "webhook-id": message_id(delivery.id),
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": signature(delivery, sent_at.replace(microsecond=0)),
        }

        def result(code: int | None, error: str | None, retry_after: float | None = None) -> Result:
            latency = int((time.monotonic() - started) * 1000)
            text = error[:ERROR_TEXT_LIMIT] if error else None
            return Result(Attempt(sent_at, code, latency, text), retry_after)

        try:
            # Checked again now (settings may differ from registration); names at connect time.
            check_url(delivery.url, allow_local=self.settings.webhooks_allow_local)
            async with self.session.post(
                delivery.url,
                data=delivery.payload.encode(),
                headers=headers,
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(total=self.settings.webhook_timeout_seconds),
            ) as resp:
                await resp.content.read(1024)  # a little of the answer; receivers should answer fast and short
                code = resp.status
                if 200 <= code < 300:
                    return result(code, None)
                wait = None
                if code in (429, 503):
                    wait = retry_after_seconds(resp.headers.get("Retry-After"), sent_at)
                return result(code, f"HTTP {code}", wait)
        except AddressRefused as exc:
            return result(None, f"destination not allowed: {exc}")
        except TimeoutError:
            return result(None, f"no answer within {self.settings.webhook_timeout_seconds:g} s")
        except aiohttp.ClientError as exc:
            cause = exc.__cause__ if isinstance(exc.__cause__, AddressRefused) else exc
            prefix = "destination not allowed: " if isinstance(cause, AddressRefused) else ""
            return result(None, f"{prefix}{type(cause).__name__}: {cause}")

    async def _finish(self, delivery: ClaimedDelivery, res: Result) -> None:
        code = res.attempt.status_code
        disable: str | None = None
        delay: float | None = None
        if code is not None and 200 <= code < 300:
            status, outcome = "succeeded", "succeeded"
        elif code == 410:
            status, outcome, disable = "failed", "gone", "gone"
        else:
            delay = self.delay_after(delivery.attempts, res.retry_after)
            status, outcome = ("pending", "retry") if delay is not None else ("failed", "exhausted")
            disable = "failing" if delay is None else None
        async with transaction(self.db) as conn:
            if not await repository.record(conn, delivery=delivery, attempt=res.attempt, status=status, delay=delay):
                return  # replayed or re-claimed meanwhile: the newer claim records its own outcome
            if disable:
                await self._disable(conn, delivery, disable)
        WEBHOOK_ATTEMPTS.labels(outcome).inc()
        if outcome != "succeeded":
            log.warning(
                "webhook_attempt_failed",
                delivery_id=str(delivery.id),
                endpoint_id=str(delivery.endpoint_id),
                attempts=delivery.attempts,
                outcome=outcome,
                error=res.attempt.error,
            )

    async def _disable(self, conn: RawConnection, delivery: ClaimedDelivery, reason: str) -> None:
        """Disables the endpoint and tells its user in-app (once: only the call that disables it)."""
        disabled = await repository.disable_endpoint(conn, endpoint_id=delivery.endpoint_id, reason=reason)
        if disabled is None:
            return
        user_id, url = disabled
        why, why_ar = _WHY[reason]
        data = {"endpoint_id": str(delivery.endpoint_id), "url": url, "reason": reason, "why": why, "why_ar": why_ar}
        rendered = render("webhook.endpoint_disabled", None, data)
        await notifications.insert(
            conn,
            [
                NewNotification(
                    uuid.uuid4(),
                    uuid.uuid4(),  # no source event: the sender decided this
                    datetime.now(UTC),
                    user_id,
                    "webhook.endpoint_disabled",
                    rendered.title,
                    rendered.body,
                    orjson.dumps(data).decode(),
                    rendered.language,
                    [],  # in-app only
                ),
            ],
        )
        log.error("webhook_endpoint_disabled", endpoint_id=str(delivery.endpoint_id), reason=reason)

    async def run_once(self) -> int:
        """Claims a batch (committed at once: the lease, not a lock, guards it), sends it
        concurrently and records each outcome in its own transaction."""
        async with transaction(self.db) as conn:
            claimed = await repository.claim_due(conn, limit=self.batch_size, lease_seconds=self.lease_seconds)
        if not claimed:
            return 0

        async def one(delivery: ClaimedDelivery) -> None:
            await self._finish(delivery, await self._post(delivery))

        await asyncio.gather(*(one(d) for d in claimed))
        return len(claimed)

    async def _loop(self) -> None:
        while True:
            try:
                worked = await self.run_once()
            except Exception as exc:  # the database went away, say: try again shortly
                log.warning("webhook_sender_error", error=str(exc))
                worked = 0
            if not worked:
                await asyncio.sleep(self.settings.webhook_poll_seconds)

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="webhook-sender")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._session is not None:
            await self._session.close()
