"""Events the auth service emits (docs/EVENTS.md), written through its outbox in the transaction
of the change they describe."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.models import outbox
from instapay_common.events.outbox import emit_event

USER_REGISTERED = "user.registered"
LOGIN = "security.login"
PASSWORD_CHANGED = "security.password_changed"
PIN_CHANGED = "security.pin_changed"
PIN_LOCKED = "security.pin_locked"
API_CLIENT_CREATED = "security.api_client_created"
# An API client deleted by its owner or revoked with every grant (a password change or reset):
# the notification service disables the client's webhook endpoints.
API_CLIENT_REVOKED = "security.api_client_revoked"
PASSWORD_RESET = "security.password_reset"
CONTACT_VERIFIED = "user.contact_verified"
CONTACT_CHANGED = "security.contact_changed"
# An unverified claim of a phone or e-mail lost to the account that verified it.
CONTACT_CLAIM_DROPPED = "security.contact_claim_dropped"


async def emit(session: AsyncSession, event_type: str, **data: Any) -> None:
    """Adds the event to the session's transaction (UUIDs written as strings)."""
    clean = {k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in data.items()}
    await emit_event(session, outbox, event_type, clean)
