"""All SQL of the notification service: the writer's statements and the delivery queue's on the
raw asyncpg connection (instapay_common.db.rawsql), the list and read-state queries on an
SQLAlchemy AsyncSession.

A user's notifications get increasing `seq` numbers in commit order: every writer takes the
advisory locks of all its recipients (one statement, in key order, so two writers cannot
deadlock) before its first insert, and inserts in event order. An SSE stream that has sent seq N
therefore never later misses a smaller seq of the same user.
"""

from __future__ import annotations

import uuid
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.db.rawsql import RawConnection, Sql
from instapay_common.events.inbox import claim_many_sql
from notification_service.models import notifications

SCHEMA = "notifications"
# The PostgreSQL channel of new notifications: payload '<user_id>:<seq>', delivered on commit.
LIVE_CHANNEL = "notifications_new"

_CLAIM = claim_many_sql(SCHEMA)
_LOCK_USERS = Sql("SELECT pg_advisory_xact_lock(k) FROM unnest(CAST(:keys AS bigint[])) AS k ORDER BY k")
_NOTIFY = Sql("SELECT pg_notify(:ch, p) FROM unnest(CAST(:payloads AS text[])) AS p")
# ORDER BY ordinality: identity values are drawn as rows are inserted, so each user's seq order is
# the order of the rows given.
_INSERT_NOTIFICATIONS = Sql(
    f"INSERT INTO {SCHEMA}.notifications (id, user_id, type, title, body, data, language, event_id, created_at) "  # noqa: S608 - schema is ours
    "SELECT r.id, r.user_id, r.type, r.title, r.body, CAST(r.data AS jsonb), r.language, r.event_id, r.created_at "
    "FROM unnest(CAST(:ids AS uuid[]), CAST(:user_ids AS uuid[]), CAST(:types AS text[]), CAST(:titles AS text[]), "
    "CAST(:bodies AS text[]), CAST(:data AS text[]), CAST(:languages AS text[]), CAST(:event_ids AS uuid[]), "
    "CAST(:created_at AS timestamptz[])) WITH ORDINALITY "
    "AS r(id, user_id, type, title, body, data, language, event_id, created_at, ord) "
    "ORDER BY r.ord RETURNING id, seq"
)
_INSERT_DELIVERIES = Sql(
    f"INSERT INTO {SCHEMA}.deliveries (notification_seq, channel, address) "  # noqa: S608 - schema is ours
    "SELECT r.seq, r.channel, r.address FROM unnest(CAST(:seqs AS bigint[]), CAST(:channels AS text[]), "
    "CAST(:addresses AS text[])) WITH ORDINALITY AS r(seq, channel, address, ord) ORDER BY r.ord"
)


def user_lock_key(user_id: uuid.UUID) -> int:
    return zlib.crc32(user_id.bytes) - 2**31  # fits a signed int4/int8 advisory key


@dataclass(frozen=True)
class NewNotification:
    """One notification to insert, texts already rendered, with its channel deliveries."""

    id: uuid.UUID
    event_id: uuid.UUID
    created_at: datetime
    user_id: uuid.UUID
    kind: str
    title: str
    body: str
    data: str  # JSON
    language: str
    channels: list[tuple[str, str | None]]  # (channel, address)


async def claim(conn: RawConnection, types: Mapping[uuid.UUID, str]) -> set[uuid.UUID]:
    """Inserts the event ids (id -> type) in the inbox; returns those not seen before. Claimed in
    id order: two writers sharing ids wait for each other's inbox rows in one order."""
    ids = sorted(types)
    return {r[0] for r in await conn.fetch(_CLAIM, ids=ids, types=[types[i] for i in ids])}


async def insert(conn: RawConnection, rows: Sequence[NewNotification]) -> list[tuple[uuid.UUID, int]]:
    """Inserts the notifications in order with their deliveries, and signals live streams once
    per user (NOTIFY is delivered on commit). Returns (user_id, seq) of each, in order."""
    if not rows:
        return []
    await conn.execute(_LOCK_USERS, keys=sorted({user_lock_key(r.user_id) for r in rows}))
    inserted = await conn.fetch(
        _INSERT_NOTIFICATIONS,
        ids=[r.id for r in rows],
        user_ids=[r.user_id for r in rows],
        types=[r.kind for r in rows],
        titles=[r.title for r in rows],
        bodies=[r.body for r in rows],
        data=[r.data for r in rows],
        languages=[r.language for r in rows],
        event_ids=[r.event_id for r in rows],
        created_at=[r.created_at for r in rows],
    )
    seq_of: dict[uuid.UUID, int] = {rec["id"]: rec["seq"] for rec in inserted}
    channels = [(seq_of[r.id], ch, addr) for r in rows for ch, addr in r.channels]
    if channels:
        await conn.execute(
            _INSERT_DELIVERIES,
            seqs=[c[0] for c in channels],
            channels=[c[1] for c in channels],
            addresses=[c[2] for c in channels],
        )
    created = [(r.user_id, seq_of[r.id]) for r in rows]
    # One NOTIFY per user, with their last seq: a wake-up makes the streams read every new row
    # of that user anyway, and a batch with ten notices for one user need not wake them ten times.
    last = dict(created)  # rows are in seq order, so each user's last seq wins
    await conn.execute(_NOTIFY, ch=LIVE_CHANNEL, payloads=[f"{u}:{seq}" for u, seq in last.items()])
    return created


# --- reads and read state ------------------------------------------------------------------------


class NotificationRow(NamedTuple):
    seq: int
    id: uuid.UUID
    type: str
    title: str
    body: str
    data: dict[str, Any]
    created_at: datetime
    read_at: datetime | None
    language: str  # the language it was stored (delivered) in


_PUBLIC_COLUMNS = tuple(notifications.c[name] for name in NotificationRow._fields)


async def newest_first(
    session: AsyncSession, *, user_id: uuid.UUID, unread_only: bool, before_seq: int | None, limit: int
) -> list[NotificationRow]:
    """Up to `limit` of the user's notifications with seq < `before_seq` (all if None), newest first."""
    stmt = select(*_PUBLIC_COLUMNS).where(notifications.c.user_id == user_id)
    if unread_only:
        stmt = stmt.where(notifications.c.read_at.is_(None))
    if before_seq is not None:
        stmt = stmt.where(notifications.c.seq < before_seq)
    result = await session.execute(stmt.order_by(notifications.c.seq.desc()).limit(limit))
    return [NotificationRow._make(r) for r in result.all()]


async def since(session: AsyncSession, *, user_id: uuid.UUID, after_seq: int, limit: int) -> list[NotificationRow]:
    """The user's notifications with seq > `after_seq`, oldest first."""
    stmt = (
        select(*_PUBLIC_COLUMNS)
        .where(notifications.c.user_id == user_id, notifications.c.seq > after_seq)
        .order_by(notifications.c.seq)
        .limit(limit)
    )
    return [NotificationRow._make(r) for r in (await session.execute(stmt)).all()]


async def latest_seq(session: AsyncSession, *, user_id: uuid.UUID) -> int:
    stmt = select(func.coalesce(func.max(notifications.c.seq), 0)).where(notifications.c.user_id == user_id)
    return int((await session.execute(stmt)).scalar_one())


async def mark_read(session: AsyncSession, *, user_id: uuid.UUID, notification_id: uuid.UUID) -> bool:
    """False if the user has no such notification. Reading again keeps the first read time."""
    async with session.begin():
        found = (
            await session.execute(
                update(notifications)
                .where(notifications.c.id == notification_id, notifications.c.user_id == user_id)
                .values(read_at=func.coalesce(notifications.c.read_at, func.now()))
                .returning(notifications.c.seq)
            )
        ).first()
    return found is not None


async def mark_all_read(session: AsyncSession, *, user_id: uuid.UUID) -> int:
    async with session.begin():
        result = await session.execute(
            update(notifications)
            .where(notifications.c.user_id == user_id, notifications.c.read_at.is_(None))
            .values(read_at=func.now())
        )
    count: int = getattr(result, "rowcount", 0) or 0
    return count


# --- the delivery queue (dispatcher) -------------------------------------------------------------


class DueDelivery(NamedTuple):
    id: int
    channel: str
    attempts: int
    address: str | None
    notification_seq: int
    user_id: uuid.UUID
    type: str
    data: dict[str, Any]
    language: str
    title: str  # the text stored in `language`: what is sent when the reader's language is still that
    body: str


@dataclass(frozen=True)
class DeliveryOutcome:
    """What to write for one delivery: `delay` (seconds) only for a retry."""

    status: str
    attempts: int
    error: str | None
    delay: float | None


_CLAIM_DUE = Sql(
    "SELECT d.id, d.channel, d.attempts, d.address, d.notification_seq, n.user_id, n.type, n.data, n.language, "
    "n.title, n.body "
    "FROM notifications.deliveries AS d JOIN notifications.notifications AS n ON n.seq = d.notification_seq "
    "WHERE d.status = 'pending' AND d.next_attempt_at <= now() "
    "ORDER BY d.next_attempt_at LIMIT :limit FOR UPDATE OF d SKIP LOCKED"
)
# Every outcome of a claimed batch in one statement; `delay` is set only for a retry (the row stays
# pending and is due again after it), `sent_at` only for a sent row.
_RECORD = Sql(
    "UPDATE notifications.deliveries AS d SET status = r.status, attempts = r.attempts, last_error = r.error, "
    "sent_at = CASE WHEN r.status = 'sent' THEN now() ELSE d.sent_at END, "
    "next_attempt_at = CASE WHEN r.delay IS NULL THEN d.next_attempt_at "
    "ELSE clock_timestamp() + make_interval(secs => r.delay) END "
    "FROM unnest(CAST(:ids AS bigint[]), CAST(:statuses AS text[]), CAST(:attempts AS integer[]), "
    "CAST(:errors AS text[]), CAST(:delays AS double precision[])) AS r(id, status, attempts, error, delay) "
    "WHERE d.id = r.id"
)


async def claim_due(conn: RawConnection, *, limit: int) -> list[DueDelivery]:
    """Up to `limit` pending deliveries that are due, locked until the caller's transaction ends;
    rows another transaction holds are skipped, so any number of dispatchers run side by side."""
    return [DueDelivery(*r) for r in await conn.fetch(_CLAIM_DUE, limit=limit)]


async def record(conn: RawConnection, outcomes: Sequence[tuple[DueDelivery, DeliveryOutcome]]) -> None:
    await conn.execute(
        _RECORD,
        ids=[d.id for d, _ in outcomes],
        statuses=[o.status for _, o in outcomes],
        attempts=[o.attempts for _, o in outcomes],
        errors=[o.error for _, o in outcomes],
        delays=[o.delay for _, o in outcomes],
    )
