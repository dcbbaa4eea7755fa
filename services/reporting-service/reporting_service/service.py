"""The reporting service's domain logic: the event writer and the reports (no SQL: repository.py).

The writer, `apply_events`, is the only path by which events reach the read model: the live
`POST /internal/events` (a batch of one), `POST /internal/events/batch` and the rebuild all call
it, so they build the same rows. In one transaction it claims the event ids in the inbox (an id
already there, or repeated in the batch after its first occurrence, is skipped), computes each
claimed event's `events.effects` and writes them with one statement per table. An invalid event
raises InvalidEvent inside the transaction: nothing of the batch is written.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.db.database import Database
from instapay_common.db.rawsql import transaction
from instapay_common.events.envelope import EventEnvelope
from reporting_service import repository
from reporting_service.events import ZERO, Effects, effects
from reporting_service.periods import Granularity, day_bounds, period_start, periods
from reporting_service.schemas import (
    Overview,
    OverviewCounts,
    OverviewDay,
    OverviewUsers,
    OverviewVolume,
    Statement,
    StatementCounterparty,
    StatementItem,
)

CURRENCY = "EGP"


async def apply_events(db: Database, events: Sequence[EventEnvelope]) -> set[uuid.UUID]:
    """Applies `events` in one transaction; returns the ids applied now (not the duplicates, nor
    the types reporting does not use). Raises, having written nothing, if an event not seen
    before is invalid or a statement fails."""
    types: dict[uuid.UUID, str] = {}
    for event in events:
        types.setdefault(event.id, event.type)
    todo: list[tuple[uuid.UUID, Effects]] = []
    async with transaction(db) as conn:
        claimed = await repository.claim(conn, types)
        for event in events:
            if event.id in claimed:
                claimed.discard(event.id)  # only an id's first occurrence: a repeat is a duplicate
                found = effects(event)
                if not found.empty:
                    todo.append((event.id, found))
        await repository.write(conn, (found for _, found in todo))
    return {event_id for event_id, _ in todo}


async def apply_event(db: Database, event: EventEnvelope) -> bool:
    """`apply_events` of one event: True if applied now."""
    return bool(await apply_events(db, [event]))


# --- reports -------------------------------------------------------------------------------------


def money(value: Decimal | None) -> str:
    return f"{(value or ZERO).quantize(Decimal('0.01'))}"


def _rfc3339(ts: datetime) -> str:
    return ts.isoformat().replace("+00:00", "Z")


def _json(value: Any) -> str:
    # The compact form FastAPI's default serialisation gives (UTF-8, not \u-escaped).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


BREAKDOWN = ("transfer_out", "transfer_in", "topup", "withdrawal")


async def summary(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    start: date,
    end: date,
    granularity: Granularity,
    day_rows_max: int = repository.DAY_ROWS_MAX,
) -> bytes:
    """The body of a `schemas.Summary`, serialised. One statement computes the numbers and hands
    back text (amounts with two decimals, the series and top counterparties as JSON); this joins
    the parts without per-row work in Python. `day_rows_max` only chooses how top counterparties
    are read (tests use both ways)."""
    row = await repository.summary(
        session,
        user_id=user_id,
        start=start,
        end=end,
        first=period_start(start, granularity),
        granularity=granularity,
        day_rows_max=day_rows_max,
    )
    head = _json(
        {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "currency": CURRENCY,
            "granularity": granularity.value,
            "total_sent": row.total_sent,
            "total_received": row.total_received,
            # The two parts of `total_received`: money from people is not money the user topped up.
            "received_from_people": row.amounts[1],
            "topped_up": row.amounts[2],
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


async def statement(session: AsyncSession, *, user_id: uuid.UUID, start: date, end: date) -> Statement:
    """Opening balance = balance after the last movement before the range (0.00 if none);
    each row carries the balance after it; closing = the last row's (or the opening)."""
    lo, hi = day_bounds(start, end)
    before = await repository.balance_before(session, user_id=user_id, before=lo)
    opening = before if before is not None else ZERO
    items: list[StatementItem] = []
    total_in = total_out = ZERO
    closing = opening
    for r in await repository.statement_rows(session, user_id=user_id, lo=lo, hi=hi):
        if r.direction == "in":
            total_in += r.amount
        else:
            total_out += r.amount
        if r.balance_after is not None:
            closing = r.balance_after
        items.append(
            StatementItem(
                date=_rfc3339(r.occurred_at),
                type=r.type,
                direction="in" if r.direction == "in" else "out",
                amount=money(r.amount),
                currency=r.currency,
                balance_after=money(r.balance_after) if r.balance_after is not None else None,
                counterparty=(
                    StatementCounterparty(handle=r.counterparty_handle, display_name=r.counterparty_name)
                    if r.counterparty_handle or r.counterparty_name
                    else None
                ),
                reference=r.reference,
                note=r.note,
            )
        )
    return Statement(
        from_=start.isoformat(),
        to=end.isoformat(),
        currency=CURRENCY,
        opening_balance=money(opening),
        closing_balance=money(closing),
        total_in=money(total_in),
        total_out=money(total_out),
        count=len(items),
        items=items,
    )


async def overview(session: AsyncSession, *, start: date, end: date) -> Overview:
    days = await repository.platform_days(session, start=start, end=end)
    active_by_day = await repository.active_users_per_day(session, start=start, end=end)
    lo, hi = day_bounds(start, end)
    counts = await repository.user_counts(session, start=start, end=end, lo=lo, hi=hi)
    per_day: list[OverviewDay] = []
    volume = {"transfer": ZERO, "topup": ZERO, "withdrawal": ZERO}
    number = {"transfer": 0, "topup": 0, "withdrawal": 0}
    for day in periods(start, end, Granularity.day):
        r = days.get(day)
        if r is not None:
            for kind, vol, cnt in (
                ("transfer", r.transfer_volume, r.transfer_count),
                ("topup", r.topup_volume, r.topup_count),
                ("withdrawal", r.withdrawal_volume, r.withdrawal_count),
            ):
                volume[kind] += vol
                number[kind] += cnt
        per_day.append(
            OverviewDay(
                date=day.isoformat(),
                active_users=active_by_day.get(day, 0),
                new_users=r.new_users if r else 0,
                transfer_volume=money(r.transfer_volume if r else ZERO),
                transfer_count=r.transfer_count if r else 0,
                topup_volume=money(r.topup_volume if r else ZERO),
                topup_count=r.topup_count if r else 0,
                withdrawal_volume=money(r.withdrawal_volume if r else ZERO),
                withdrawal_count=r.withdrawal_count if r else 0,
            )
        )
    return Overview(
        from_=start.isoformat(),
        to=end.isoformat(),
        currency=CURRENCY,
        users=OverviewUsers(total=counts.total, new=counts.new, active=counts.active),
        volume=OverviewVolume(
            transfer=money(volume["transfer"]), topup=money(volume["topup"]), withdrawal=money(volume["withdrawal"])
        ),
        counts=OverviewCounts(transfer=number["transfer"], topup=number["topup"], withdrawal=number["withdrawal"]),
        per_day=per_day,
    )
