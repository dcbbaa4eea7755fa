"""Events this service emits (docs/EVENTS.md); the event log is the shared feed (`instapay_common.events.feed`)."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.db.rawsql import RawConnection
from instapay_common.events.outbox import emit_event, emit_event_raw
from transaction_service.models import outbox

SOURCE = "transaction-service"


def rfc3339(value: datetime) -> str:
    """UTC with a `Z`, millisecond precision (`2026-11-25T10:00:00.123Z`)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


async def emit(session: AsyncSession, event_type: str, data: dict[str, Any]) -> None:
    await emit_event(session, outbox, event_type, data)


async def emit_raw(conn: RawConnection, event_type: str, data: dict[str, Any]) -> None:
    """`emit` inside a transaction run on the raw connection (the money path, `idempotency.execute_once`)."""
    await emit_event_raw(conn, outbox, event_type, data)
