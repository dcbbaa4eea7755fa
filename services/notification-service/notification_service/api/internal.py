"""`POST /internal/events`: events from the outbox relays (service-to-service only)."""

from fastapi import APIRouter, Response

from instapay_common.internal_auth import InternalCaller
from notification_service import store
from notification_service.api.deps import DispatcherDep, HubDep, ProfilesDep, SessionDep
from notification_service.events import EventEnvelope, notifications_for
from notification_service.metrics import NOTIFICATION_DELIVERIES

router = APIRouter(prefix="/internal", include_in_schema=False)


@router.post("/events", status_code=204)
async def receive_event(event: EventEnvelope, _caller: InternalCaller, session: SessionDep,
                        profiles: ProfilesDep, hub: HubDep, dispatcher: DispatcherDep) -> Response:
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
        dispatcher.poke()
    return Response(status_code=204)
