"""`POST /internal/events` and `/internal/events/batch`: events from the outbox relays
(service-to-service only). Both go through the one writer, `service.apply_events`: a single
event is a batch of one."""

import uuid
from collections.abc import Sequence

from fastapi import APIRouter, Response

from instapay_common.db.database import Database
from instapay_common.events.batch import EventBatchIn, EventBatchOut, apply_batch
from instapay_common.events.envelope import EventEnvelope
from reporting_service import service
from reporting_service.api.deps import DbDep, FromRelay
from reporting_service.metrics import EVENTS_APPLIED

router = APIRouter(prefix="/internal", include_in_schema=False)


async def _consume(db: Database, events: Sequence[EventEnvelope]) -> set[uuid.UUID]:
    """Applies and counts the events; if the writer raises, nothing was written and nothing is
    counted (`apply_batch` then applies them one at a time, through here again)."""
    applied = await service.apply_events(db, events)
    counted: set[uuid.UUID] = set()
    for event in events:  # a repeat of an id in the batch is counted as skipped
        now = event.id in applied and event.id not in counted
        counted.add(event.id)
        EVENTS_APPLIED.labels(event.type, "applied" if now else "skipped").inc()
    return applied


@router.post("/events", status_code=204, response_class=Response)
async def receive_event(event: EventEnvelope, _caller: FromRelay, db: DbDep) -> Response:
    await _consume(db, [event])
    return Response(status_code=204)


@router.post("/events/batch", response_model=EventBatchOut)
async def receive_events(batch: EventBatchIn, _caller: FromRelay, db: DbDep) -> EventBatchOut:
    async def one(event: EventEnvelope) -> bool:
        return bool(await _consume(db, [event]))

    async def many(events: Sequence[EventEnvelope]) -> set[uuid.UUID]:
        return await _consume(db, events)

    return await apply_batch(batch, EventEnvelope, one, many)
