"""`POST /internal/events` and `/internal/events/batch`: events from the outbox relays
(service-to-service only)."""

from fastapi import APIRouter, Response

from instapay_common.event_batch import EventBatchIn, EventBatchOut, apply_batch
from instapay_common.internal_auth import InternalCaller
from reporting_service.api.deps import SessionDep
from reporting_service.metrics import EVENTS_APPLIED
from reporting_service.projector import EventEnvelope, apply_event

router = APIRouter(prefix="/internal", include_in_schema=False)


async def _consume(session, event: EventEnvelope) -> bool:
    applied = await apply_event(session, event)
    EVENTS_APPLIED.labels(event.type, "applied" if applied else "skipped").inc()
    return applied


@router.post("/events", status_code=204)
async def receive_event(event: EventEnvelope, _caller: InternalCaller, session: SessionDep) -> Response:
    await _consume(session, event)
    return Response(status_code=204)


@router.post("/events/batch")
async def receive_events(batch: EventBatchIn, _caller: InternalCaller, session: SessionDep) -> EventBatchOut:
    return await apply_batch(batch, EventEnvelope, lambda event: _consume(session, event))
