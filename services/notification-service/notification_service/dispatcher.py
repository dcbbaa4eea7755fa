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
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.db import Database
from instapay_common.logging import get_logger
from notification_service.channels import ChannelError
from notification_service.channels.email import SmtpMailer
from notification_service.channels.sms import SmsProvider
from notification_service.config import NotificationSettings
from notification_service.metrics import NOTIFICATION_DELIVERIES
from notification_service.models import deliveries, notifications
from notification_service.profiles import Profile, ProfileDirectory
from notification_service.templates import render

log = get_logger("dispatcher")


@dataclass
class Channels:
    mailer: SmtpMailer
    sms: SmsProvider


def _address(channel: str, profile: Profile | None, row: Any) -> str | None:
    """The address to use now, or None when the user does not want this channel."""
    if profile is None:
        return row.address
    if channel == "email":
        return profile.email if profile.notify_email else None
    return profile.phone if profile.notify_sms else None


class Dispatcher:
    def __init__(self, db: Database, channels: Channels, profiles: ProfileDirectory,
                 settings: NotificationSettings, *, batch_size: int = 50) -> None:
        self.db = db
        self.channels = channels
        self.profiles = profiles
        self.settings = settings
        self.batch_size = batch_size
        self._task: asyncio.Task | None = None
        self._wake = asyncio.Event()

    def poke(self) -> None:
        self._wake.set()

    def _delay(self, attempts: int) -> float:
        s = self.settings
        step = min(s.delivery_backoff_cap_seconds, s.delivery_backoff_base_seconds * 2 ** min(attempts, 20))
        return random.uniform(step / 10, step)  # noqa: S311 - jitter, not security

    async def _send(self, row: Any) -> tuple[str, str | None]:
        """-> (outcome, error)."""
        profile = await self.profiles.get(row.user_id)
        if profile is None and row.address is None:
            return "retry", "recipient profile unavailable"
        address = _address(row.channel, profile, row)
        if not address:
            return "skipped", None
        rendered = render(row.type, profile.language if profile else row.language, row.data)
        try:
            if row.channel == "email":
                await self.channels.mailer.send(to=address, subject=rendered.title, body=rendered.body,
                                                language=rendered.language)
            else:
                await self.channels.sms.send(to=address, text=f"{rendered.title}\n{rendered.body}")
        except ChannelError as exc:
            return "retry", str(exc)[:500]
        return "sent", None

    async def run_once(self) -> int:
        async with self.db.sessionmaker() as session, session.begin():
            rows = (await session.execute(
                select(deliveries.c.id, deliveries.c.channel, deliveries.c.attempts, deliveries.c.address,
                       notifications.c.user_id, notifications.c.type, notifications.c.data,
                       notifications.c.language)
                .join(notifications, notifications.c.seq == deliveries.c.notification_seq)
                .where(deliveries.c.status == "pending", deliveries.c.next_attempt_at <= func.now())
                .order_by(deliveries.c.next_attempt_at).limit(self.batch_size)
                .with_for_update(of=deliveries, skip_locked=True))).all()
            if not rows:
                return 0
            results = await asyncio.gather(*(self._send(r) for r in rows))
            for row, (outcome, error) in zip(rows, results, strict=True):
                await self._record(session, row, outcome, error)
            return len(rows)

    async def _record(self, session: AsyncSession, row: Any, outcome: str, error: str | None) -> None:
        attempts = row.attempts + (0 if outcome == "skipped" else 1)
        values: dict[str, Any] = {"attempts": attempts, "last_error": error}
        if outcome == "sent":
            values.update(status="sent", sent_at=func.now())
        elif outcome == "skipped":
            values.update(status="skipped")
        elif attempts >= self.settings.delivery_max_attempts:
            outcome = "failed"
            values.update(status="failed")
            log.error("notification_delivery_gave_up", channel=row.channel, delivery_id=row.id, error=error)
        else:
            values.update(next_attempt_at=func.clock_timestamp() + func.make_interval(0, 0, 0, 0, 0, 0,
                                                                                     self._delay(row.attempts)))
            log.warning("notification_delivery_retry", channel=row.channel, delivery_id=row.id, error=error)
        NOTIFICATION_DELIVERIES.labels(row.channel, outcome).inc()
        await session.execute(update(deliveries).where(deliveries.c.id == row.id).values(**values))

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
