"""Pieces of the opaque pagination cursors the services write (base64url text), read back strictly.

Cursors are not signed, so a client can send any text. Whatever these helpers return can be bound
as a query parameter: a position fits PostgreSQL's bigint and a timestamp's UTC form stays inside
the calendar (9999-12-31T23:59:59-14:00 does not), both of which asyncpg would refuse at query time.
Anything else raises ValueError, which each service's decoder turns into its 422
`validation_error` for `cursor`.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime

BIGINT_MAX = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def unpack(cursor: str) -> str:
    """The cursor's text (base64url, padding optional)."""
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ValueError("not a cursor") from exc


def bigint(text: str) -> int:
    """A non-negative id or sequence number as written: ASCII digits, within bigint."""
    if not _DIGITS.fullmatch(text) or int(text) > BIGINT_MAX:
        raise ValueError("not a cursor position")
    return int(text)


def utc_timestamp(text: str) -> datetime:
    """An ISO 8601 timestamp with an offset, as UTC (which must itself be a valid datetime)."""
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        raise ValueError("cursor timestamp without offset")
    try:
        return when.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("cursor timestamp out of range") from exc
