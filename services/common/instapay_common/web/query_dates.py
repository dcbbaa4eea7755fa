"""Date and timestamp query parameters (`from`, `to`): ISO 8601 text only, within a sane range.

Pydantic's lax parsing takes digits as a Unix timestamp (`?to=0` is 1970-01-01, `?from=20261125`
is 1970-08-23, `?to=0.5` half a second after the epoch), which silently answers a different range
than the client meant; and days near year 1 or 9999 overflow `date +/- timedelta` or asyncpg's
timestamp encoder (a 500). Both are refused here as 422 `validation_error`, before any handler runs.
The JSON schema stays `format: date` / `date-time`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, PlainValidator, TypeAdapter, ValidationError, WithJsonSchema

# Far enough from the calendar's ends that a range's default start (`to` - 29 days), a period's
# start or end (week, month) and the day after `to`, in any UTC offset, stay valid dates.
MIN_DAY = date(1900, 1, 1)
MAX_DAY = date(9998, 12, 31)

_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
# RFC 3339 date-time (seconds, fraction and offset optional, as pydantic accepts), or a date alone.
_DATE_OR_TIMESTAMP_TEXT = re.compile(
    r"\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})?)?"
)


def _date_text(value: Any) -> Any:
    if isinstance(value, str) and not _DATE_TEXT.fullmatch(value):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


_DAY = TypeAdapter(date)
_TIMESTAMP = TypeAdapter(datetime)


def _date_or_timestamp(value: Any) -> date | datetime:
    """One parser rather than a `date | datetime` union, so an error names the field once."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE_OR_TIMESTAMP_TEXT.fullmatch(value):
        raise ValueError("must be a date (YYYY-MM-DD) or an RFC 3339 timestamp")
    try:
        return (_DAY if _DATE_TEXT.fullmatch(value) else _TIMESTAMP).validate_python(value)
    except ValidationError as exc:
        raise ValueError(exc.errors()[0]["msg"]) from None


def _in_range(value: date) -> date:
    day = value.date() if isinstance(value, datetime) else value
    if not MIN_DAY <= day <= MAX_DAY:
        raise ValueError(f"must lie between {MIN_DAY.isoformat()} and {MAX_DAY.isoformat()}")
    return value


IsoDate = Annotated[date, BeforeValidator(_date_text), AfterValidator(_in_range)]
"""A calendar day written YYYY-MM-DD."""

IsoDateOrTimestamp = Annotated[
    date | datetime,
    PlainValidator(_date_or_timestamp),
    AfterValidator(_in_range),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]}),
]
"""A day (YYYY-MM-DD) or an RFC 3339 timestamp; numbers are not timestamps here."""


def range_bound(value: date | datetime | None, *, end: bool) -> datetime | None:
    """A `from`/`to` value as a timestamp: a date means the whole day (UTC), `from` its start,
    `to` its end (inclusive, so the bound is the next day's start); a timestamp without an
    offset is UTC."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    start = datetime.combine(value, time.min, tzinfo=UTC)
    return start + timedelta(days=1) if end else start
