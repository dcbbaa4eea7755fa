"""Applies a whole event batch (`POST /internal/events/batch`) in one transaction, with one
set-based statement per table on the raw asyncpg connection (instapay_common.db.rawsql) instead of
~15 SQLAlchemy statements per event (docs/PERFORMANCE.md, "Reporting consumer: one transaction
per batch").

The rows written are exactly those of `projector.apply_event` applied to the batch's events one
by one, in order (tests/test_batch_projector.py compares every table):
- every event is parsed first with the projector's own parsers, so an invalid one raises before
  anything is written and `event_batch.apply_batch` falls back to the one-by-one path, which
  rejects it alone;
- the inbox claim decides which events are applied (first occurrence of each new id);
- additive aggregates are summed per key in Python and upserted once per key;
- `parties` keeps the last naming of each user in batch order, `users` the first registration;
- movements are inserted in the one-by-one order, so even their identity ids match.

Lock order: each statement's rows are sorted by their key and the tables come in one fixed order
(inbox, users, parties, aggregates, platform last), the order in which the one-by-one path also
reaches them, so two batches, or a batch and a single event, cannot deadlock.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql

from instapay_common.db.database import Database
from instapay_common.db.rawsql import RawConnection, Sql, transaction
from instapay_common.events.inbox import claim_many_sql
from reporting_service.models import counterparty_daily, movements, platform_daily, user_daily
from reporting_service.projector import (
    HANDLERS,
    ZERO,
    EventEnvelope,
    Party,
    Transfer,
    WalletMovement,
    parse_uid,
    utc_day,
)

_CLAIM = claim_many_sql("reporting")
_DIALECT = postgresql.dialect()


def _arrays(table: Table, columns: Sequence[str]) -> str:
    """`unnest(...)` of one array parameter per column, each cast to the column's type."""
    casts = ", ".join(f"CAST(:{c} AS {table.c[c].type.compile(dialect=_DIALECT)}[])" for c in columns)
    return f"unnest({casts})"


def _add_all(table: Table, keys: tuple[str, ...], increments: tuple[str, ...]) -> Sql:
    """The projector's additive upsert (`_add`) for many keys at once (each key once)."""
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

_MOVEMENT_COLUMNS = (
    "user_id",
    "event_id",
    "occurred_at",
    "type",
    "direction",
    "amount",
    "currency",
    "balance_after",
    "counterparty_id",
    "counterparty_handle",
    "counterparty_name",
    "reference",
    "note",
)
# Rows come out of unnest in array order, so identity ids are drawn in the one-by-one order.
_INSERT_MOVEMENTS = Sql(
    f"INSERT INTO reporting.movements ({', '.join(_MOVEMENT_COLUMNS)}) "  # noqa: S608 - ours
    f"SELECT * FROM {_arrays(movements, _MOVEMENT_COLUMNS)}"
)

# Only the users inserted now count as new users (as `_registered`'s RETURNING).
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

# projector._ADD_TOTALS with the batch's sums, counts and first/last day per pair. As there, the
# upsert locks each pair's row until commit: writers of a pair's running rows (below) take turns.
_ADD_TOTALS = Sql("""
INSERT INTO reporting.counterparty_totals AS t (user_id, counterparty_id, sent, received, count, first_day, last_day)
SELECT * FROM unnest(CAST(:user_ids AS uuid[]), CAST(:counterparty_ids AS uuid[]), CAST(:sent AS numeric[]),
                     CAST(:received AS numeric[]), CAST(:counts AS int[]), CAST(:first_days AS date[]),
                     CAST(:last_days AS date[]))
ON CONFLICT (user_id, counterparty_id) DO UPDATE
SET sent = t.sent + excluded.sent, received = t.received + excluded.received, count = t.count + excluded.count,
    first_day = least(t.first_day, excluded.first_day), last_day = greatest(t.last_day, excluded.last_day)
""")

# projector._ADD_RUNNING for a whole batch. A pair's row for day X holds every transfer of days
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
# exactly the days with transfers: what applying the events one by one, in any order, gives.
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


class _Sums:
    """Increments per key of one additive table, summed in Python so each key is sent once."""

    def __init__(self, keys: tuple[str, ...], increments: tuple[str, ...]) -> None:
        self.keys, self.increments = keys, increments
        self.rows: dict[tuple, dict[str, Any]] = {}

    def add(self, key: tuple, **values: Any) -> None:
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


Parsed = Transfer | WalletMovement | uuid.UUID | None  # uuid: user.registered's user; None: not used here


class NoBatchPath(Exception):
    """An event type the projector applies but this module has no set-based statements for (one
    added to `projector.HANDLERS` only). Raised before any write, so `apply_batch` falls back to
    applying the batch one by one: the event is applied, never claimed and silently dropped."""


def _parse(event: EventEnvelope) -> Parsed:
    """The projector's checks, before any write: raises InvalidEvent for bad data."""
    if event.type not in HANDLERS:
        return None
    if event.type == "transfer.completed":
        return Transfer.of(event)
    if event.type in ("topup.completed", "withdrawal.completed"):
        return WalletMovement.of(event, event.type.split(".")[0])
    if event.type == "user.registered":
        return parse_uid(event.data.get("user_id"), "user_id")
    raise NoBatchPath(f"no batch path for {event.type}")


async def apply_events(db: Database, events: Sequence[EventEnvelope]) -> set[uuid.UUID]:
    """`apply_many` of `event_batch.apply_batch`: applies `events` in one transaction and returns
    the ids applied now (not the duplicates, nor types reporting does not use). Raises, having
    written nothing, if any event is invalid or a statement fails."""
    parsed = [(event, _parse(event)) for event in events]
    first_type: dict[uuid.UUID, str] = {}
    for event in events:
        first_type.setdefault(event.id, event.type)
    ids = sorted(first_type)  # lock order of the inbox rows
    async with transaction(db) as conn:
        claimed = {row[0] for row in await conn.fetch(_CLAIM, ids=ids, types=[first_type[i] for i in ids])}
        todo: list[tuple[EventEnvelope, Parsed]] = []
        for event, data in parsed:
            if event.id in claimed:
                claimed.discard(event.id)  # only an id's first occurrence: a repeat is a duplicate
                if data is not None:
                    todo.append((event, data))
        await _write(conn, todo)
    return {event.id for event, _ in todo}


async def _write(conn: RawConnection, todo: list[tuple[EventEnvelope, Parsed]]) -> None:
    user_days = _Sums(_USER_DAILY_KEYS, _USER_DAILY_SUMS)
    pair_days = _Sums(_COUNTERPARTY_KEYS, _COUNTERPARTY_SUMS)
    platform = _Sums(_PLATFORM_KEYS, _PLATFORM_SUMS)
    rows: dict[str, list[Any]] = {c: [] for c in _MOVEMENT_COLUMNS}
    named: dict[uuid.UUID, Party] = {}
    registered: dict[uuid.UUID, date] = {}
    registered_at: dict[uuid.UUID, Any] = {}

    def movement(**values: Any) -> None:
        for column in _MOVEMENT_COLUMNS:
            rows[column].append(values[column])

    for event, data in todo:
        if isinstance(data, Transfer):
            for party in sorted((data.sender, data.recipient), key=lambda p: p.user_id):
                named[party.user_id] = party  # the last naming in the batch wins, as one by one
            for me, other, direction in data.sides():
                movement(
                    user_id=me.user_id,
                    event_id=event.id,
                    occurred_at=data.when,
                    type="transfer",
                    direction=direction,
                    amount=data.amount,
                    currency=data.currency,
                    balance_after=me.balance_after,
                    counterparty_id=other.user_id,
                    counterparty_handle=other.handle,
                    counterparty_name=other.display_name,
                    reference=data.reference,
                    note=data.note,
                )
                col = "transfer_out" if direction == "out" else "transfer_in"
                user_days.add((me.user_id, data.day), **{col: data.amount, f"{col}_count": 1})
                sent, received = (data.amount, ZERO) if direction == "out" else (ZERO, data.amount)
                pair_days.add((me.user_id, data.day, other.user_id), sent=sent, received=received, count=1)
            platform.add((data.day,), transfer_volume=data.amount, transfer_count=1)
        elif isinstance(data, WalletMovement):
            movement(
                user_id=data.user_id,
                event_id=event.id,
                occurred_at=data.when,
                type=data.kind,
                direction=data.direction,
                amount=data.amount,
                currency=data.currency,
                balance_after=data.balance_after,
                counterparty_id=None,
                counterparty_handle=None,
                counterparty_name=None,
                reference=data.reference,
                note=None,
            )
            user_days.add((data.user_id, data.day), **{data.kind: data.amount, f"{data.kind}_count": 1})
            platform.add((data.day,), **{f"{data.kind}_volume": data.amount, f"{data.kind}_count": 1})
        elif data not in registered:  # user.registered: the first registration of a user counts
            registered[data] = utc_day(event.occurred_at)
            registered_at[data] = event.occurred_at

    if registered:
        new_users = sorted(registered)
        inserted = await conn.fetch(
            _INSERT_USERS, user_ids=new_users, registered_at=[registered_at[u] for u in new_users]
        )
        for row in inserted:
            platform.add((registered[row[0]],), new_users=1)
    if named:
        people = [named[u] for u in sorted(named)]
        await conn.execute(
            _REMEMBER_PARTIES,
            user_ids=[p.user_id for p in people],
            handles=[p.handle for p in people],
            names=[p.display_name for p in people],
        )
    if rows["user_id"]:
        await conn.execute(_INSERT_MOVEMENTS, **rows)
    if user_days.rows:
        await conn.execute(_ADD_USER_DAILY, **user_days.params())
    if pair_days.rows:
        await conn.execute(_ADD_COUNTERPARTY_DAILY, **pair_days.params())
        await _add_counterparty_totals(conn, pair_days.rows)
    if platform.rows:
        await conn.execute(_ADD_PLATFORM_DAILY, **platform.params())


async def _add_counterparty_totals(conn: RawConnection, per_day: dict[tuple, dict[str, Any]]) -> None:
    """counterparty_totals, then counterparty_running, from the batch's (user, day, counterparty)
    sums."""
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
