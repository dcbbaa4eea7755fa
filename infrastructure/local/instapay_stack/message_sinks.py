"""Where a local stack's outgoing messages land, and reading one-time codes back from them.

A stack writes each SMS as a file in `<data_dir>/sms/` (a `To: <phone>` line, then the text) and
each e-mail as a `.eml` file in `<data_dir>/mail/`. Tests find a stack's directories by its
gateway URL: every `Stack` started in this process registers them; otherwise INSTAPAY_DATA_DIR,
else the checkout's `.data/` (`make up`'s) is assumed. A stack whose messages go elsewhere (the
containers' sandbox: an SMS gateway and a mail sink with APIs) registers a reader instead.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from email import message_from_bytes, policy
from pathlib import Path

from instapay_stack.paths import DATA_DIR

_DATA_DIRS: dict[str, Path] = {}
# reader(to, email) -> the texts sent to `to` (an SMS, or with email=True an e-mail), oldest first.
MessageReader = Callable[[str, bool], list[str]]
_READERS: dict[str, MessageReader] = {}
# A one-time code is the message's only 6-digit number (not part of a longer number or an amount),
# in a message that says it is a code: other messages race it into the sinks, and a welcome or a
# sign-in notice may hold a handle or an id with six digits in a row.
CODE_RE = re.compile(r"(?<!\d)(?<!\d[.,])\d{6}(?!\d)(?![.,]\d)")
CODE_WORDS = re.compile(r"\bcode\b|رمز", re.IGNORECASE)


def register_data_dir(gateway_url: str, data_dir: Path) -> None:
    _DATA_DIRS[gateway_url.rstrip("/")] = data_dir.resolve()


def register_reader(gateway_url: str, reader: MessageReader) -> None:
    _READERS[gateway_url.rstrip("/")] = reader


def reader_for(gateway_url: str) -> MessageReader | None:
    return _READERS.get(gateway_url.rstrip("/"))


def wait_for_new_code(reader: MessageReader, to: str, *, email: bool, after: int, within: float = 30.0) -> str:
    """The code in the first message to `to` after the first `after` ones (those sent before it
    was asked for)."""
    deadline = time.monotonic() + within
    while True:
        for text in reader(to, email)[after:]:
            if (code := code_in(text)) is not None:
                return code
        if time.monotonic() > deadline:
            raise AssertionError(f"no code for {to} arrived within {within} s")
        time.sleep(0.25)


def data_dir_for(gateway_url: str) -> Path:
    known = _DATA_DIRS.get(gateway_url.rstrip("/"))
    if known is not None:
        return known
    configured = os.environ.get("INSTAPAY_DATA_DIR")
    return Path(configured).resolve() if configured else DATA_DIR


def sms_dir_for(gateway_url: str) -> Path:
    return data_dir_for(gateway_url) / "sms"


def mail_dir_for(gateway_url: str) -> Path:
    return data_dir_for(gateway_url) / "mail"


def sms_texts(directory: Path, phone: str) -> list[tuple[Path, str]]:
    """(file, text) of every SMS sent to `phone`, oldest first."""
    found = []
    for path in sorted(directory.glob("*.txt"), key=lambda p: p.stat().st_mtime_ns) if directory.is_dir() else []:
        content = path.read_text(encoding="utf-8")
        head, _, text = content.partition("\n\n")
        if f"To: {phone}" in head.splitlines():
            found.append((path, text))
    return found


def mail_texts(directory: Path, address: str) -> list[tuple[Path, str]]:
    """(file, plain-text body) of every e-mail sent to `address`, oldest first."""
    found = []
    for path in sorted(directory.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns) if directory.is_dir() else []:
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        if address.lower() in str(message.get("To", "")).lower():
            part = message.get_body(preferencelist=("plain",))
            found.append((path, part.get_content() if part is not None else ""))
    return found


def code_in(text: str) -> str | None:
    if CODE_WORDS.search(text) is None:
        return None
    codes = CODE_RE.findall(text)
    return codes[0] if len(codes) == 1 else None


def wait_for_code(
    *,
    directory: Path,
    to: str,
    seen: set[Path],
    email: bool = False,
    within: float = 15.0,
) -> str:
    """The code in the first message to `to` not in `seen` (files present before it was asked for)."""
    deadline = time.monotonic() + within
    while True:
        messages = mail_texts(directory, to) if email else sms_texts(directory, to)
        for path, text in messages:
            code = code_in(text) if path not in seen else None
            if code is not None:
                return code
        if time.monotonic() > deadline:
            raise AssertionError(f"no code for {to} arrived in {directory} within {within} s")
        time.sleep(0.05)


def messages_to(directory: Path, to: str, *, email: bool = False) -> set[Path]:
    """The files of the messages already sent to `to` (pass as `seen` to `wait_for_code`)."""
    return {path for path, _ in (mail_texts(directory, to) if email else sms_texts(directory, to))}
