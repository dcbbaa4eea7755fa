"""`POST /internal/events` and `/internal/events/batch`: events from the outbox relays
(service-to-service only). Both go through the one writer, `service.apply_events`: a single
event is a batch of one."""

import uuid
from collections.abc import Sequence
from typing import Annotated, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, StringConstraints

from instapay_common.db.database import Database
from instapay_common.events.batch import EventBatchIn, EventBatchOut, apply_batch
from instapay_common.events.envelope import EventEnvelope
from notification_service import service
from notification_service.api.deps import (
    ChannelsDep,
    DbDep,
    DispatcherDep,
    FromAuth,
    FromRelay,
    HubDep,
    ProfilesDep,
    SettingsDep,
)
from notification_service.config import DEFAULT_SUPPORT_CONTACT
from notification_service.live import LiveHub
from notification_service.messages import CodeMessage, MessageKind, send_code_message
from notification_service.metrics import NOTIFICATION_DELIVERIES
from notification_service.profiles import ProfileDirectory

router = APIRouter(prefix="/internal", include_in_schema=False)


async def _consume(
    events: Sequence[EventEnvelope],
    db: Database,
    profiles: ProfileDirectory,
    hub: LiveHub,
    support_contact: str = DEFAULT_SUPPORT_CONTACT,
) -> set[uuid.UUID]:
    """Stores the events' notifications and wakes this replica's streams of their users (other
    replicas learn of them by NOTIFY); returns the ids that created notifications now. The caller
    pokes the dispatcher. If it raises, nothing was written."""
    done = await service.apply_events(db, events, profiles, support_contact=support_contact)
    for user_id in {user_id for user_id, _seq in done.created}:
        hub.publish(user_id)
    if done.created:
        NOTIFICATION_DELIVERIES.labels("in_app", "created").inc(len(done.created))
    return done.applied


@router.post("/events", status_code=204, response_class=Response)
async def receive_event(
    event: EventEnvelope,
    _caller: FromRelay,
    db: DbDep,
    profiles: ProfilesDep,
    hub: HubDep,
    dispatcher: DispatcherDep,
    settings: SettingsDep,
) -> Response:
    if await _consume([event], db, profiles, hub, settings.support_contact):
        dispatcher.poke()
    return Response(status_code=204)


@router.post("/events/batch", response_model=EventBatchOut)
async def receive_events(
    batch: EventBatchIn,
    _caller: FromRelay,
    db: DbDep,
    profiles: ProfilesDep,
    hub: HubDep,
    dispatcher: DispatcherDep,
    settings: SettingsDep,
) -> EventBatchOut:
    async def one(event: EventEnvelope) -> bool:
        return bool(await _consume([event], db, profiles, hub, settings.support_contact))

    async def many(events: Sequence[EventEnvelope]) -> set[uuid.UUID]:
        return await _consume(events, db, profiles, hub, settings.support_contact)

    result = await apply_batch(batch, EventEnvelope, one, many)
    if any(r.outcome == "applied" for r in result.results):
        dispatcher.poke()  # once per batch: the dispatcher sends what is pending in one go
    return result


class MessageIn(BaseModel):
    """A one-time code to send now (never stored, never logged)."""

    model_config = ConfigDict(extra="forbid")

    user_id: uuid.UUID  # whose language preference the text follows
    channel: Literal["phone", "email"]
    to: Annotated[str, StringConstraints(min_length=3, max_length=254)]
    kind: MessageKind
    code: Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]


@router.post("/messages", status_code=202, response_class=Response)
async def send_message(
    body: MessageIn, _caller: FromAuth, channels: ChannelsDep, profiles: ProfilesDep, settings: SettingsDep
) -> Response:
    await send_code_message(
        CodeMessage(user_id=body.user_id, channel=body.channel, to=body.to, kind=body.kind, code=body.code),
        channels=channels,
        profiles=profiles,
        sms_can_deliver=settings.sms_can_deliver_codes,
    )
    return Response(status_code=202)
