"""E-mail over real SMTP (aiosmtplib)."""

from __future__ import annotations

from email.message import EmailMessage

import aiosmtplib

from notification_service.channels import ChannelError
from notification_service.config import NotificationSettings


class SmtpMailer:
    def __init__(self, settings: NotificationSettings) -> None:
        self.settings = settings

    async def send(self, *, to: str, subject: str, body: str, language: str) -> None:
        s = self.settings
        msg = EmailMessage()
        msg["From"] = s.smtp_from
        msg["To"] = to
        msg["Subject"] = subject
        msg["Content-Language"] = language
        msg.set_content(body)  # UTF-8 (Arabic text included), encoded by the email package
        try:
            await aiosmtplib.send(msg, hostname=s.smtp_host, port=s.smtp_port, timeout=s.smtp_timeout_seconds,
                                  username=s.smtp_username or None,
                                  password=s.smtp_password.get_secret_value() or None,
                                  start_tls=s.smtp_starttls)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise ChannelError(f"smtp: {type(exc).__name__}: {exc}") from exc
