"""The notification service's audit chain (`notifications.audit_log`, instapay_common.audit):
webhook endpoints created, changed, deleted, and their secrets rotated, each row written in the
transaction of the change. The actor is the endpoint's owner, or their API client."""

from __future__ import annotations

from typing import Any

from instapay_common.audit.chain import Actor, append_raw
from instapay_common.db.rawsql import RawConnection
from notification_service.webhooks.repository import Owner

SCHEMA = "notifications"

ENDPOINT_CREATED = "webhook.endpoint_created"
ENDPOINT_UPDATED = "webhook.endpoint_updated"
ENDPOINT_DELETED = "webhook.endpoint_deleted"
SECRET_ROTATED = "webhook.secret_rotated"
# The endpoint's API client was deleted or revoked (auth's `security.api_client_revoked`).
ENDPOINT_DISABLED = "webhook.endpoint_disabled"


async def record(conn: RawConnection, action: str, owner: Owner, endpoint_id: object, **details: Any) -> None:
    actor = Actor(str(owner.user_id), "api_client" if owner.client_id else "user")
    if owner.client_id:
        details["client_id"] = owner.client_id
    await append_raw(conn, SCHEMA, action, actor=actor, subject=endpoint_id, details=details)


async def record_system(conn: RawConnection, action: str, endpoint_id: object, **details: Any) -> None:
    """A change no signed-in person made (an event the service consumed)."""
    await append_raw(conn, SCHEMA, action, actor=Actor.system(), subject=endpoint_id, details=details)
