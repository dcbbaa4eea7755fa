"""SMS through a provider adapter: an HTTP provider in production, a file or log sink in development."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path
from typing import Protocol

import aiohttp

from instapay_common.logging import get_logger
from notification_service.channels import ChannelError
from notification_service.config import NotificationSettings

log = get_logger("sms")


class SmsProvider(Protocol):
    async def send(self, *, to: str, text: str) -> None: ...


class FileSmsProvider:
    """Development sink: one text file per message in `directory`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def send(self, *, to: str, text: str) -> None:
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}.txt"
        content = f"To: {to}\n\n{text}\n"

        def write() -> None:
            self.directory.mkdir(parents=True, exist_ok=True)
            (self.directory / name).write_text(content, encoding="utf-8")

        try:
            await asyncio.to_thread(write)
        except OSError as exc:
            raise ChannelError(f"sms file sink: {exc}") from exc


class LogSmsProvider:
    async def send(self, *, to: str, text: str) -> None:
        log.info("sms_sent", to=to[:4] + "***", length=len(text))


class HttpSmsProvider:
    """A generic JSON SMS gateway: POST {to, from, text} with a bearer API key; 2xx = accepted."""

    def __init__(self, session: aiohttp.ClientSession, url: str, api_key: str, sender: str) -> None:
        self.session = session
        self.url = url
        self.api_key = api_key
        self.sender = sender

    async def send(self, *, to: str, text: str) -> None:
        try:
            async with self.session.post(
                self.url,
                json={"to": to, "from": self.sender, "text": text},
                headers={"Authorization": f"Bearer {self.api_key}"},
            ) as resp:
                if resp.status >= 300:
                    raise ChannelError(f"sms provider answered {resp.status}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise ChannelError(f"sms provider: {type(exc).__name__}") from exc


def build_sms_provider(settings: NotificationSettings, session: aiohttp.ClientSession) -> SmsProvider:
    if settings.sms_provider == "http":
        return HttpSmsProvider(
            session, settings.sms_http_url, settings.sms_api_key.get_secret_value(), settings.sms_sender
        )
    if settings.sms_provider == "log":
        return LogSmsProvider()
    return FileSmsProvider(Path(settings.sms_dir))
