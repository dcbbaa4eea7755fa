"""Webhook messages from platform events, written in the transaction that consumes the event
(service.apply_events): the inbox claim that makes the consumer idempotent also makes this exactly
once, so an event that committed upstream gets its messages, and a redelivered event none more."""

from __future__ import annotations

from collections.abc import Sequence

import orjson

from instapay_common.db.rawsql import RawConnection
from instapay_common.events.envelope import EventEnvelope
from notification_service.webhooks import repository
from notification_service.webhooks.events import webhook_events
from notification_service.webhooks.repository import NewMessage


def _rfc3339(event: EventEnvelope) -> str:
    return event.occurred_at.isoformat().replace("+00:00", "Z")


def messages_for(event: EventEnvelope) -> list[NewMessage]:
    """The event's messages with their final bodies (raises InvalidEvent on bad data: called
    before the transaction, like the notifications' builder)."""
    return [
        NewMessage(
            event.id,
            w.user_id,
            w.type,
            orjson.dumps({"type": w.type, "timestamp": _rfc3339(event), "data": w.data}).decode(),
        )
        for w in webhook_events(event)
    ]


async def enqueue(conn: RawConnection, messages: Sequence[NewMessage]) -> None:
    """One delivery per subscribed, enabled endpoint of each message's user."""
    await repository.enqueue(conn, messages)
