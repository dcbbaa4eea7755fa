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
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from instapay_common.db.database import Database
from instapay_common.db.rawsql import transaction
from instapay_common.logging import get_logger
from notification_service.channels import ChannelError
from notification_service.channels.email import Mail
from notification_service.channels.sms import SmsProvider
from notification_service.config import NotificationSettings
from notification_service.metrics import NOTIFICATION_DELIVERIES
from notification_service.profiles import Profile, ProfileDirectory
from notification_service.repository import DeliveryOutcome, DueDelivery, claim_due, record
from notification_service.templates import Rendered, render

log = get_logger("dispatcher")
Result = tuple[str, str | None]  # (outcome, error)


class Mailer(Protocol):
    async def send_many(self, mails: Sequence[Mail]) -> list[str | None]: ...

    async def send(self, *, to: str, subject: str, body: str, language: str) -> None: ...


@dataclass
class Channels:
    mailer: Mailer
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

    def _text(self, row: DueDelivery, profile: Profile | None, texts: dict[tuple[int, str], Rendered]) -> Rendered:
        """The text in the reader's language now: the stored one when that is still the language
        it was stored in (nearly always), else rendered once per notification and language (its
        e-mail and SMS share `texts`)."""
        language = profile.language if profile else row.language
        if language == row.language:
            return Rendered(row.title, row.body, row.language)
        key = (row.notification_seq, language)
        rendered = texts.get(key)
        if rendered is None:
            rendered = texts[key] = render(row.type, language, row.data)
        return rendered

    async def _send_all(self, rows: list[DueDelivery], profiles: dict[uuid.UUID, Profile | None]) -> list[Result]:
        """Each row's (outcome, error): the batch's e-mails go to the mailer together (it spreads
        them over its SMTP sessions), the SMS messages concurrently alongside."""
        results: list[Result] = [("retry", "recipient profile unavailable")] * len(rows)
        texts: dict[tuple[int, str], Rendered] = {}
        mails: list[tuple[int, Mail]] = []
        sms: list[tuple[int, str, Rendered]] = []
        for i, row in enumerate(rows):
            profile = profiles[row.user_id]
            if profile is None and row.address is None:
                continue
            address = _address(row.channel, profile, row)
            if not address:
                results[i] = ("skipped", None)
            elif row.channel == "email":
                text = self._text(row, profile, texts)
                mails.append((i, Mail(address, text.title, text.body, text.language)))
            else:
                sms.append((i, address, self._text(row, profile, texts)))

        async def send_mails() -> None:
            errors = await self.channels.mailer.send_many([m for _, m in mails])
            for (i, _), error in zip(mails, errors, strict=True):
                results[i] = ("sent", None) if error is None else ("retry", error[:500])

        async def send_sms(i: int, to: str, text: Rendered) -> None:
            try:
                await self.channels.sms.send(to=to, text=f"{text.title}\n{text.body}")
            except ChannelError as exc:
                results[i] = ("retry", str(exc)[:500])
            else:
                results[i] = ("sent", None)

        await asyncio.gather(send_mails(), *(send_sms(*s) for s in sms))
        return results

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
            results = await self._send_all(rows, profiles)
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
