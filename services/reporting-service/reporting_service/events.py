"""The events reporting consumes and their effects on the read model, as pure functions of an
`EventEnvelope` (no I/O): `effects(event)` says what one event adds, and the writer
(`service.apply_events`) applies the effects of a batch of events in one transaction.

Every effect is additive (an increment of a per-key sum, an inserted row) or a last-wins naming,
so the read model does not depend on the order in which events are delivered. An event with bad
data raises InvalidEvent here, before anything is written.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from instapay_common.events.envelope import EventEnvelope
from reporting_service.exceptions import InvalidEvent

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

Direction = Literal["in", "out"]
WalletKind = Literal["topup", "withdrawal"]
# The user_daily column pair (amount, `<kind>_count`) a movement adds to.
UserDayKind = Literal["transfer_out", "transfer_in", "topup", "withdrawal"]
# The platform_daily column pair (`<kind>_volume`, `<kind>_count`) a movement adds to.
PlatformKind = Literal["transfer", "topup", "withdrawal"]


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


def _amount(data: dict[str, Any]) -> Decimal:
    value = parse_amount(data)
    assert value is not None  # required: parse_amount raised otherwise
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
    """A transfer.completed event's data, parsed and checked."""

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
        amount = _amount(d)
        sender, recipient = Party.of(d, "sender"), Party.of(d, "recipient")
        when = event_time(event)
        return cls(
            amount,
            sender,
            recipient,
            when,
            utc_day(when),
            _reference(d, "transfer_id"),
            str(d.get("currency") or "EGP"),
            d.get("note"),
        )

    def sides(self) -> list[tuple[Party, Party, Direction]]:
        """(me, other, direction) of both parties, in user id order."""
        sides: list[tuple[Party, Party, Direction]] = [
            (self.sender, self.recipient, "out"),
            (self.recipient, self.sender, "in"),
        ]
        return sorted(sides, key=lambda side: side[0].user_id)


def _reference(d: dict[str, Any], id_key: str) -> str | None:
    """The human reference people see on receipts ("IP7K3Q9X2M"); events from before references
    existed carry none, and their row keeps the movement's id as before."""
    return str(d.get("reference") or d.get(id_key) or "")[:64] or None


@dataclass(frozen=True)
class WalletMovement:
    """A topup.completed / withdrawal.completed event's data, parsed and checked."""

    kind: WalletKind
    user_id: uuid.UUID
    amount: Decimal
    when: datetime
    day: date
    currency: str
    balance_after: Decimal | None
    reference: str | None

    @property
    def direction(self) -> Direction:
        return "in" if self.kind == "topup" else "out"

    @classmethod
    def of(cls, event: EventEnvelope, kind: WalletKind) -> WalletMovement:
        d = event.data
        amount = _amount(d)
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
            _reference(d, "transaction_id"),
        )


# --- effects: what one event adds to the read model ---------------------------------------------


@dataclass(frozen=True)
class Movement:
    """A row of `movements` (a user's side of a money movement, with the balance after it)."""

    user_id: uuid.UUID
    event_id: uuid.UUID
    occurred_at: datetime
    type: str  # transfer, reversal, topup, withdrawal
    direction: Direction
    amount: Decimal
    currency: str
    balance_after: Decimal | None
    counterparty_id: uuid.UUID | None
    counterparty_handle: str | None
    counterparty_name: str | None
    reference: str | None
    note: Any


@dataclass(frozen=True)
class UserDay:
    """Adds `amount` to user_daily's `kind` column and 1 to `<kind>_count`."""

    user_id: uuid.UUID
    day: date
    kind: UserDayKind
    amount: Decimal


@dataclass(frozen=True)
class PairDay:
    """One transfer between a user and a counterparty on a day: counterparty_daily, the pair's
    all-time totals and its running totals from that day on."""

    user_id: uuid.UUID
    day: date
    counterparty_id: uuid.UUID
    sent: Decimal
    received: Decimal


@dataclass(frozen=True)
class PlatformDay:
    """Adds `amount` to platform_daily's `<kind>_volume` and 1 to `<kind>_count`."""

    day: date
    kind: PlatformKind
    amount: Decimal


@dataclass(frozen=True)
class Registration:
    """A user's registration: a `users` row, and one new user on that day if the row is new."""

    user_id: uuid.UUID
    registered_at: datetime

    @property
    def day(self) -> date:
        return utc_day(self.registered_at)


@dataclass(frozen=True)
class Effects:
    """Everything one event adds. `names` are the parties' latest handle and display name (the
    last naming of a user wins)."""

    movements: tuple[Movement, ...] = ()
    names: tuple[Party, ...] = ()
    user_days: tuple[UserDay, ...] = ()
    pair_days: tuple[PairDay, ...] = ()
    platform_days: tuple[PlatformDay, ...] = ()
    registration: Registration | None = None

    @property
    def empty(self) -> bool:
        """True for an event reporting does not use."""
        return not (self.movements or self.names or self.registration)


NONE = Effects()


def _transfer(event: EventEnvelope, movement_type: str = "transfer") -> Effects:
    """A transfer (a refund is one too), or a `reversal`: money between two users, so the same
    effects, the movement rows typed as what they were (the statement names them)."""
    t = Transfer.of(event)
    movements: list[Movement] = []
    user_days: list[UserDay] = []
    pair_days: list[PairDay] = []
    for me, other, direction in t.sides():
        movements.append(
            Movement(
                me.user_id,
                event.id,
                t.when,
                movement_type,
                direction,
                t.amount,
                t.currency,
                me.balance_after,
                other.user_id,
                other.handle,
                other.display_name,
                t.reference,
                t.note,
            )
        )
        user_days.append(UserDay(me.user_id, t.day, "transfer_out" if direction == "out" else "transfer_in", t.amount))
        sent, received = (t.amount, ZERO) if direction == "out" else (ZERO, t.amount)
        pair_days.append(PairDay(me.user_id, t.day, other.user_id, sent, received))
    return Effects(
        movements=tuple(movements),
        names=tuple(sorted((t.sender, t.recipient), key=lambda p: p.user_id)),
        user_days=tuple(user_days),
        pair_days=tuple(pair_days),
        platform_days=(PlatformDay(t.day, "transfer", t.amount),),
    )


def _wallet_movement(event: EventEnvelope, kind: WalletKind) -> Effects:
    m = WalletMovement.of(event, kind)
    row = Movement(
        m.user_id,
        event.id,
        m.when,
        kind,
        m.direction,
        m.amount,
        m.currency,
        m.balance_after,
        None,
        None,
        None,
        m.reference,
        None,
    )
    return Effects(
        movements=(row,),
        user_days=(UserDay(m.user_id, m.day, kind, m.amount),),
        platform_days=(PlatformDay(m.day, kind, m.amount),),
    )


def _registered(event: EventEnvelope) -> Effects:
    return Effects(registration=Registration(parse_uid(event.data.get("user_id"), "user_id"), event.occurred_at))


def effects(event: EventEnvelope) -> Effects:
    """What `event` adds to the read model; nothing for a type reporting does not use. Raises
    InvalidEvent if the data lacks what its type needs."""
    if event.type == "transfer.completed":
        return _transfer(event)
    if event.type == "transfer.reversed":
        return _transfer(event, "reversal")
    if event.type == "topup.completed":
        return _wallet_movement(event, "topup")
    if event.type == "withdrawal.completed":
        return _wallet_movement(event, "withdrawal")
    if event.type == "user.registered":
        return _registered(event)
    return NONE
