"""Applies events to the read model, each exactly once (inbox claim in the same transaction).

Used by `POST /internal/events` (live, from the outbox relays) and by the rebuild command
(replaying the event logs), so both produce the same rows. `POST /internal/events/batch` applies
a batch set-wise with batch_projector.py, which must leave the same rows as this module (its
tests compare them); the parsing (`Transfer`, `WalletMovement`, ...) is shared. Aggregates are additive upserts,
which makes the result independent of delivery order.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from sqlalchemy import Table, bindparam, insert, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.events.envelope import EventEnvelope
from instapay_common.events.inbox import claim_event
from reporting_service.exceptions import InvalidEvent
from reporting_service.models import (
    counterparty_daily,
    movements,
    parties,
    platform_daily,
    processed_events,
    user_daily,
    users,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def parse_amount(data: dict[str, Any], key: str = "amount", *, required: bool = True) -> Decimal | None:
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


def parse_uid(value: Any, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError) as exc:
        raise InvalidEvent(f"'{field}' must be a user id") from exc


def event_time(event: EventEnvelope) -> datetime:
    """The movement's own time (`created_at`), else the envelope's."""
    raw = event.data.get("created_at")
    if raw:
        try:
            return datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        except ValueError as exc:
            raise InvalidEvent("'created_at' must be an RFC 3339 timestamp") from exc
    return event.occurred_at


def utc_day(ts: datetime) -> date:
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
        return cls(
            parse_uid(p.get("user_id"), f"{key}.user_id"),
            p.get("handle"),
            p.get("display_name"),
            parse_amount(p, "balance_after", required=False),
        )


@dataclass(frozen=True)
class Transfer:
    """A transfer.completed event's data, parsed and checked before anything is written (here and
    in batch_projector.py, which applies the same events set-wise)."""

    amount: Decimal
    sender: Party
    recipient: Party
    when: datetime
    day: date
    reference: str | None
    currency: str
    note: Any

    @classmethod
    def of(cls, event: EventEnvelope) -> Transfer:
        d = event.data
        amount = parse_amount(d)
        sender, recipient = Party.of(d, "sender"), Party.of(d, "recipient")
        when = event_time(event)
        return cls(
            amount,
            sender,
            recipient,
            when,
            utc_day(when),
            str(d.get("transfer_id") or "")[:64] or None,
            str(d.get("currency") or "EGP"),
            d.get("note"),
        )

    def sides(self) -> list[tuple[Party, Party, str]]:
        """(me, other, direction) of both parties, in user id order (the lock order)."""
        return sorted(
            ((self.sender, self.recipient, "out"), (self.recipient, self.sender, "in")),
            key=lambda side: side[0].user_id,
        )


@dataclass(frozen=True)
class WalletMovement:
    """A topup.completed / withdrawal.completed event's data, parsed and checked."""

    kind: str  # topup, withdrawal
    user_id: uuid.UUID
    amount: Decimal
    when: datetime
    day: date
    currency: str
    balance_after: Decimal | None
    reference: str | None

    @property
    def direction(self) -> str:
        return "in" if self.kind == "topup" else "out"

    @classmethod
    def of(cls, event: EventEnvelope, kind: str) -> WalletMovement:
        d = event.data
        amount = parse_amount(d)
        user_id = parse_uid(d.get("user_id"), "user_id")
        when = event_time(event)
        return cls(
            kind,
            user_id,
            amount,
            when,
            utc_day(when),
            str(d.get("currency") or "EGP"),
            parse_amount(d, "balance_after", required=False),
            str(d.get("transaction_id") or "")[:64] or None,
        )


# Statements are built once and executed with parameters: building a Core upsert per call (its
# `excluded` columns, its cache key) cost more Python time than running it (~0.5 ms each, a dozen
# per transfer).
@cache
def _upsert(table: Table, keys: tuple[str, ...], increments: tuple[str, ...]):
    stmt = pg_insert(table).values({c: bindparam(c) for c in keys + increments})
    return stmt.on_conflict_do_update(
        index_elements=list(keys), set_={c: table.c[c] + stmt.excluded[c] for c in increments}
    )


async def _add(session: AsyncSession, table: Table, keys: dict[str, Any], increments: dict[str, Any]) -> None:
    await session.execute(_upsert(table, tuple(keys), tuple(increments)), {**keys, **increments})


# All-time totals of a user's transfers with one counterparty. The upsert locks the pair's row
# until commit, so concurrent events of the same pair maintain the running rows (below) one after
# the other: READ COMMITTED gives each later statement a snapshot with the previous event's rows.
_ADD_TOTALS = text("""
INSERT INTO reporting.counterparty_totals AS t (user_id, counterparty_id, sent, received, count, first_day, last_day)
VALUES (:user_id, :counterparty_id, :sent, :received, 1, :day, :day)
ON CONFLICT (user_id, counterparty_id) DO UPDATE
SET sent = t.sent + excluded.sent, received = t.received + excluded.received, count = t.count + 1,
    first_day = least(t.first_day, excluded.first_day), last_day = greatest(t.last_day, excluded.last_day)
""")
# Running totals: the transfer's day and every later day of the pair include it (events mostly
# arrive in time order, so that is one row; a late one also updates the later days). If the pair
# had no row for that day, it starts from the last earlier day's totals. One statement: both
# parts read the same snapshot, and the update touches no day before the transfer's.
_ADD_RUNNING = text("""
WITH later AS (
    UPDATE reporting.counterparty_running
    SET sent = sent + :sent, received = received + :received, count = count + 1
    WHERE user_id = :user_id AND counterparty_id = :counterparty_id AND day >= :day
    RETURNING day
)
INSERT INTO reporting.counterparty_running (user_id, counterparty_id, day, sent, received, count)
SELECT :user_id, :counterparty_id, :day, coalesce(b.sent, 0) + :sent, coalesce(b.received, 0) + :received,
       coalesce(b.count, 0) + 1
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (
    SELECT sent, received, count FROM reporting.counterparty_running
    WHERE user_id = :user_id AND counterparty_id = :counterparty_id AND day < :day
    ORDER BY day DESC LIMIT 1) AS b ON true
WHERE NOT EXISTS (SELECT 1 FROM later WHERE later.day = :day)
""")


async def _add_counterparty_totals(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    counterparty_id: uuid.UUID,
    day: date,
    sent: Decimal,
    received: Decimal,
) -> None:
    params = {"user_id": user_id, "counterparty_id": counterparty_id, "day": day, "sent": sent, "received": received}
    await session.execute(_ADD_TOTALS, params)
    await session.execute(_ADD_RUNNING, params)


_INSERT_MOVEMENT = insert(movements).values(
    {
        c: bindparam(c)
        for c in (
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
    }
)

_REMEMBER_PARTY = pg_insert(parties).values(
    user_id=bindparam("user_id"), handle=bindparam("handle"), display_name=bindparam("display_name")
)
_REMEMBER_PARTY = _REMEMBER_PARTY.on_conflict_do_update(
    index_elements=["user_id"],
    set_={"handle": _REMEMBER_PARTY.excluded.handle, "display_name": _REMEMBER_PARTY.excluded.display_name},
)


async def _remember_party(session: AsyncSession, party: Party) -> None:
    await session.execute(
        _REMEMBER_PARTY, {"user_id": party.user_id, "handle": party.handle, "display_name": party.display_name}
    )


async def _transfer(session: AsyncSession, event: EventEnvelope) -> None:
    t = Transfer.of(event)
    # Rows of both parties are locked in one global order (parties first, then by user id): two
    # transfers between the same users in opposite directions, applied concurrently, used to lock
    # A-then-B and B-then-A and deadlock (found by the proof suite's bank test).
    for party in sorted((t.sender, t.recipient), key=lambda p: p.user_id):
        await _remember_party(session, party)
    for me, other, direction in t.sides():
        await session.execute(
            _INSERT_MOVEMENT,
            {
                "user_id": me.user_id,
                "event_id": event.id,
                "occurred_at": t.when,
                "type": "transfer",
                "direction": direction,
                "amount": t.amount,
                "currency": t.currency,
                "balance_after": me.balance_after,
                "counterparty_id": other.user_id,
                "counterparty_handle": other.handle,
                "counterparty_name": other.display_name,
                "reference": t.reference,
                "note": t.note,
            },
        )
        col = "transfer_out" if direction == "out" else "transfer_in"
        await _add(session, user_daily, {"user_id": me.user_id, "day": t.day}, {col: t.amount, f"{col}_count": 1})
        sent, received = (t.amount, ZERO) if direction == "out" else (ZERO, t.amount)
        await _add(
            session,
            counterparty_daily,
            {"user_id": me.user_id, "day": t.day, "counterparty_id": other.user_id},
            {"sent": sent, "received": received, "count": 1},
        )
        await _add_counterparty_totals(
            session, user_id=me.user_id, counterparty_id=other.user_id, day=t.day, sent=sent, received=received
        )
    await _add(session, platform_daily, {"day": t.day}, {"transfer_volume": t.amount, "transfer_count": 1})


def _wallet_movement(kind: str):
    async def apply(session: AsyncSession, event: EventEnvelope) -> None:
        m = WalletMovement.of(event, kind)
        await session.execute(
            _INSERT_MOVEMENT,
            {
                "user_id": m.user_id,
                "event_id": event.id,
                "occurred_at": m.when,
                "type": kind,
                "direction": m.direction,
                "amount": m.amount,
                "currency": m.currency,
                "balance_after": m.balance_after,
                "counterparty_id": None,
                "counterparty_handle": None,
                "counterparty_name": None,
                "reference": m.reference,
                "note": None,
            },
        )
        await _add(session, user_daily, {"user_id": m.user_id, "day": m.day}, {kind: m.amount, f"{kind}_count": 1})
        await _add(session, platform_daily, {"day": m.day}, {f"{kind}_volume": m.amount, f"{kind}_count": 1})

    return apply


async def _registered(session: AsyncSession, event: EventEnvelope) -> None:
    user_id = parse_uid(event.data.get("user_id"), "user_id")
    inserted = (
        await session.execute(
            pg_insert(users)
            .values(user_id=user_id, registered_at=event.occurred_at)
            .on_conflict_do_nothing()
            .returning(users.c.user_id)
        )
    ).first()
    if inserted:
        await _add(session, platform_daily, {"day": utc_day(event.occurred_at)}, {"new_users": 1})


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
