"""ORM models of the reporting service: a read model built only from events (never the ledger).

Every table lives in the "reporting" schema and can be truncated and rebuilt by replaying the
event logs (`python -m reporting_service.rebuild`). Days are UTC calendar days.
"""

from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import DeclarativeBase

from instapay_common.db.database import schema_metadata
from instapay_common.events.inbox import inbox_table


class Base(DeclarativeBase):
    metadata = schema_metadata("reporting")


# Ids of events already applied: this subscriber dedupes on them.
processed_events = inbox_table(Base.metadata)

MONEY = Numeric(20, 2)
ZERO = text("0")


def _money(name: str) -> Column[Decimal]:
    return Column(name, MONEY, nullable=False, server_default=ZERO)


def _count(name: str) -> Column[int]:
    return Column(name, Integer, nullable=False, server_default=ZERO)


# One row per user and day with activity: the summary reads at most one row per day of range.
user_daily = Table(
    "user_daily",
    Base.metadata,
    Column("user_id", UUID(as_uuid=True), primary_key=True),
    Column("day", Date, primary_key=True),
    _money("transfer_out"),
    _count("transfer_out_count"),
    _money("transfer_in"),
    _count("transfer_in_count"),
    _money("topup"),
    _count("topup_count"),
    _money("withdrawal"),
    _count("withdrawal_count"),
)

# Transfers per user, counterparty and day (top counterparties over any date range).
counterparty_daily = Table(
    "counterparty_daily",
    Base.metadata,
    Column("user_id", UUID(as_uuid=True), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("counterparty_id", UUID(as_uuid=True), primary_key=True),
    _money("sent"),
    _money("received"),
    _count("count"),
)

# All-time transfers per user and counterparty, with the first and last day of activity: for a
# counterparty whose whole activity lies inside a summary range, the range total is this row.
counterparty_totals = Table(
    "counterparty_totals",
    Base.metadata,
    Column("user_id", UUID(as_uuid=True), primary_key=True),
    Column("counterparty_id", UUID(as_uuid=True), primary_key=True),
    _money("sent"),
    _money("received"),
    _count("count"),
    Column("first_day", Date, nullable=False),
    Column("last_day", Date, nullable=False),
)

# Running totals per user and counterparty: one row per day with activity, holding the sums of
# every day up to and including it. Any range's total for a counterparty is the difference of
# two rows (the last on or before `to`, the last before `from`): two index probes, whatever the
# length of the range or the number of days with activity in it.
counterparty_running = Table(
    "counterparty_running",
    Base.metadata,
    Column("user_id", UUID(as_uuid=True), primary_key=True),
    Column("counterparty_id", UUID(as_uuid=True), primary_key=True),
    Column("day", Date, primary_key=True),
    _money("sent"),
    _money("received"),
    _count("count"),
)

# Latest known handle/display name of each counterparty (from the newest event naming them).
parties = Table(
    "parties",
    Base.metadata,
    Column("user_id", UUID(as_uuid=True), primary_key=True),
    Column("handle", String(64), nullable=True),
    Column("display_name", String(200), nullable=True),
)

# Each money movement of a user with the balance right after it (statements).
movements = Table(
    "movements",
    Base.metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    Column("user_id", UUID(as_uuid=True), nullable=False),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("type", String(16), nullable=False),  # transfer, topup, withdrawal
    Column("direction", String(3), nullable=False),  # in, out
    Column("amount", MONEY, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("balance_after", MONEY, nullable=True),
    Column("counterparty_id", UUID(as_uuid=True), nullable=True),
    Column("counterparty_handle", String(64), nullable=True),
    Column("counterparty_name", String(200), nullable=True),
    Column("reference", String(64), nullable=True),  # the human reference (older events: the id)
    Column("note", Text, nullable=True),
    Index("ix_movements_user_time", "user_id", "occurred_at", "id"),
)

# Platform totals per day (admin overview).
platform_daily = Table(
    "platform_daily",
    Base.metadata,
    Column("day", Date, primary_key=True),
    _money("transfer_volume"),
    _count("transfer_count"),
    _money("topup_volume"),
    _count("topup_count"),
    _money("withdrawal_volume"),
    _count("withdrawal_count"),
    _count("new_users"),
)

# Registered users (from user.registered).
users = Table(
    "users",
    Base.metadata,
    Column("user_id", UUID(as_uuid=True), primary_key=True),
    Column("registered_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_users_registered_at", "registered_at"),
)

READ_MODEL = (
    user_daily,
    counterparty_daily,
    counterparty_totals,
    counterparty_running,
    parties,
    movements,
    platform_daily,
    users,
    processed_events,
)
