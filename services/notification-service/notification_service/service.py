"""The notification service's domain logic (no SQL: repository.py).

The writer, `apply_events`, is the only path by which events become notifications:
`POST /internal/events` calls it with one event, `POST /internal/events/batch` with the batch.
Everything that can fail on an event's content (its `events.notifications_for`, the texts, the
JSON) and the recipients' profiles (a network call) come before the transaction, so a bad event
raises with nothing written and no lock is held during a call to user-service. In one
transaction it then claims the ids (an id seen before, or repeated in the batch after its first
occurrence, adds nothing) and stores one notification per spec, with its channel deliveries.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.db.database import Database
from instapay_common.db.rawsql import transaction
from instapay_common.events.envelope import EventEnvelope
from instapay_common.web.cursor import bigint, unpack
from notification_service import repository
from notification_service.config import DEFAULT_SUPPORT_CONTACT
from notification_service.events import NotificationSpec, notifications_for
from notification_service.exceptions import InvalidCursor, InvalidEvent, InvalidEvents, NotificationNotFound
from notification_service.profiles import Profile, ProfileDirectory
from notification_service.repository import NewNotification, NotificationRow
from notification_service.schemas import Notification, NotificationPage
from notification_service.templates import TEMPLATES, render
from notification_service.webhooks import deliveries as webhook_deliveries

STREAM_PAGE = 100  # rows a live stream reads at a time


@dataclass(frozen=True)
class Applied:
    applied: set[uuid.UUID]  # event ids that created notifications now
    created: list[tuple[uuid.UUID, int]]  # (user_id, seq), in seq order


def wanted_channels(profile: Profile | None) -> list[tuple[str, str | None]]:
    """(channel, address) rows to create; with no profile yet both are created and the dispatcher
    decides once it can read the preferences."""
    if profile is None:
        return [("email", None), ("sms", None)]
    rows: list[tuple[str, str | None]] = []
    if profile.email_address:
        rows.append(("email", profile.email_address))
    if profile.sms_number:
        rows.append(("sms", profile.sms_number))
    return rows


def _rows(
    event: EventEnvelope, specs: list[NotificationSpec], profiles: dict[uuid.UUID, Profile | None]
) -> list[NewNotification]:
    rows = []
    for spec in specs:
        profile = profiles.get(spec.user_id)
        rendered = render(spec.kind, profile.language if profile else None, spec.data)
        rows.append(
            NewNotification(
                uuid.uuid4(),
                event.id,
                event.occurred_at,
                spec.user_id,
                spec.kind,
                rendered.title,
                rendered.body,
                orjson.dumps(spec.data).decode(),
                rendered.language,
                wanted_channels(profile),
            )
        )
    return rows


async def apply_events(
    db: Database,
    events: Sequence[EventEnvelope],
    profiles: ProfileDirectory,
    *,
    support_contact: str = DEFAULT_SUPPORT_CONTACT,
) -> Applied:
    """Stores the notifications of the events not seen before, in event order, in one
    transaction. Raises (nothing written) if the database fails, or InvalidEvents naming every
    invalid event (checked before any profile lookup or write) so that a batch can be applied
    again without them. A
    missing profile only means English text now and the channel choice later, by the dispatcher."""
    specs: dict[uuid.UUID, tuple[EventEnvelope, list[NotificationSpec]]] = {}
    invalid: dict[uuid.UUID, InvalidEvent] = {}
    for event in events:  # an id repeated in the batch: its first occurrence counts
        if event.id in specs or event.id in invalid:
            continue
        try:
            specs[event.id] = (event, notifications_for(event, support_contact=support_contact))
        except InvalidEvent as exc:
            invalid[event.id] = exc
    if invalid:  # every bad one named at once, so the batch is applied again without them all
        raise InvalidEvents(invalid)
    found = await profiles.get_many(s.user_id for _, event_specs in specs.values() for s in event_specs)
    rows = {eid: _rows(event, event_specs, found) for eid, (event, event_specs) in specs.items()}
    hooks = {eid: webhook_deliveries.messages_for(event) for eid, (event, _) in specs.items()}
    revoked = {eid: webhook_deliveries.revoked_client(event) for eid, (event, _) in specs.items()}
    async with transaction(db) as conn:
        claimed = await repository.claim(conn, {eid: event.type for eid, (event, _) in specs.items()})
        todo = [row for eid, event_rows in rows.items() if eid in claimed for row in event_rows]
        created = await repository.insert(conn, todo)
        # A revoked API client's endpoints are disabled before this batch's messages are enqueued.
        await webhook_deliveries.disable_revoked(
            conn, [r for eid, r in revoked.items() if eid in claimed and r is not None]
        )
        # Same transaction as the claim: webhooks exactly once per event (webhooks/deliveries.py).
        await webhook_deliveries.enqueue(conn, [m for eid, ms in hooks.items() if eid in claimed for m in ms])
    return Applied({r.event_id for r in todo}, created)


# --- the caller's notifications ------------------------------------------------------------------


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


def _rfc3339(ts: datetime) -> str:
    return ts.isoformat().replace("+00:00", "Z")


def public(row: NotificationRow, language: str | None = None) -> Notification:
    """The notification as its reader sees it: title and body rendered again from its kind and
    data in `language` (the reader's language now; None: the one it was stored in), so one stored
    in English before the user switched to Arabic reads in Arabic. The stored text stays as the
    record of what was delivered, and is shown for a kind this version has no template for."""
    title, body = row.title, row.body
    if row.type in TEMPLATES:
        rendered = render(row.type, language or row.language, row.data)
        title, body = rendered.title, rendered.body
    return Notification(
        id=str(row.id),
        type=row.type,
        title=title,
        body=body,
        data=row.data,
        created_at=_rfc3339(row.created_at),
        read_at=_rfc3339(row.read_at) if row.read_at else None,
    )


async def reader_language(profiles: ProfileDirectory, user_id: uuid.UUID) -> str | None:
    """The reader's language preference now (None if user-service cannot say: stored language)."""
    profile = await profiles.get(user_id)
    return profile.language if profile else None


async def list_page(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    unread_only: bool,
    limit: int,
    cursor: str | None,
    language: str | None = None,
) -> NotificationPage:
    """Newest first, keyset on seq: stable while new notifications arrive."""
    rows = await repository.newest_first(
        session,
        user_id=user_id,
        unread_only=unread_only,
        before_seq=decode_cursor(cursor) if cursor else None,
        limit=limit + 1,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return NotificationPage(
        items=[public(r, language) for r in rows], next_cursor=encode_cursor(rows[-1].seq) if more else None
    )


async def mark_read(session: AsyncSession, *, user_id: uuid.UUID, notification_id: uuid.UUID) -> None:
    if not await repository.mark_read(session, user_id=user_id, notification_id=notification_id):
        raise NotificationNotFound("no such notification")


async def mark_all_read(session: AsyncSession, *, user_id: uuid.UUID) -> int:
    return await repository.mark_all_read(session, user_id=user_id)


async def since(session: AsyncSession, *, user_id: uuid.UUID, after_seq: int) -> list[NotificationRow]:
    """The next `STREAM_PAGE` notifications after `after_seq`, oldest first (a live stream's read)."""
    return await repository.since(session, user_id=user_id, after_seq=after_seq, limit=STREAM_PAGE)


async def latest_seq(session: AsyncSession, *, user_id: uuid.UUID) -> int:
    return await repository.latest_seq(session, user_id=user_id)
