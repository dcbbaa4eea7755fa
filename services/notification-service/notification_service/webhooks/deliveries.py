"""Webhook messages from platform events, written in the transaction that consumes the event
(service.apply_events): the inbox claim that makes the consumer idempotent also makes this exactly
once, so an event that committed upstream gets its messages, and a redelivered event none more.
The same transaction disables the endpoints of API clients the auth service revoked."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import orjson

from instapay_common.db.rawsql import RawConnection
from instapay_common.events.envelope import EventEnvelope
from notification_service.exceptions import InvalidEvent
from notification_service.webhooks import audit, repository
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


CLIENT_REVOKED = "security.api_client_revoked"


def revoked_client(event: EventEnvelope) -> tuple[uuid.UUID, str] | None:
    """(user_id, client_id) of a `security.api_client_revoked`; None for other events. Raises
    InvalidEvent on bad data, before the transaction."""
    if event.type != CLIENT_REVOKED:
        return None
    try:
        user_id, client_id = uuid.UUID(str(event.data["user_id"])), event.data["client_id"]
    except (KeyError, ValueError) as exc:
        raise InvalidEvent(f"{CLIENT_REVOKED} needs user_id and client_id") from exc
    if not isinstance(client_id, str) or not client_id:
        raise InvalidEvent(f"{CLIENT_REVOKED} needs a client_id")
    return user_id, client_id


async def disable_revoked(conn: RawConnection, revoked: Sequence[tuple[uuid.UUID, str]]) -> None:
    """Disables (reason `client_revoked`) every endpoint of each revoked client, audited. Called
    before the same batch's messages are enqueued, so none is added for those endpoints."""
    for user_id, client_id in revoked:
        for endpoint_id in await repository.disable_client_endpoints(conn, user_id=user_id, client_id=client_id):
            await audit.record_system(
                conn, audit.ENDPOINT_DISABLED, endpoint_id, reason="client_revoked", client_id=client_id
            )
