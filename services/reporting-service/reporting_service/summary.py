"""The caller's summary over a date range: totals, a series per day, ISO week or month, and the
top counterparties, as the JSON body of the response.

One SQL statement computes all of it with exact NUMERIC sums and hands back text: amounts with
two decimals, the series already as a JSON array (it holds only generated dates and numbers), the
top counterparties as JSON. Python writes the few remaining fields and joins the parts, with no
per-row work; summing ~365 rows of Decimals in Python, row by row, and serialising them cost
several times what the queries did (docs/PERFORMANCE.md, "Reporting summary"). One statement is
also one snapshot, so it runs without a transaction (no BEGIN/ROLLBACK round trips).
"""

from __future__ import annotations

import json
import uuid
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from reporting_service.periods import LABEL_FORMAT, Granularity, period_start
from reporting_service.reports import CURRENCY

TOP_COUNTERPARTIES = 5
# Up to this many transfers in the range, top counterparties add up the range's counterparty-day
# rows (at most one per transfer); above it, they read all-time and running totals (at most three
# index probes per counterparty active around the range, whatever its length). Measured on the
# bench user (190 counterparties): 555 day rows 2.0 ms, running totals 4.1 ms.
DAY_ROWS_MAX = 1000

SUMMARY_SQL = """
WITH agg AS (
    -- At most one user_daily row per day. ROLLUP adds the range total, whose period is NULL,
    -- shown as 'infinity' so that it never matches a period.
    SELECT coalesce(date_trunc('{unit}', day::timestamp)::date, 'infinity') AS p,
           sum(transfer_out) AS transfer_out, sum(transfer_out_count) AS transfer_out_count,
           sum(transfer_in) AS transfer_in, sum(transfer_in_count) AS transfer_in_count,
           sum(topup) AS topup, sum(topup_count) AS topup_count,
           sum(withdrawal) AS withdrawal, sum(withdrawal_count) AS withdrawal_count
    FROM reporting.user_daily
    WHERE user_id = :user_id AND day BETWEEN :start AND :end
    GROUP BY ROLLUP (date_trunc('{unit}', day::timestamp)::date)
), total AS (
    SELECT * FROM agg WHERE p = 'infinity'
), series AS (
    -- Every period touching the range, with or without activity, in order.
    SELECT string_agg(format('{{"period":"%s","start":"%s","sent":"%s","received":"%s","count":%s}}',
                             to_char(periods.p, '{label}'), to_char(periods.p, 'YYYY-MM-DD'),
                             round(coalesce(transfer_out + withdrawal, 0), 2),
                             round(coalesce(transfer_in + topup, 0), 2),
                             coalesce(transfer_out_count + withdrawal_count + transfer_in_count + topup_count, 0)),
                      ',' ORDER BY periods.p) AS items
    FROM (SELECT generate_series(CAST(:first AS date)::timestamp, CAST(:end AS date)::timestamp,
                                 interval '{step}')::date AS p) AS periods
    LEFT JOIN agg USING (p)
), c AS (
    -- Transfer totals per counterparty over the range. One branch runs, chosen by the number of
    -- transfers in the range; each is LATERAL to `total` so the choice is a one-time filter (and
    -- so the planner does not start a parallel worker for a branch that reads nothing).
    SELECT d.* FROM total CROSS JOIN LATERAL (
        SELECT counterparty_id, sum(sent) AS sent, sum(received) AS received, sum(count) AS count
        FROM reporting.counterparty_daily
        WHERE coalesce(total.transfer_out_count + total.transfer_in_count, 0) <= :day_rows_max
              AND user_id = :user_id AND day BETWEEN :start AND :end
        GROUP BY counterparty_id) AS d
    UNION ALL
    -- Per counterparty active around the range: its all-time row when all its activity lies inside
    -- the range, otherwise the last running-total row on or before `end` minus the last before
    -- `start` (the one-time filters on `t` skip the probes not needed).
    SELECT r.* FROM total CROSS JOIN LATERAL (
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
        WHERE coalesce(total.transfer_out_count + total.transfer_in_count, 0) > :day_rows_max
              AND t.user_id = :user_id AND t.first_day <= :end AND t.last_day >= :start) AS r
), top AS (
    SELECT * FROM c WHERE count > 0 ORDER BY sent + received DESC, count DESC, counterparty_id LIMIT :limit
)
SELECT round(coalesce(transfer_out + withdrawal, 0), 2)::text AS total_sent,
       round(coalesce(transfer_in + topup, 0), 2)::text AS total_received,
       round(coalesce(transfer_in + topup - transfer_out - withdrawal, 0), 2)::text AS net,
       coalesce(transfer_out_count + withdrawal_count, 0)::int AS count_sent,
       coalesce(transfer_in_count + topup_count, 0)::int AS count_received,
       ARRAY[round(coalesce(transfer_out, 0), 2)::text, round(coalesce(transfer_in, 0), 2)::text,
             round(coalesce(topup, 0), 2)::text, round(coalesce(withdrawal, 0), 2)::text] AS amounts,
       ARRAY[coalesce(transfer_out_count, 0), coalesce(transfer_in_count, 0), coalesce(topup_count, 0),
             coalesce(withdrawal_count, 0)]::int[] AS counts,
       '[' || coalesce((SELECT items FROM series), '') || ']' AS series,
       (SELECT json_agg(json_build_object('user_id', top.counterparty_id::text, 'handle', parties.handle,
                                          'display_name', parties.display_name,
                                          'sent', round(top.sent, 2)::text, 'received', round(top.received, 2)::text,
                                          'count', top.count)
                        ORDER BY top.sent + top.received DESC, top.count DESC, top.counterparty_id)::text
        FROM top LEFT JOIN reporting.parties ON parties.user_id = top.counterparty_id) AS top_counterparties
FROM total
"""
SUMMARY = {g: text(SUMMARY_SQL.format(unit=g.value, step=f"1 {g.value}", label=LABEL_FORMAT[g])) for g in Granularity}

BREAKDOWN = ("transfer_out", "transfer_in", "topup", "withdrawal")


def _json(value) -> str:
    # The compact form FastAPI's default serialisation gives (UTF-8, not \u-escaped).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


async def summary(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    start: date,
    end: date,
    granularity: Granularity,
    day_rows_max: int = DAY_ROWS_MAX,
) -> bytes:
    """The response body. Sent = money out (transfers sent + withdrawals), received = money in
    (transfers received + top-ups): the same split as the history's `direction`.
    `day_rows_max` only chooses how top counterparties are read (tests use both ways)."""
    row = (
        await session.execute(
            SUMMARY[granularity],
            {
                "user_id": user_id,
                "start": start,
                "end": end,
                "first": period_start(start, granularity),
                "day_rows_max": day_rows_max,
                "limit": TOP_COUNTERPARTIES,
            },
        )
    ).one()
    head = _json(
        {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "currency": CURRENCY,
            "granularity": granularity.value,
            "total_sent": row.total_sent,
            "total_received": row.total_received,
            "net": row.net,
            "count_sent": row.count_sent,
            "count_received": row.count_received,
            "breakdown": {
                k: {"amount": a, "count": n} for k, a, n in zip(BREAKDOWN, row.amounts, row.counts, strict=True)
            },
        }
    )
    # PostgreSQL's JSON has spaces after separators: re-encoded compactly (at most five entries).
    top = _json(json.loads(row.top_counterparties)) if row.top_counterparties else "[]"
    return f'{head[:-1]},"series":{row.series},"top_counterparties":{top}}}'.encode()
