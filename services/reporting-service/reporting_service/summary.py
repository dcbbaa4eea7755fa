"""The caller's summary over a date range: totals, a series per day, ISO week or month, and the
top counterparties. Two queries, both computed in PostgreSQL with exact NUMERIC sums; amounts
leave the database as text with two decimals, so Python only places strings into the response
(summing ~365 rows of Decimals in Python, row by row, cost more than the queries did)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from reporting_service.periods import LABEL_FORMAT, Granularity, period_start
from reporting_service.reports import CURRENCY

TOP_COUNTERPARTIES = 5

# One pass over at most one `user_daily` row per day: GROUP BY ROLLUP gives a row per period and
# the range total (its period is NULL, shown as 'infinity' so that it joins and sorts last), and
# the periods without activity come from generate_series.
SERIES_SQL = """
WITH agg AS (
    SELECT coalesce(date_trunc('{unit}', day::timestamp)::date, 'infinity') AS p,
           sum(transfer_out) AS transfer_out, sum(transfer_out_count) AS transfer_out_count,
           sum(transfer_in) AS transfer_in, sum(transfer_in_count) AS transfer_in_count,
           sum(topup) AS topup, sum(topup_count) AS topup_count,
           sum(withdrawal) AS withdrawal, sum(withdrawal_count) AS withdrawal_count
    FROM reporting.user_daily
    WHERE user_id = :user_id AND day BETWEEN :start AND :end
    GROUP BY ROLLUP (date_trunc('{unit}', day::timestamp)::date)
), periods AS (
    SELECT generate_series(CAST(:first AS date)::timestamp, CAST(:end AS date)::timestamp,
                           interval '{step}')::date AS p
    UNION ALL SELECT 'infinity'::date
)
SELECT to_char(periods.p, '{label}'), to_char(periods.p, 'YYYY-MM-DD'),
       round(coalesce(transfer_out + withdrawal, 0), 2)::text,
       round(coalesce(transfer_in + topup, 0), 2)::text,
       coalesce(transfer_out_count + withdrawal_count + transfer_in_count + topup_count, 0)::int,
       -- the range total only:
       CASE WHEN periods.p = 'infinity' THEN ARRAY[
           round(coalesce(transfer_in + topup - transfer_out - withdrawal, 0), 2)::text,
           round(coalesce(transfer_out, 0), 2)::text, round(coalesce(transfer_in, 0), 2)::text,
           round(coalesce(topup, 0), 2)::text, round(coalesce(withdrawal, 0), 2)::text] END,
       CASE WHEN periods.p = 'infinity' THEN ARRAY[
           coalesce(transfer_out_count + withdrawal_count, 0), coalesce(transfer_in_count + topup_count, 0),
           coalesce(transfer_out_count, 0), coalesce(transfer_in_count, 0),
           coalesce(topup_count, 0), coalesce(withdrawal_count, 0)]::int[] END
FROM periods LEFT JOIN agg USING (p)
ORDER BY periods.p
"""
SERIES = {g: text(SERIES_SQL.format(unit=g.value, step=f"1 {g.value}", label=LABEL_FORMAT[g])) for g in Granularity}

# Top counterparties end with the same ranking over per-counterparty range totals `c`.
_TOP_SQL = """
WITH c AS ({totals}),
top AS (SELECT * FROM c WHERE count > 0 ORDER BY sent + received DESC, count DESC, counterparty_id LIMIT :limit)
SELECT top.counterparty_id::text, parties.handle, parties.display_name,
       round(top.sent, 2)::text, round(top.received, 2)::text, top.count::int
FROM top LEFT JOIN reporting.parties ON parties.user_id = top.counterparty_id
ORDER BY top.sent + top.received DESC, top.count DESC, top.counterparty_id
"""
# Few transfers in the range: add up their counterparty-day rows (at most one per transfer).
TOP_FROM_DAYS = text(_TOP_SQL.format(totals="""
    SELECT counterparty_id, sum(sent) AS sent, sum(received) AS received, sum(count) AS count
    FROM reporting.counterparty_daily
    WHERE user_id = :user_id AND day BETWEEN :start AND :end
    GROUP BY counterparty_id"""))
# Many transfers: per counterparty active around the range, its all-time row when all its activity
# lies inside the range, otherwise the difference of two running-total rows (the last on or before
# `end` minus the last before `start`). The one-time filters on `t` skip the probes not needed.
TOP_FROM_RUNNING = text(_TOP_SQL.format(totals="""
    SELECT t.counterparty_id,
           coalesce(hi.sent, t.sent) - coalesce(lo.sent, 0) AS sent,
           coalesce(hi.received, t.received) - coalesce(lo.received, 0) AS received,
           coalesce(hi.count, t.count) - coalesce(lo.count, 0) AS count
    FROM reporting.counterparty_totals AS t
    LEFT JOIN LATERAL (
        SELECT r.sent, r.received, r.count FROM reporting.counterparty_running AS r
        WHERE t.last_day > :end AND r.user_id = t.user_id AND r.counterparty_id = t.counterparty_id
              AND r.day <= :end
        ORDER BY r.day DESC LIMIT 1) AS hi ON true
    LEFT JOIN LATERAL (
        SELECT r.sent, r.received, r.count FROM reporting.counterparty_running AS r
        WHERE t.first_day < :start AND r.user_id = t.user_id AND r.counterparty_id = t.counterparty_id
              AND r.day < :start
        ORDER BY r.day DESC LIMIT 1) AS lo ON true
    WHERE t.user_id = :user_id AND t.first_day <= :end AND t.last_day >= :start"""))
# Up to this many transfers in the range, the day rows are the cheaper read (each is one index
# entry; the running path costs a few index probes per counterparty of the user's whole history).
DAY_ROWS_MAX = 1000

BREAKDOWN = ("transfer_out", "transfer_in", "topup", "withdrawal")


async def summary(session: AsyncSession, *, user_id: uuid.UUID, start: date, end: date,
                  granularity: Granularity) -> dict[str, Any]:
    """Sent = money out (transfers sent + withdrawals), received = money in (transfers received
    + top-ups): the same split as the history's `direction`. Two queries: the series with the
    range total, then the top counterparties."""
    rows = (await session.execute(SERIES[granularity], {
        "user_id": user_id, "start": start, "end": end, "first": period_start(start, granularity)})).all()
    *series, total = rows
    _, _, total_sent, total_received, _, amounts, counts = total
    net, *by_type = amounts
    count_sent, count_received, *count_by_type = counts
    transfers = count_by_type[0] + count_by_type[1]
    return {
        "from": start.isoformat(), "to": end.isoformat(), "currency": CURRENCY, "granularity": granularity.value,
        "total_sent": total_sent, "total_received": total_received, "net": net,
        "count_sent": count_sent, "count_received": count_received,
        "breakdown": {k: {"amount": a, "count": n} for k, a, n in zip(BREAKDOWN, by_type, count_by_type, strict=True)},
        "series": [{"period": r[0], "start": r[1], "sent": r[2], "received": r[3], "count": r[4]} for r in series],
        "top_counterparties": await top_counterparties(session, user_id=user_id, start=start, end=end,
                                                       transfers=transfers),
    }


async def top_counterparties(session: AsyncSession, *, user_id: uuid.UUID, start: date, end: date,
                             transfers: int, limit: int = TOP_COUNTERPARTIES) -> list[dict[str, Any]]:
    """`transfers`: how many transfers the range holds (chooses the cheaper read; same answer)."""
    query = TOP_FROM_DAYS if transfers <= DAY_ROWS_MAX else TOP_FROM_RUNNING
    rows = (await session.execute(query, {"user_id": user_id, "start": start, "end": end, "limit": limit})).all()
    return [{"user_id": r[0], "handle": r[1], "display_name": r[2], "sent": r[3], "received": r[4], "count": r[5]}
            for r in rows]
