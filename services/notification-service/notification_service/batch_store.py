"""A batch of events applied in one transaction on the raw asyncpg connection (the apply-many path
of `POST /internal/events/batch`, `instapay_common.events.batch`).

Same rows as `store.apply_event` applied to each event in batch order, with one statement per
step instead of one transaction of ~6 statements per event: claim every id, take every recipient's
lock, insert every notification, every delivery, one NOTIFY statement. Everything that can fail
on an event's content (its specs, the texts, the JSON) runs before the transaction, so a bad event
raises with nothing written and the caller applies the events one by one.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import orjson

from instapay_common.db.database import Database
from instapay_common.db.rawsql import Sql, transaction
from instapay_common.events.envelope import EventEnvelope
from instapay_common.events.inbox import claim_many_sql
from notification_service.events import NotificationSpec, notifications_for
from notification_service.profiles import Profile, ProfileDirectory
from notification_service.store import LIVE_CHANNEL, LOCK_USERS_SQL, NOTIFY_SQL, user_lock_key, wanted_channels
from notification_service.templates import render

SCHEMA = "notifications"
CLAIM = claim_many_sql(SCHEMA)
LOCK_USERS = Sql(LOCK_USERS_SQL)
NOTIFY = Sql(NOTIFY_SQL)
# ORDER BY ordinality: identity values are drawn as rows are inserted, so each user's seq order is
# the batch's event order (as if the events had been applied one after another).
INSERT_NOTIFICATIONS = Sql(
    f"INSERT INTO {SCHEMA}.notifications (id, user_id, type, title, body, data, language, event_id, created_at) "  # noqa: S608 - schema is ours
    "SELECT r.id, r.user_id, r.type, r.title, r.body, CAST(r.data AS jsonb), r.language, r.event_id, r.created_at "
    "FROM unnest(CAST(:ids AS uuid[]), CAST(:user_ids AS uuid[]), CAST(:types AS text[]), CAST(:titles AS text[]), "
    "CAST(:bodies AS text[]), CAST(:data AS text[]), CAST(:languages AS text[]), CAST(:event_ids AS uuid[]), "
    "CAST(:created_at AS timestamptz[])) WITH ORDINALITY "
    "AS r(id, user_id, type, title, body, data, language, event_id, created_at, ord) "
    "ORDER BY r.ord RETURNING id, seq"
)
INSERT_DELIVERIES = Sql(
    f"INSERT INTO {SCHEMA}.deliveries (notification_seq, channel, address) "  # noqa: S608 - schema is ours
    "SELECT r.seq, r.channel, r.address FROM unnest(CAST(:seqs AS bigint[]), CAST(:channels AS text[]), "
    "CAST(:addresses AS text[])) WITH ORDINALITY AS r(seq, channel, address, ord) ORDER BY r.ord"
)


@dataclass(frozen=True)
class _Row:
    """One notification to insert, texts already rendered."""

    id: uuid.UUID
    event_id: uuid.UUID
    created_at: datetime
    user_id: uuid.UUID
    kind: str
    title: str
    body: str
    data: str  # JSON
    language: str
    channels: list[tuple[str, str | None]]


@dataclass(frozen=True)
class BatchApplied:
    applied: set[uuid.UUID]  # event ids that created notifications now
    created: list[tuple[uuid.UUID, int]]  # (user_id, seq), in seq order


def _rows(event: EventEnvelope, specs: list[NotificationSpec], profiles: dict[uuid.UUID, Profile | None]) -> list[_Row]:
    rows = []
    for spec in specs:
        profile = profiles.get(spec.user_id)
        rendered = render(spec.kind, profile.language if profile else None, spec.data)
        rows.append(
            _Row(
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


async def apply_events(db: Database, events: Sequence[EventEnvelope], profiles: ProfileDirectory) -> BatchApplied:
    """Applies the events not seen before, in order, in one transaction. Raises (nothing written)
    if any event is invalid or the database fails."""
    specs = {}
    for event in events:  # an id repeated inside the batch: its first occurrence counts, as one by one
        if event.id not in specs:
            specs[event.id] = (event, notifications_for(event))  # InvalidEvent -> the caller's fallback
    # Profiles before the transaction: no network call while holding the users' locks.
    found = await profiles.get_many(s.user_id for _, event_specs in specs.values() for s in event_specs)
    rows = {eid: _rows(event, event_specs, found) for eid, (event, event_specs) in specs.items()}
    # Claimed in id order: two batches sharing ids wait for each other's inbox rows in one order,
    # never crosswise (a deadlock).
    claim_order = sorted(specs)
    async with transaction(db) as conn:
        claimed = {
            r[0] for r in await conn.fetch(CLAIM, ids=claim_order, types=[specs[i][0].type for i in claim_order])
        }
        todo = [row for eid, event_rows in rows.items() if eid in claimed for row in event_rows]
        if not todo:
            return BatchApplied(set(), [])
        # A user's seq order equals commit order (store.apply_event): every recipient of the batch
        # is locked, in key order, before the first insert.
        await conn.execute(LOCK_USERS, keys=sorted({user_lock_key(r.user_id) for r in todo}))
        inserted = await conn.fetch(
            INSERT_NOTIFICATIONS,
            ids=[r.id for r in todo],
            user_ids=[r.user_id for r in todo],
            types=[r.kind for r in todo],
            titles=[r.title for r in todo],
            bodies=[r.body for r in todo],
            data=[r.data for r in todo],
            languages=[r.language for r in todo],
            event_ids=[r.event_id for r in todo],
            created_at=[r.created_at for r in todo],
        )
        seq_of = {rec["id"]: rec["seq"] for rec in inserted}
        channels = [(seq_of[r.id], ch, addr) for r in todo for ch, addr in r.channels]
        if channels:
            await conn.execute(
                INSERT_DELIVERIES,
                seqs=[c[0] for c in channels],
                channels=[c[1] for c in channels],
                addresses=[c[2] for c in channels],
            )
        created = [(r.user_id, seq_of[r.id]) for r in todo]
        # live streams learn of them on commit (NOTIFY is transactional)
        await conn.execute(NOTIFY, ch=LIVE_CHANNEL, payloads=[f"{u}:{seq}" for u, seq in created])
    return BatchApplied({r.event_id for r in todo}, created)
