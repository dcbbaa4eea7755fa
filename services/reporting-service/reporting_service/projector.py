"""Applies events to the read model, each exactly once (inbox claim in the same transaction).

Used by `POST /internal/events` (live, from the outbox relays) and by the rebuild command
(replaying the event logs), so both produce the same rows. Aggregates are additive upserts,
which makes the result independent of delivery order.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.inbox import claim_event
from reporting_service.exceptions import InvalidEvent
from reporting_service.models import (
    counterparty_daily,
    counterparty_running,
    counterparty_totals,
    movements,
    parties,
    platform_daily,
    processed_events,
    user_daily,
    users,
)

CENT = Decimal("0.01")


class EventEnvelope(BaseModel):
    id: uuid.UUID
    type: str = Field(min_length=1, max_length=64)
    occurred_at: datetime
    source: str = ""
    data: dict[str, Any]


def _amount(data: dict[str, Any], key: str = "amount", *, required: bool = True) -> Decimal | None:
    raw = data.get(key)
    if raw is None and not required:
        return None
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidEvent(f"'{key}' must be a decimal amount") from exc
    if not value.is_finite() or value.quantize(CENT) != value:
        raise InvalidEvent(f"'{key}' must be a decimal with at most 2 fraction digits")
    return value


def _uid(value: Any, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError) as exc:
        raise InvalidEvent(f"'{field}' must be a user id") from exc


def _when(event: EventEnvelope) -> datetime:
    """The movement's own time (`created_at`), else the envelope's."""
    raw = event.data.get("created_at")
    if raw:
        try:
            return datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        except ValueError as exc:
            raise InvalidEvent("'created_at' must be an RFC 3339 timestamp") from exc
    return event.occurred_at


def _day(ts: datetime) -> date:
    return ts.astimezone(UTC).date() if ts.tzinfo else ts.date()


@dataclass(frozen=True)
class Party:
    user_id: uuid.UUID
    handle: str | None
    display_name: str | None
    balance_after: Decimal | None

    @classmethod
    def of(cls, data: dict[str, Any], key: str) -> Party:
        p = data.get(key)
        if not isinstance(p, dict):
            raise InvalidEvent(f"'{key}' party is missing")
        return cls(_uid(p.get("user_id"), f"{key}.user_id"), p.get("handle"), p.get("display_name"),
                   _amount(p, "balance_after", required=False))


async def _add(session: AsyncSession, table, keys: dict[str, Any], increments: dict[str, Any]) -> None:
    stmt = pg_insert(table).values(**keys, **increments)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={k: getattr(table.c, k) + getattr(stmt.excluded, k) for k in increments})
    await session.execute(stmt)


async def _add_counterparty_totals(session: AsyncSession, user_id: uuid.UUID, counterparty_id: uuid.UUID, day: date,
                                   increment: dict[str, Any]) -> None:
    """All-time totals (first) and running totals of a user's transfers with one counterparty.

    The all-time upsert locks the pair's row until commit, so concurrent events of the same pair
    maintain the running rows one after the other (each statement below sees the rows the
    previous event committed: READ COMMITTED takes a new snapshot per statement)."""
    t = counterparty_totals
    stmt = pg_insert(t).values(user_id=user_id, counterparty_id=counterparty_id, first_day=day, last_day=day,
                               **increment)
    await session.execute(stmt.on_conflict_do_update(
        index_elements=["user_id", "counterparty_id"],
        set_={**{k: getattr(t.c, k) + getattr(stmt.excluded, k) for k in increment},
              "first_day": func.least(t.c.first_day, stmt.excluded.first_day),
              "last_day": func.greatest(t.c.last_day, stmt.excluded.last_day)}))
    r = counterparty_running
    pair = (r.c.user_id == user_id, r.c.counterparty_id == counterparty_id)
    # The day's row and every later one include this transfer. Events mostly arrive in time order,
    # so this is one row; a late event (a consumer catching up) also updates the later days.
    touched = (await session.execute(
        update(r).where(*pair, r.c.day >= day).values({k: getattr(r.c, k) + v for k, v in increment.items()})
        .returning(r.c.day))).scalars().all()
    if day in touched:
        return
    # First transfer of the pair on that day: its row starts from the last earlier day's totals.
    before = (select(r.c.sent, r.c.received, r.c.count).where(*pair, r.c.day < day)
              .order_by(r.c.day.desc()).limit(1).subquery())
    base = select(literal(1).label("one")).subquery()
    columns = ("sent", "received", "count")
    await session.execute(insert(r).from_select(
        ["user_id", "counterparty_id", "day", *columns],
        select(literal(user_id, r.c.user_id.type), literal(counterparty_id, r.c.counterparty_id.type),
               literal(day, r.c.day.type),
               *(func.coalesce(before.c[k], 0) + increment.get(k, 0) for k in columns))
        .select_from(base.outerjoin(before, literal(True)))))


async def _remember_party(session: AsyncSession, party: Party) -> None:
    stmt = pg_insert(parties).values(user_id=party.user_id, handle=party.handle, display_name=party.display_name)
    await session.execute(stmt.on_conflict_do_update(
        index_elements=["user_id"], set_={"handle": stmt.excluded.handle, "display_name": stmt.excluded.display_name}))


async def _transfer(session: AsyncSession, event: EventEnvelope) -> None:
    d = event.data
    amount = _amount(d)
    sender, recipient = Party.of(d, "sender"), Party.of(d, "recipient")
    when = _when(event)
    day = _day(when)
    ref = str(d.get("transfer_id") or "")[:64] or None
    currency = str(d.get("currency") or "EGP")
    # Rows of both parties are locked in one global order (parties first, then by user id): two
    # transfers between the same users in opposite directions, applied concurrently, used to lock
    # A-then-B and B-then-A and deadlock (found by the proof suite's bank test).
    for party in sorted((sender, recipient), key=lambda p: p.user_id):
        await _remember_party(session, party)
    sides = sorted(((sender, recipient, "out"), (recipient, sender, "in")), key=lambda side: side[0].user_id)
    for me, other, direction in sides:
        await session.execute(insert(movements).values(
            user_id=me.user_id, event_id=event.id, occurred_at=when, type="transfer", direction=direction,
            amount=amount, currency=currency, balance_after=me.balance_after, counterparty_id=other.user_id,
            counterparty_handle=other.handle, counterparty_name=other.display_name, reference=ref, note=d.get("note")))
        col = "transfer_out" if direction == "out" else "transfer_in"
        await _add(session, user_daily, {"user_id": me.user_id, "day": day}, {col: amount, f"{col}_count": 1})
        increment = {"sent" if direction == "out" else "received": amount, "count": 1}
        await _add(session, counterparty_daily, {"user_id": me.user_id, "day": day, "counterparty_id": other.user_id},
                   increment)
        await _add_counterparty_totals(session, me.user_id, other.user_id, day, increment)
    await _add(session, platform_daily, {"day": day}, {"transfer_volume": amount, "transfer_count": 1})


def _wallet_movement(kind: str):
    direction = "in" if kind == "topup" else "out"

    async def apply(session: AsyncSession, event: EventEnvelope) -> None:
        d = event.data
        amount = _amount(d)
        user_id = _uid(d.get("user_id"), "user_id")
        when = _when(event)
        day = _day(when)
        await session.execute(insert(movements).values(
            user_id=user_id, event_id=event.id, occurred_at=when, type=kind, direction=direction, amount=amount,
            currency=str(d.get("currency") or "EGP"), balance_after=_amount(d, "balance_after", required=False),
            reference=str(d.get("transaction_id") or "")[:64] or None, note=None))
        await _add(session, user_daily, {"user_id": user_id, "day": day}, {kind: amount, f"{kind}_count": 1})
        await _add(session, platform_daily, {"day": day}, {f"{kind}_volume": amount, f"{kind}_count": 1})
    return apply


async def _registered(session: AsyncSession, event: EventEnvelope) -> None:
    user_id = _uid(event.data.get("user_id"), "user_id")
    inserted = (await session.execute(pg_insert(users).values(user_id=user_id, registered_at=event.occurred_at)
                                      .on_conflict_do_nothing().returning(users.c.user_id))).first()
    if inserted:
        await _add(session, platform_daily, {"day": _day(event.occurred_at)}, {"new_users": 1})


HANDLERS = {
    "transfer.completed": _transfer,
    "topup.completed": _wallet_movement("topup"),
    "withdrawal.completed": _wallet_movement("withdrawal"),
    "user.registered": _registered,
}


async def apply_event(session: AsyncSession, event: EventEnvelope) -> bool:
    """True if applied now, False for a duplicate or a type reporting does not use."""
    handler = HANDLERS.get(event.type)
    async with session.begin():
        if not await claim_event(session, processed_events, event.id, event.type):
            return False
        if handler is None:
            return False
        await handler(session, event)
        return True
