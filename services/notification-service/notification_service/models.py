"""ORM models of the notification service; every table lives in the "notifications" schema."""

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase

from instapay_common.audit.chain import audit_table
from instapay_common.db.database import schema_metadata
from instapay_common.events.inbox import inbox_table


class Base(DeclarativeBase):
    metadata = schema_metadata("notifications")


# Ids of events already applied: this subscriber dedupes on them.
processed_events = inbox_table(Base.metadata)
# The tamper-evident audit chain (webhooks.audit), append-only for the runtime role.
audit_log = audit_table(Base.metadata)

# In-app notifications. `seq` is the SSE event id and the list's keyset cursor; inserts for one
# user are serialized (advisory lock) so a user's seq order is also their commit order.
notifications = Table(
    "notifications",
    Base.metadata,
    Column("seq", BigInteger, Identity(always=True), primary_key=True),
    Column("id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("user_id", UUID(as_uuid=True), nullable=False),
    Column("type", String(64), nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("data", JSONB, nullable=False),
    Column("language", String(8), nullable=False),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("read_at", DateTime(timezone=True), nullable=True),
    Index("ix_notifications_user_seq", "user_id", "seq"),
    Index("ix_notifications_user_unread", "user_id", "seq", postgresql_where=text("read_at IS NULL")),
)

# Outbound channel deliveries (email, sms): retried by the dispatcher, independent of each other.
deliveries = Table(
    "deliveries",
    Base.metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    Column(
        "notification_seq",
        BigInteger,
        ForeignKey("notifications.notifications.seq", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("channel", String(16), nullable=False),
    # pending -> sent | skipped (preference off / no address) | failed (gave up)
    Column("status", String(16), nullable=False, server_default=text("'pending'")),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("address", Text, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_deliveries_due", "next_attempt_at", postgresql_where=text("status = 'pending'")),
)
