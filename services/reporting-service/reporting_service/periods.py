"""Date ranges and period labels of the reports (UTC calendar days, inclusive ranges)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from reporting_service.exceptions import InvalidRange

MAX_DAYS = {"day": 366, "week": 3 * 366, "month": 5 * 366}


class Granularity(StrEnum):
    day = "day"
    week = "week"
    month = "month"


# PostgreSQL to_char() patterns giving the same labels as period_label() (ISO year and week).
LABEL_FORMAT = {Granularity.day: "YYYY-MM-DD", Granularity.week: 'IYYY-"W"IW', Granularity.month: "YYYY-MM"}


def today() -> date:
    return datetime.now(UTC).date()


def resolve_range(start: date | None, end: date | None, *, default_days: int, max_days: int) -> tuple[date, date]:
    end = end or today()
    start = start or end - timedelta(days=default_days - 1)
    if start > end:
        raise InvalidRange("'from' must not be after 'to'", errors=[{"field": "from", "message": "after 'to'"}])
    if (end - start).days + 1 > max_days:
        raise InvalidRange(
            f"the range may span at most {max_days} days",
            errors=[{"field": "to", "message": f"more than {max_days} days after 'from'"}],
        )
    return start, end


def period_start(day: date, granularity: Granularity) -> date:
    if granularity is Granularity.week:
        return day - timedelta(days=day.weekday())  # ISO weeks start on Monday
    if granularity is Granularity.month:
        return day.replace(day=1)
    return day


def period_label(start: date, granularity: Granularity) -> str:
    if granularity is Granularity.week:
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if granularity is Granularity.month:
        return f"{start.year:04d}-{start.month:02d}"
    return start.isoformat()


def periods(start: date, end: date, granularity: Granularity) -> list[date]:
    """Start day of every period touching [start, end], in order."""
    out: list[date] = []
    cur = period_start(start, granularity)
    while cur <= end:
        out.append(cur)
        if granularity is Granularity.day:
            cur += timedelta(days=1)
        elif granularity is Granularity.week:
            cur += timedelta(days=7)
        else:
            cur = (cur.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in UTC."""
    return (
        datetime.combine(start, time.min, tzinfo=UTC),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC),
    )
