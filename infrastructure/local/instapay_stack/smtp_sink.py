"""A local SMTP sink for development and tests: accepts every message (aiosmtpd) and writes it
to `<dir>/<time>-<id>.eml`, readable with any mail client or a text editor.

    python -m instapay_stack.smtp_sink --port 8009 --dir .data/mail
"""

from __future__ import annotations

import argparse
import signal
import threading
import time
import uuid
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class MaildirWriter:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, _server: SMTP, _session: Session, envelope: Envelope) -> str:
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:12]}.eml"
        rcpts = ", ".join(envelope.rcpt_tos)
        received = envelope.original_content or envelope.content or b""
        content = received.encode() if isinstance(received, str) else received
        tmp = self.directory / f".{name}.tmp"
        tmp.write_bytes(f"X-Sink-Rcpt-To: {rcpts}\r\n".encode() + content)
        tmp.rename(self.directory / name)  # readers never see half a message
        return "250 Message accepted for delivery"


class SmtpSink:
    """The sink in a background thread (tests start it in-process)."""

    def __init__(self, directory: Path, *, host: str = "127.0.0.1", port: int = 8009) -> None:
        self.directory = directory
        # server_hostname given: otherwise each SMTP session resolves our FQDN for its greeting.
        self.controller = Controller(
            MaildirWriter(directory), hostname=host, port=port, server_hostname="smtp-sink.local"
        )

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def messages(self) -> list[EmailMessage]:
        return read_mailbox(self.directory)


def read_mailbox(directory: Path) -> list[EmailMessage]:
    return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(directory.glob("*.eml"))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="SMTP sink writing each message to a .eml file")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8009)
    parser.add_argument("--dir", default=".data/mail")
    args = parser.parse_args(argv)
    sink = SmtpSink(Path(args.dir).resolve(), host=args.host, port=args.port).start()
    print(f"SMTP sink on {args.host}:{args.port}, writing to {sink.directory}", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    sink.stop()


if __name__ == "__main__":
    main()
