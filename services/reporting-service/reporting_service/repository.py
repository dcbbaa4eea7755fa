"""All SQL of the reporting service: the writer's set-based statements (raw asyncpg connection,
instapay_common.db.rawsql) and the report queries (SQLAlchemy AsyncSession).

Writes: `claim` dedupes event ids in the inbox; `write` applies the effects of the claimed events
(`events.effects`) with one statement per table: additive aggregates are summed per key in Python
and upserted once per key, `parties` keeps each user's last naming in event order, `users` the
first registration, and movements are inserted in event order.

Lock order: each statement's rows are sorted by their key and the tables come in one fixed order
(inbox, users, parties, movements, aggregates, platform last), so two concurrent writers cannot
deadlock.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Table, and_, func, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.db.database import Database
from instapay_common.db.rawsql import RawConnection, Sql
from instapay_common.events.inbox import claim_many_sql
from reporting_service.events import ZERO, Effects, Movement, Party, Registration
from reporting_service.models import (
    READ_MODEL,
    counterparty_daily,
    movements,
    platform_daily,
    user_daily,
    users,
)
from reporting_service.periods import LABEL_FORMAT, Granularity

_CLAIM = claim_many_sql("reporting")
_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]  # SQLAlchemy leaves dialect constructors unannotated


def _arrays(table: Table, columns: Sequence[str]) -> str:
    """`unnest(...)` of one array parameter per column, each cast to the column's type."""
    casts = ", ".join(f"CAST(:{c} AS {table.c[c].type.compile(dialect=_DIALECT)}[])" for c in columns)
    return f"unnest({casts})"


def _add_all(table: Table, keys: tuple[str, ...], increments: tuple[str, ...]) -> Sql:
    """Additive upsert of many keys at once (each key once): `increments` are added to the row's."""
    sets = ", ".join(f"{c} = t.{c} + excluded.{c}" for c in increments)
    return Sql(
        f"INSERT INTO reporting.{table.name} AS t ({', '.join(keys + increments)}) "  # noqa: S608 - ours
        f"SELECT * FROM {_arrays(table, keys + increments)} "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {sets}"
    )


_USER_DAILY_KEYS = ("user_id", "day")
_USER_DAILY_SUMS = (
    "transfer_out",
    "transfer_out_count",
    "transfer_in",
    "transfer_in_count",
    "topup",
    "topup_count",
    "withdrawal",
    "withdrawal_count",
)
_ADD_USER_DAILY = _add_all(user_daily, _USER_DAILY_KEYS, _USER_DAILY_SUMS)
_COUNTERPARTY_KEYS = ("user_id", "day", "counterparty_id")
_COUNTERPARTY_SUMS = ("sent", "received", "count")
_ADD_COUNTERPARTY_DAILY = _add_all(counterparty_daily, _COUNTERPARTY_KEYS, _COUNTERPARTY_SUMS)
_PLATFORM_KEYS = ("day",)
_PLATFORM_SUMS = (
    "transfer_volume",
    "transfer_count",
    "topup_volume",
    "topup_count",
    "withdrawal_volume",
    "withdrawal_count",
    "new_users",
)
_ADD_PLATFORM_DAILY = _add_all(platform_daily, _PLATFORM_KEYS, _PLATFORM_SUMS)

# A movement row's columns are the fields of `events.Movement`, in order.
_MOVEMENT_COLUMNS = tuple(f.name for f in fields(Movement))
# Rows come out of unnest in array order, so identity ids are drawn in the batch's event order.
_INSERT_MOVEMENTS = Sql(
    f"INSERT INTO reporting.movements ({', '.join(_MOVEMENT_COLUMNS)}) "  # noqa: S608 - ours
    f"SELECT * FROM {_arrays(movements, _MOVEMENT_COLUMNS)}"
)

# Only the users inserted now count as new users.
_INSERT_USERS = Sql(
    "INSERT INTO reporting.users (user_id, registered_at) "
    "SELECT * FROM unnest(CAST(:user_ids AS uuid[]), CAST(:registered_at AS timestamptz[])) "
    "ON CONFLICT DO NOTHING RETURNING user_id"
)

_REMEMBER_PARTIES = Sql("""
INSERT INTO reporting.parties (user_id, handle, display_name)
SELECT * FROM unnest(CAST(:user_ids AS uuid[]), CAST(:handles AS text[]), CAST(:names AS text[]))
ON CONFLICT (user_id) DO UPDATE SET handle = excluded.handle, display_name = excluded.display_name
""")

# All-time totals per user and counterparty, with the batch's sums, counts and first/last day per
# pair. The upsert locks each pair's row until commit, so the writers of a pair's running rows
# (below) take turns: READ COMMITTED gives each later statement a snapshot with the previous
# writer's rows.
_ADD_TOTALS = Sql("""
INSERT INTO reporting.counterparty_totals AS t (user_id, counterparty_id, sent, received, count, first_day, last_day)
SELECT * FROM unnest(CAST(:user_ids AS uuid[]), CAST(:counterparty_ids AS uuid[]), CAST(:sent AS numeric[]),
                     CAST(:received AS numeric[]), CAST(:counts AS int[]), CAST(:first_days AS date[]),
                     CAST(:last_days AS date[]))
ON CONFLICT (user_id, counterparty_id) DO UPDATE
SET sent = t.sent + excluded.sent, received = t.received + excluded.received, count = t.count + excluded.count,
    first_day = least(t.first_day, excluded.first_day), last_day = greatest(t.last_day, excluded.last_day)
""")

# Running totals per user and counterparty. A pair's row for day X holds every transfer of days
# <= X; `batch` has, per pair and day D with transfers in the batch, the batch's own running sums
# up to D and the pair's next batch day (`next_day`, NULL for its last). Both parts read the
# snapshot from before the statement (the pair's earlier writers have committed: the totals
# upsert above waited for them), so for old rows `o`:
# - an existing row X >= the pair's first batch day lies in exactly one [day, next_day) of the
#   batch: it gets that row's sums, i.e. the batch's transfers of days <= X;
# - a batch day D without a row is inserted as the last old row before D (all old transfers of
#   days <= D, as there is no old row at D) plus the batch's sums up to D;
# - rows before the first batch day are untouched.
# That is, every row ends as the sum of all transfers of its day and before, and rows exist for
# exactly the days with transfers, whatever the order in which the events arrive.
_ADD_RUNNING = Sql("""
WITH batch AS (
    SELECT * FROM unnest(CAST(:user_ids AS uuid[]), CAST(:counterparty_ids AS uuid[]), CAST(:days AS date[]),
                         CAST(:next_days AS date[]), CAST(:sent AS numeric[]), CAST(:received AS numeric[]),
                         CAST(:counts AS int[])) AS b(user_id, counterparty_id, day, next_day, sent, received, count)
), later AS (
    UPDATE reporting.counterparty_running AS r
    SET sent = r.sent + b.sent, received = r.received + b.received, count = r.count + b.count
    FROM batch AS b
    WHERE r.user_id = b.user_id AND r.counterparty_id = b.counterparty_id
      AND r.day >= b.day AND (b.next_day IS NULL OR r.day < b.next_day)
    RETURNING r.user_id, r.counterparty_id, r.day
)
INSERT INTO reporting.counterparty_running (user_id, counterparty_id, day, sent, received, count)
SELECT b.user_id, b.counterparty_id, b.day, coalesce(o.sent, 0) + b.sent, coalesce(o.received, 0) + b.received,
       coalesce(o.count, 0) + b.count
FROM batch AS b
LEFT JOIN LATERAL (
    SELECT sent, received, count FROM reporting.counterparty_running
    WHERE user_id = b.user_id AND counterparty_id = b.counterparty_id AND day < b.day
    ORDER BY day DESC LIMIT 1) AS o ON true
WHERE NOT EXISTS (SELECT 1 FROM later
                  WHERE later.user_id = b.user_id AND later.counterparty_id = b.counterparty_id AND later.day = b.day)
""")


Key = tuple[Any, ...]


@dataclass
class _Sums:
    """Increments per key of one additive table, summed so that each key is sent once."""

    keys: tuple[str, ...]
    increments: tuple[str, ...]
    rows: dict[Key, dict[str, Any]] = field(default_factory=dict)

    def add(self, key: Key, values: Mapping[str, Any]) -> None:
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = {c: 0 if c.endswith("count") or c == "new_users" else ZERO for c in self.increments}
        for column, value in values.items():
            row[column] += value

    def params(self) -> dict[str, list[Any]]:
        ordered = sorted(self.rows.items())  # lock order: by primary key
        params = {k: [key[i] for key, _ in ordered] for i, k in enumerate(self.keys)}
        params.update({c: [row[c] for _, row in ordered] for c in self.increments})
        return params


async def claim(conn: RawConnection, types: Mapping[uuid.UUID, str]) -> set[uuid.UUID]:
    """Inserts the event ids (id -> type) in the inbox; returns those not seen before."""
    ids = sorted(types)  # lock order of the inbox rows
    return {row[0] for row in await conn.fetch(_CLAIM, ids=ids, types=[types[i] for i in ids])}


async def write(conn: RawConnection, effects: Iterable[Effects]) -> None:
    """Applies the effects of events, in their order, in the caller's transaction."""
    user_days = _Sums(_USER_DAILY_KEYS, _USER_DAILY_SUMS)
    pair_days = _Sums(_COUNTERPARTY_KEYS, _COUNTERPARTY_SUMS)
    platform = _Sums(_PLATFORM_KEYS, _PLATFORM_SUMS)
    rows: list[Movement] = []
    named: dict[uuid.UUID, Party] = {}
    registered: dict[uuid.UUID, Registration] = {}
    for effect in effects:
        rows += effect.movements
        for party in effect.names:
            named[party.user_id] = party  # the last naming wins
        for u in effect.user_days:
            user_days.add((u.user_id, u.day), {u.kind: u.amount, f"{u.kind}_count": 1})
        for p in effect.pair_days:
            pair_days.add((p.user_id, p.day, p.counterparty_id), {"sent": p.sent, "received": p.received, "count": 1})
        for d in effect.platform_days:
            platform.add((d.day,), {f"{d.kind}_volume": d.amount, f"{d.kind}_count": 1})
        if effect.registration is not None:  # a user's first registration counts
            registered.setdefault(effect.registration.user_id, effect.registration)

    if registered:
        new_users = sorted(registered)
        inserted = await conn.fetch(
            _INSERT_USERS, user_ids=new_users, registered_at=[registered[u].registered_at for u in new_users]
        )
        for row in inserted:
            platform.add((registered[row[0]].day,), {"new_users": 1})
    if named:
        people = [named[u] for u in sorted(named)]
        await conn.execute(
            _REMEMBER_PARTIES,
            user_ids=[p.user_id for p in people],
            handles=[p.handle for p in people],
            names=[p.display_name for p in people],
        )
    if rows:
        await conn.execute(_INSERT_MOVEMENTS, **{c: [getattr(r, c) for r in rows] for c in _MOVEMENT_COLUMNS})
    if user_days.rows:
        await conn.execute(_ADD_USER_DAILY, **user_days.params())
    if pair_days.rows:
        await conn.execute(_ADD_COUNTERPARTY_DAILY, **pair_days.params())
        await _add_counterparty_totals(conn, pair_days.rows)
    if platform.rows:
        await conn.execute(_ADD_PLATFORM_DAILY, **platform.params())


async def _add_counterparty_totals(conn: RawConnection, per_day: dict[Key, dict[str, Any]]) -> None:
    """counterparty_totals, then counterparty_running, from the (user, day, counterparty) sums."""
    pairs: dict[tuple[uuid.UUID, uuid.UUID], dict[date, dict[str, Any]]] = defaultdict(dict)
    for (user_id, day, counterparty_id), sums in per_day.items():
        pairs[(user_id, counterparty_id)][day] = sums
    totals: dict[str, list[Any]] = defaultdict(list)
    running: dict[str, list[Any]] = defaultdict(list)
    for (user_id, counterparty_id), days in sorted(pairs.items()):  # lock order: by key
        sent, received, count = ZERO, ZERO, 0
        ordered = sorted(days)
        for i, day in enumerate(ordered):
            sums = days[day]
            sent, received, count = sent + sums["sent"], received + sums["received"], count + sums["count"]
            running["user_ids"].append(user_id)
            running["counterparty_ids"].append(counterparty_id)
            running["days"].append(day)
            running["next_days"].append(ordered[i + 1] if i + 1 < len(ordered) else None)
            running["sent"].append(sent)
            running["received"].append(received)
            running["counts"].append(count)
        for name, value in (
            ("user_ids", user_id),
            ("counterparty_ids", counterparty_id),
            ("sent", sent),
            ("received", received),
            ("counts", count),
            ("first_days", ordered[0]),
            ("last_days", ordered[-1]),
        ):
            totals[name].append(value)
    await conn.execute(_ADD_TOTALS, **totals)
    await conn.execute(_ADD_RUNNING, **running)


async def truncate(db: Database) -> None:
    """Empties every read-model table and the inbox (the rebuild starts from nothing)."""
    names = ", ".join(f'"{t.schema}"."{t.name}"' for t in READ_MODEL)
    async with db.engine.begin() as conn:
        # Not RESTART IDENTITY: that needs ownership of the sequences, and the service's runtime
        # role owns nothing (instapay_common.db.roles); ids only need to keep increasing.
        await conn.execute(text(f"TRUNCATE {names}"))


# --- the summary ---------------------------------------------------------------------------------

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
    SELECT string_agg(format('{{"period":"%s","start":"%s","sent":"%s","received":"%s","count":%s,'
                             '"received_from_people":"%s","topped_up":"%s"}}',
                             to_char(periods.p, '{label}'), to_char(periods.p, 'YYYY-MM-DD'),
                             round(coalesce(transfer_out + withdrawal, 0), 2),
                             round(coalesce(transfer_in + topup, 0), 2),
                             coalesce(transfer_out_count + withdrawal_count + transfer_in_count + topup_count, 0),
                             round(coalesce(transfer_in, 0), 2), round(coalesce(topup, 0), 2)),
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


class SummaryRow(NamedTuple):
    """The summary's numbers as text with two decimals; `series` and `top_counterparties` are JSON."""

    total_sent: str
    total_received: str
    net: str
    count_sent: int
    count_received: int
    amounts: list[str]  # transfer_out, transfer_in, topup, withdrawal
    counts: list[int]  # the same order
    series: str
    top_counterparties: str | None


async def summary(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    start: date,
    end: date,
    first: date,
    granularity: Granularity,
    day_rows_max: int,
) -> SummaryRow:
    """One statement (one snapshot, so no transaction needed). `first` is the start of the period
    holding `start`."""
    row = (
        await session.execute(
            SUMMARY[granularity],
            {
                "user_id": user_id,
                "start": start,
                "end": end,
                "first": first,
                "day_rows_max": day_rows_max,
                "limit": TOP_COUNTERPARTIES,
            },
        )
    ).one()
    return SummaryRow._make(row)


# --- the statement -------------------------------------------------------------------------------


class StatementRow(NamedTuple):
    occurred_at: datetime
    type: str
    direction: str
    amount: Decimal
    currency: str
    balance_after: Decimal | None
    counterparty_handle: str | None
    counterparty_name: str | None
    reference: str | None
    note: str | None


async def balance_before(session: AsyncSession, *, user_id: uuid.UUID, before: datetime) -> Decimal | None:
    """The balance after the user's last movement before `before` (None: no such movement, or
    one without a balance)."""
    m = movements.c
    result = await session.execute(
        select(m.balance_after)
        .where(m.user_id == user_id, m.occurred_at < before)
        .order_by(m.occurred_at.desc(), m.id.desc())
        .limit(1)
    )
    value: Decimal | None = result.scalar_one_or_none()
    return value


async def statement_rows(
    session: AsyncSession, *, user_id: uuid.UUID, lo: datetime, hi: datetime
) -> list[StatementRow]:
    """The user's movements in [lo, hi), in time order."""
    m = movements.c
    result = await session.execute(
        select(*(m[c] for c in StatementRow._fields))
        .where(m.user_id == user_id, m.occurred_at >= lo, m.occurred_at < hi)
        .order_by(m.occurred_at, m.id)
    )
    return [StatementRow._make(r) for r in result.all()]


# --- the platform overview -----------------------------------------------------------------------


class PlatformDayRow(NamedTuple):
    day: date
    transfer_volume: Decimal
    transfer_count: int
    topup_volume: Decimal
    topup_count: int
    withdrawal_volume: Decimal
    withdrawal_count: int
    new_users: int


class UserCounts(NamedTuple):
    total: int  # registered before the range's end
    new: int  # registered in the range
    active: int  # with a movement in the range


async def platform_days(session: AsyncSession, *, start: date, end: date) -> dict[date, PlatformDayRow]:
    pd = platform_daily.c
    result = await session.execute(
        select(*(pd[c] for c in PlatformDayRow._fields)).where(pd.day >= start, pd.day <= end)
    )
    return {r.day: PlatformDayRow._make(r) for r in result.all()}


async def active_users_per_day(session: AsyncSession, *, start: date, end: date) -> dict[date, int]:
    ud = user_daily.c
    result = await session.execute(select(ud.day, func.count()).where(ud.day >= start, ud.day <= end).group_by(ud.day))
    return {day: int(n) for day, n in result.all()}


async def user_counts(session: AsyncSession, *, start: date, end: date, lo: datetime, hi: datetime) -> UserCounts:
    """`start`/`end` the range's days, [lo, hi) the same range as instants."""
    ud = user_daily.c
    active = (
        await session.execute(select(func.count(func.distinct(ud.user_id))).where(ud.day >= start, ud.day <= end))
    ).scalar_one()
    total = (
        await session.execute(select(func.count()).select_from(users).where(users.c.registered_at < hi))
    ).scalar_one()
    new = (
        await session.execute(
            select(func.count()).select_from(users).where(and_(users.c.registered_at >= lo, users.c.registered_at < hi))
        )
    ).scalar_one()
    return UserCounts(int(total), int(new), int(active))
