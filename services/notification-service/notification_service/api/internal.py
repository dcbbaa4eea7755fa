"""`POST /internal/events` and `/internal/events/batch`: events from the outbox relays
(service-to-service only)."""

import uuid
from collections.abc import Sequence

from fastapi import APIRouter, Response
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.db.database import Database
from instapay_common.events.batch import EventBatchIn, EventBatchOut, apply_batch
from instapay_common.events.envelope import EventEnvelope
from instapay_common.security.internal import InternalCaller
from notification_service import batch_store, store
from notification_service.api.deps import DatabaseDep, DispatcherDep, HubDep, ProfilesDep, SessionDep
from notification_service.events import notifications_for
from notification_service.live import LiveHub
from notification_service.metrics import NOTIFICATION_DELIVERIES
from notification_service.profiles import ProfileDirectory

router = APIRouter(prefix="/internal", include_in_schema=False)


async def _consume(event: EventEnvelope, session: AsyncSession, profiles: ProfileDirectory, hub: LiveHub) -> bool:
    """Stores the event's notifications; True if it was new. The caller pokes the dispatcher."""
    specs = notifications_for(event)
    # Profiles are read before the transaction (no network call while holding row locks); a
    # missing profile only means English text now and channel choice later, by the dispatcher.
    users = {s.user_id for s in specs}
    found = {u: await profiles.get(u) for u in users}
    created = await store.apply_event(session, event=event, specs=specs, profiles=found)
    for user_id, _seq in created:
        hub.publish(user_id)  # this replica's streams at once; others via NOTIFY
    if created:
        NOTIFICATION_DELIVERIES.labels("in_app", "created").inc(len(created))
    return bool(created)


async def _consume_many(
    events: Sequence[EventEnvelope], db: Database, profiles: ProfileDirectory, hub: LiveHub
) -> set[uuid.UUID]:
    """The whole batch in one transaction (batch_store); raising leaves the one-by-one path to it."""
    done = await batch_store.apply_events(db, events, profiles)
    for user_id in {user_id for user_id, _seq in done.created}:
        hub.publish(user_id)
    if done.created:
        NOTIFICATION_DELIVERIES.labels("in_app", "created").inc(len(done.created))
    return done.applied


@router.post("/events", status_code=204)
async def receive_event(
    event: EventEnvelope,
    _caller: InternalCaller,
    session: SessionDep,
    profiles: ProfilesDep,
    hub: HubDep,
    dispatcher: DispatcherDep,
) -> Response:
    if await _consume(event, session, profiles, hub):
        dispatcher.poke()
    return Response(status_code=204)


@router.post("/events/batch")
async def receive_events(
    batch: EventBatchIn,
    _caller: InternalCaller,
    session: SessionDep,
    db: DatabaseDep,
    profiles: ProfilesDep,
    hub: HubDep,
    dispatcher: DispatcherDep,
) -> EventBatchOut:
    result = await apply_batch(
        batch,
        EventEnvelope,
        lambda event: _consume(event, session, profiles, hub),
        lambda events: _consume_many(events, db, profiles, hub),
    )
    if any(r.outcome == "applied" for r in result.results):
        dispatcher.poke()  # once per batch: the dispatcher sends what is pending in one go
    return result
