"""E-mail over real SMTP (the standard library's smtplib, in worker threads) on reused sessions.

A new SMTP session per message costs a TCP connect, EHLO (and STARTTLS and AUTH in production)
before the message itself, so up to `smtp_max_connections` sessions stay open and are reused; one
the server has closed meanwhile (idle timeout) is replaced transparently.

Why blocking smtplib in threads and not an asyncio client: a message is four round trips (MAIL,
RCPT, DATA, the content), and on asyncio each one is a future, a timeout handle and an event-loop
wake-up. A blocking socket waits in the kernel instead: sending 600 messages to the local sink
took 0.2 ms of CPU per message with smtplib against 0.45 ms with aiosmtplib
(docs/PERFORMANCE.md, "The notification path's CPU"). The dispatcher hands over a whole batch
(`send_many`), so a thread hop is paid per share of a batch, not per message.
"""

from __future__ import annotations

import asyncio
import base64
import smtplib
import ssl
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import parseaddr

from notification_service.channels import ChannelError
from notification_service.config import NotificationSettings

# A batch is split over several sessions only in shares of at least this many messages: each
# share costs a thread hop, and a few messages go out faster on one session than that hop.
MIN_SHARE = 8
# RFC 2047 encoded words of at most 42 UTF-8 bytes (56 base64 characters): each word is 68
# characters, so "Subject: " and a word stay within the 78 characters a line should have.
_WORD_BYTES = 42


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    language: str


def _encoded_words(value: str) -> str:
    """`value` as RFC 2047 base64 words, one per folded line, never splitting a character."""
    words: list[str] = []
    chunk: list[str] = []
    size = 0
    for char in value:
        n = len(char.encode())
        if size + n > _WORD_BYTES:
            words.append("".join(chunk))
            chunk, size = [], 0
        chunk.append(char)
        size += n
    words.append("".join(chunk))
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(w.encode()).decode()}?=" for w in words)


def subject_value(subject: str) -> str:
    """The subject as written after "Subject: ": as is when it is short printable ASCII, else
    encoded words (non-ASCII text, a long line, or a CR/LF that must not start a header of its own)."""
    if subject.isascii() and subject.isprintable() and len(subject) <= 69:
        return subject
    return _encoded_words(subject)


def _plain(value: str) -> str:
    """An address or language tag as a header value: printable ASCII only (no line break), as
    addresses on the SMTP envelope must be anyway."""
    if not (value.isascii() and value.isprintable()):
        raise ValueError("not a printable ASCII header value")
    return value


def message_bytes(*, sender: str, to: str, subject: str, body: str, language: str) -> bytes:
    """The message as sent: 7-bit clean, CRLF line ends, a UTF-8 text/plain body in base64 (76
    characters a line) and an RFC 2047 subject when not ASCII (Arabic). Written directly: the
    standard library's MIME classes fold every header through `email.header` (~0.2 ms a message)
    to produce these same few lines."""
    head = (
        'Content-Type: text/plain; charset="utf-8"\r\n'
        "MIME-Version: 1.0\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        f"From: {_plain(sender)}\r\n"
        f"To: {_plain(to)}\r\n"
        f"Subject: {subject_value(subject)}\r\n"
        f"Content-Language: {_plain(language)}\r\n"
        "\r\n"
    )
    return head.encode("ascii") + base64.encodebytes(body.encode()).replace(b"\n", b"\r\n")


class SmtpMailer:
    def __init__(self, settings: NotificationSettings) -> None:
        self.settings = settings
        self._idle: list[smtplib.SMTP] = []  # touched only on the event loop
        self._slots = asyncio.Semaphore(settings.smtp_max_connections)
        self._pool = ThreadPoolExecutor(settings.smtp_max_connections, thread_name_prefix="smtp")
        self._envelope_from = parseaddr(settings.smtp_from)[1]
        self._tls = ssl.create_default_context() if settings.smtp_starttls else None

    def _message(self, *, to: str, subject: str, body: str, language: str) -> bytes:
        return message_bytes(sender=self.settings.smtp_from, to=to, subject=subject, body=body, language=language)

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        # local_hostname given: otherwise every connection resolves our FQDN for EHLO.
        client = smtplib.SMTP(
            s.smtp_host, s.smtp_port, local_hostname=s.smtp_local_hostname, timeout=s.smtp_timeout_seconds
        )
        try:
            if self._tls is not None:
                client.starttls(context=self._tls)
            if s.smtp_username:
                client.login(s.smtp_username, s.smtp_password.get_secret_value())
        except BaseException:
            client.close()
            raise
        return client

    def _deliver(
        self, client: smtplib.SMTP | None, mails: Sequence[Mail]
    ) -> tuple[smtplib.SMTP | None, list[str | None]]:
        """Sends `mails` in order on one session (a worker thread); returns the session to keep
        (None if it broke) and each mail's error (None: accepted). A refused message does not stop
        the others; a broken session that cannot be replaced fails the rest of the share."""
        errors: list[str | None] = []
        for mail in mails:
            try:
                raw = self._message(to=mail.to, subject=mail.subject, body=mail.body, language=mail.language)
            except (UnicodeError, ValueError) as exc:
                errors.append(f"smtp: {type(exc).__name__}: {exc}")
                continue
            reused = client is not None
            while True:
                try:
                    if client is None:
                        client = self._connect()
                    client.sendmail(self._envelope_from, [mail.to], raw)
                    errors.append(None)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException, UnicodeError) as exc:
                    # This message refused (smtplib reset the envelope): the session goes on. A
                    # 421 is the server closing the session: the next send reconnects.
                    errors.append(f"smtp: {type(exc).__name__}: {exc}")
                except (smtplib.SMTPException, OSError) as exc:  # includes timeouts, disconnects
                    if client is not None:
                        client.close()
                        client = None
                    if reused:  # closed by the server while idle: once more on a fresh session
                        reused = False
                        continue
                    error = f"smtp: {type(exc).__name__}: {exc}"
                    return None, errors + [error] * (len(mails) - len(errors))
                break
        return client, errors

    async def send_many(self, mails: Sequence[Mail]) -> list[str | None]:
        """Sends the mails, split over up to `smtp_max_connections` sessions; returns each one's
        error (None: the server accepted it) in the order given."""
        if not mails:
            return []
        ways = max(1, min(self.settings.smtp_max_connections, len(mails) // MIN_SHARE))
        results: list[str | None] = [None] * len(mails)
        loop = asyncio.get_running_loop()

        async def share(indexes: range) -> None:
            async with self._slots:
                client = self._idle.pop() if self._idle else None
                client, errors = await loop.run_in_executor(
                    self._pool, self._deliver, client, [mails[i] for i in indexes]
                )
                if client is not None:
                    self._idle.append(client)
            for i, error in zip(indexes, errors, strict=True):
                results[i] = error

        await asyncio.gather(*(share(range(w, len(mails), ways)) for w in range(ways)))
        return results

    async def send(self, *, to: str, subject: str, body: str, language: str) -> None:
        """One message now (a one-time code); ChannelError if it was not accepted."""
        [error] = await self.send_many([Mail(to, subject, body, language)])
        if error is not None:
            raise ChannelError(error)

    async def close(self) -> None:
        idle, self._idle = self._idle, []

        def quit_all() -> None:
            for client in idle:
                try:
                    client.quit()
                except (smtplib.SMTPException, OSError):
                    client.close()

        await asyncio.get_running_loop().run_in_executor(self._pool, quit_all)
        self._pool.shutdown(wait=False)
