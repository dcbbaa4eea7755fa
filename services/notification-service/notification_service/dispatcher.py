"""Background sender of channel deliveries (e-mail, SMS) with retries.

Each delivery row is independent: a failing SMTP server delays only e-mail rows, never SMS or
the in-app notification (already committed). Rows are claimed `FOR UPDATE SKIP LOCKED`, so any
number of replicas run this loop; a crash mid-send leaves the row pending and it is sent again
(at-least-once, as with any SMTP client).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from dataclasses import dataclass

from instapay_common.db.database import Database
from instapay_common.db.rawsql import transaction
from instapay_common.logging import get_logger
from notification_service.channels import ChannelError
from notification_service.channels.email import SmtpMailer
from notification_service.channels.sms import SmsProvider
from notification_service.config import NotificationSettings
from notification_service.metrics import NOTIFICATION_DELIVERIES
from notification_service.profiles import Profile, ProfileDirectory
from notification_service.repository import DeliveryOutcome, DueDelivery, claim_due, record
from notification_service.templates import Rendered, render

log = get_logger("dispatcher")


@dataclass
class Channels:
    mailer: SmtpMailer
    sms: SmsProvider


def _address(channel: str, profile: Profile | None, row: DueDelivery) -> str | None:
    """The address to use now, or None when the user does not want this channel or has not
    verified its address."""
    if profile is None:
        return row.address
    return profile.email_address if channel == "email" else profile.sms_number


class Dispatcher:
    def __init__(
        self,
        db: Database,
        channels: Channels,
        profiles: ProfileDirectory,
        settings: NotificationSettings,
        *,
        batch_size: int = 50,
    ) -> None:
        self.db = db
        self.channels = channels
        self.profiles = profiles
        self.settings = settings
        self.batch_size = batch_size
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    def poke(self) -> None:
        self._wake.set()

    def _delay(self, attempts: int) -> float:
        s = self.settings
        step = min(s.delivery_backoff_cap_seconds, s.delivery_backoff_base_seconds * 2 ** min(attempts, 20))
        return random.uniform(step / 10, step)  # noqa: S311 - jitter, not security

    async def _send(
        self, row: DueDelivery, profile: Profile | None, texts: dict[tuple[int, str | None], Rendered]
    ) -> tuple[str, str | None]:
        """-> (outcome, error). `texts` is shared by the batch: a notification's e-mail and SMS
        are rendered once."""
        if profile is None and row.address is None:
            return "retry", "recipient profile unavailable"
        address = _address(row.channel, profile, row)
        if not address:
            return "skipped", None
        key = (row.notification_seq, profile.language if profile else row.language)
        rendered = texts.get(key)
        if rendered is None:
            rendered = texts[key] = render(row.type, key[1], row.data)
        try:
            if row.channel == "email":
                await self.channels.mailer.send(
                    to=address, subject=rendered.title, body=rendered.body, language=rendered.language
                )
            else:
                await self.channels.sms.send(to=address, text=f"{rendered.title}\n{rendered.body}")
        except ChannelError as exc:
            return "retry", str(exc)[:500]
        return "sent", None

    def _outcome(self, row: DueDelivery, outcome: str, error: str | None) -> DeliveryOutcome:
        """The row's new state; logs and counts the outcome."""
        channel = row.channel
        attempts = row.attempts + (0 if outcome == "skipped" else 1)
        if outcome in ("sent", "skipped"):
            result = DeliveryOutcome(outcome, attempts, error, None)
        elif attempts >= self.settings.delivery_max_attempts:
            outcome = "failed"
            result = DeliveryOutcome("failed", attempts, error, None)
            log.error("notification_delivery_gave_up", channel=channel, delivery_id=row.id, error=error)
        else:
            result = DeliveryOutcome("pending", attempts, error, self._delay(row.attempts))
            log.warning("notification_delivery_retry", channel=channel, delivery_id=row.id, error=error)
        NOTIFICATION_DELIVERIES.labels(channel, outcome).inc()
        return result

    async def run_once(self) -> int:
        """Claims due deliveries, sends them concurrently and records every outcome with one
        statement, all in one transaction (the row locks keep other replicas off them meanwhile)."""
        async with transaction(self.db) as conn:
            rows = await claim_due(conn, limit=self.batch_size)
            if not rows:
                return 0
            profiles = await self.profiles.get_many(r.user_id for r in rows)
            texts: dict[tuple[int, str | None], Rendered] = {}
            results = await asyncio.gather(*(self._send(r, profiles[r.user_id], texts) for r in rows))
            outcomes = [self._outcome(row, outcome, error) for row, (outcome, error) in zip(rows, results, strict=True)]
            await record(conn, list(zip(rows, outcomes, strict=True)))
            return len(rows)

    async def _loop(self) -> None:
        while True:
            try:
                worked = await self.run_once()
            except Exception as exc:
                log.warning("dispatcher_error", error=str(exc))
                worked = 0
                await asyncio.sleep(1)
            if not worked:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self.settings.delivery_poll_seconds)
                self._wake.clear()

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="notification-dispatcher")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
