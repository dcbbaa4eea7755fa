"""Notification persistence: applying an event (once), listing and marking read."""

from __future__ import annotations

import base64
import uuid
import zlib
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.events.envelope import EventEnvelope
from instapay_common.events.inbox import claim_event
from instapay_common.web.cursor import bigint, unpack
from notification_service.events import NotificationSpec
from notification_service.exceptions import InvalidCursor, NotificationNotFound
from notification_service.models import deliveries, notifications, processed_events
from notification_service.profiles import Profile
from notification_service.templates import render

LIVE_CHANNEL = "notifications_new"
# Shared with batch_store (raw connection): every per-user lock in one statement, in key order.
LOCK_USERS_SQL = "SELECT pg_advisory_xact_lock(k) FROM unnest(CAST(:keys AS bigint[])) AS k ORDER BY k"
NOTIFY_SQL = "SELECT pg_notify(:ch, p) FROM unnest(CAST(:payloads AS text[])) AS p"

PUBLIC_COLUMNS = (
    notifications.c.seq,
    notifications.c.id,
    notifications.c.type,
    notifications.c.title,
    notifications.c.body,
    notifications.c.data,
    notifications.c.created_at,
    notifications.c.read_at,
)


def user_lock_key(user_id: uuid.UUID) -> int:
    return zlib.crc32(user_id.bytes) - 2**31  # fits a signed int4/int8 advisory key


def wanted_channels(profile: Profile | None) -> list[tuple[str, str | None]]:
    """(channel, address) rows to create; with no profile yet both are created and the dispatcher
    decides once it can read the preferences."""
    if profile is None:
        return [("email", None), ("sms", None)]
    rows: list[tuple[str, str | None]] = []
    if profile.notify_email and profile.email:
        rows.append(("email", profile.email))
    if profile.notify_sms and profile.phone:
        rows.append(("sms", profile.phone))
    return rows


async def apply_event(
    session: AsyncSession,
    *,
    event: EventEnvelope,
    specs: list[NotificationSpec],
    profiles: dict[uuid.UUID, Profile | None],
) -> list[tuple[uuid.UUID, int]]:
    """In one transaction: claims the event id, stores one notification per spec with its channel
    deliveries, and signals live streams (NOTIFY is delivered only on commit). Returns the
    (user_id, seq) pairs created; empty for a duplicate event."""
    async with session.begin():
        if not await claim_event(session, processed_events, event.id, event.type):
            return []
        # Serialize inserts per user so that a user's seq order equals commit order: an SSE stream
        # that has sent seq N can never later miss a smaller seq for the same user. One statement
        # takes every lock, in a fixed order (no deadlock between two events of the same users).
        keys = sorted({user_lock_key(s.user_id) for s in specs})
        if keys:
            await session.execute(text(LOCK_USERS_SQL), {"keys": keys})
        created: list[tuple[uuid.UUID, int]] = []
        channel_rows: list[dict[str, Any]] = []
        for spec in specs:
            profile = profiles.get(spec.user_id)
            rendered = render(spec.kind, profile.language if profile else None, spec.data)
            seq = (
                await session.execute(
                    insert(notifications)
                    .values(
                        id=uuid.uuid4(),
                        user_id=spec.user_id,
                        type=spec.kind,
                        title=rendered.title,
                        body=rendered.body,
                        data=spec.data,
                        language=rendered.language,
                        event_id=event.id,
                        created_at=event.occurred_at,
                    )
                    .returning(notifications.c.seq)
                )
            ).scalar_one()
            channel_rows += [
                {"notification_seq": seq, "channel": ch, "address": addr} for ch, addr in wanted_channels(profile)
            ]
            created.append((spec.user_id, seq))
        if channel_rows:
            await session.execute(insert(deliveries), channel_rows)
        if created:  # live streams learn of them on commit (NOTIFY is transactional)
            await session.execute(
                text(NOTIFY_SQL), {"ch": LIVE_CHANNEL, "payloads": [f"{u}:{seq}" for u, seq in created]}
            )
        return created


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"n:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        prefix, _, value = unpack(cursor).partition(":")
        if prefix != "n":
            raise ValueError(prefix)
        return bigint(value)
    except ValueError as exc:
        raise InvalidCursor(
            "cursor is not one this API returned", errors=[{"field": "cursor", "message": "invalid cursor"}]
        ) from exc


def public(row: Any) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "type": row.type,
        "title": row.title,
        "body": row.body,
        "data": row.data,
        "created_at": _rfc3339(row.created_at),
        "read_at": _rfc3339(row.read_at) if row.read_at else None,
    }


def _rfc3339(ts: datetime) -> str:
    return ts.isoformat().replace("+00:00", "Z")


async def list_page(
    session: AsyncSession, *, user_id: uuid.UUID, unread_only: bool, limit: int, cursor: str | None
) -> dict[str, Any]:
    """Newest first, keyset on seq: stable while new notifications arrive."""
    stmt = select(*PUBLIC_COLUMNS).where(notifications.c.user_id == user_id)
    if unread_only:
        stmt = stmt.where(notifications.c.read_at.is_(None))
    if cursor:
        stmt = stmt.where(notifications.c.seq < decode_cursor(cursor))
    rows = (await session.execute(stmt.order_by(notifications.c.seq.desc()).limit(limit + 1))).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": [public(r) for r in rows], "next_cursor": encode_cursor(rows[-1].seq) if more else None}


async def mark_read(session: AsyncSession, *, user_id: uuid.UUID, notification_id: uuid.UUID) -> None:
    async with session.begin():
        found = (
            await session.execute(
                update(notifications)
                .where(notifications.c.id == notification_id, notifications.c.user_id == user_id)
                .values(read_at=func.coalesce(notifications.c.read_at, func.now()))
                .returning(notifications.c.seq)
            )
        ).first()
    if found is None:
        raise NotificationNotFound("no such notification")


async def mark_all_read(session: AsyncSession, *, user_id: uuid.UUID) -> int:
    async with session.begin():
        result = await session.execute(
            update(notifications)
            .where(notifications.c.user_id == user_id, notifications.c.read_at.is_(None))
            .values(read_at=func.now())
        )
    return result.rowcount or 0


async def since(session: AsyncSession, *, user_id: uuid.UUID, after_seq: int, limit: int = 100) -> list[Any]:
    stmt = (
        select(*PUBLIC_COLUMNS)
        .where(notifications.c.user_id == user_id, notifications.c.seq > after_seq)
        .order_by(notifications.c.seq)
        .limit(limit)
    )
    return list((await session.execute(stmt)).all())


async def latest_seq(session: AsyncSession, *, user_id: uuid.UUID) -> int:
    stmt = select(func.coalesce(func.max(notifications.c.seq), 0)).where(notifications.c.user_id == user_id)
    return int((await session.execute(stmt)).scalar_one())
