"""`POST /internal/events` and `/internal/events/batch`: events from the outbox relays
(service-to-service only)."""

import uuid

from fastapi import APIRouter, Response

from instapay_common.db.database import Database
from instapay_common.events.batch import EventBatchIn, EventBatchOut, apply_batch
from instapay_common.events.envelope import EventEnvelope
from instapay_common.security.internal import InternalCaller
from reporting_service.api.deps import DatabaseDep, SessionDep
from reporting_service.batch_projector import apply_events
from reporting_service.metrics import EVENTS_APPLIED
from reporting_service.projector import apply_event

router = APIRouter(prefix="/internal", include_in_schema=False)


async def _consume(session, event: EventEnvelope) -> bool:
    applied = await apply_event(session, event)
    EVENTS_APPLIED.labels(event.type, "applied" if applied else "skipped").inc()
    return applied


@router.post("/events", status_code=204)
async def receive_event(event: EventEnvelope, _caller: InternalCaller, session: SessionDep) -> Response:
    await _consume(session, event)
    return Response(status_code=204)


async def _consume_all(db: Database, events: list[EventEnvelope]) -> set[uuid.UUID]:
    """All events in one transaction (batch_projector.py); if it raises, nothing was written and
    nothing is counted here: `apply_batch` applies them one by one with `_consume`, which counts."""
    applied = await apply_events(db, events)
    counted: set[uuid.UUID] = set()
    for event in events:  # counted as one by one would: a repeat of an id in the batch is skipped
        now = event.id in applied and event.id not in counted
        counted.add(event.id)
        EVENTS_APPLIED.labels(event.type, "applied" if now else "skipped").inc()
    return applied


@router.post("/events/batch")
async def receive_events(
    batch: EventBatchIn, _caller: InternalCaller, session: SessionDep, db: DatabaseDep
) -> EventBatchOut:
    return await apply_batch(
        batch, EventEnvelope, lambda event: _consume(session, event), lambda events: _consume_all(db, events)
    )
