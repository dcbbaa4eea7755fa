"""When a schedule's occurrences fall (pure functions, no database).

Times are UTC: a schedule is anchored to its `start_at` instant, so every occurrence is at the
same UTC time of day (Egypt has no daylight saving time today, so that is also the same Cairo
time). Weekly: every 7 days. Monthly: the same day of the month as `start_at`, clamped to the
month's last day where the month is shorter, and back to that day in later months
(Jan 31 -> Feb 28 -> Mar 31): each occurrence is computed from `start_at`, never from the one
before it, so a clamp never drifts.
"""

import calendar
from datetime import datetime, timedelta
from typing import Literal, get_args

Repeat = Literal["none", "weekly", "monthly"]


def as_repeat(value: str) -> Repeat:
    for repeat in get_args(Repeat):
        if value == repeat:
            return repeat  # type: ignore[no-any-return]
    raise ValueError(f"unknown repeat {value!r}")


def occurrence_at(start_at: datetime, repeat: Repeat, tick: int) -> datetime | None:
    """The `tick`-th (0-based) time of the calendar; None past a one-off's only one."""
    if tick < 0:
        raise ValueError("tick must be >= 0")
    if repeat == "none":
        return start_at if tick == 0 else None
    if repeat == "weekly":
        return start_at + timedelta(weeks=tick)
    months = start_at.month - 1 + tick
    year, month = start_at.year + months // 12, months % 12 + 1
    day = min(start_at.day, calendar.monthrange(year, month)[1])
    return start_at.replace(year=year, month=month, day=day)


def first_tick_after(start_at: datetime, repeat: Repeat, *, after: datetime, from_tick: int) -> int | None:
    """The smallest tick >= `from_tick` whose time is later than `after` (None: a one-off has none)."""
    if repeat == "none":
        at = occurrence_at(start_at, repeat, from_tick)
        return from_tick if at is not None and at > after else None
    # Jump close to `after` first (an old schedule resumed after years costs no long loop).
    tick = from_tick
    if after > start_at:
        span = after - start_at
        estimate = span.days // 7 if repeat == "weekly" else span.days // 31
        tick = max(tick, estimate - 1)
    while True:
        at = occurrence_at(start_at, repeat, tick)
        assert at is not None
        if at > after:
            return tick
        tick += 1
