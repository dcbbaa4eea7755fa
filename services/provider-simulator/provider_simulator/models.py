"""Tables of the simulator's schema (`simulator`): what it has charged and paid out, and the
queue of callbacks still to deliver. Both survive a restart of the process."""

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase

from instapay_common.db.database import schema_metadata


class Base(DeclarativeBase):
    metadata = schema_metadata("simulator")


# Charges and payouts share one shape: `kind` tells them apart, the idempotency key is unique per
# kind. A payout canceled before it was ever requested is a tombstone (amount NULL) that refuses
# any later payout under its key.
operations = Table(
    "operations",
    Base.metadata,
    Column("id", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("idempotency_key", Text, nullable=False),
    Column("request_hash", Text),
    Column("amount", Numeric(20, 2)),
    Column("currency", Text),
    Column("method", Text),
    Column("reference", Text),
    Column("metadata", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("status", Text, nullable=False),
    Column("failure_reason", Text),
    Column("due_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("settled_at", DateTime(timezone=True)),
    UniqueConstraint("kind", "idempotency_key"),
    Index("ix_operations_due", "due_at", postgresql_where=text("status = 'pending'")),
    Index("ix_operations_settled_at", "settled_at"),
)

# Callbacks to deliver: the body is fixed when the event happens (same event id and bytes on every
# retry); only the signature is made at each attempt, so a late retry is not stale.
callbacks = Table(
    "callbacks",
    Base.metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    Column("event_id", Text, nullable=False, unique=True),
    Column("body", LargeBinary, nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("delivered_at", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_callbacks_due", "next_attempt_at", postgresql_where=text("delivered_at IS NULL")),
)
