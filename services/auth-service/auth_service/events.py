"""Security and lifecycle events of the auth service (docs/EVENTS.md), via the outbox."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.models import outbox
from instapay_common.events.outbox import emit_event


async def emit(db: AsyncSession, event_type: str, **data: Any) -> None:
    clean = {k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in data.items()}
    await emit_event(db, outbox, event_type, clean)
