"""Events this service emits (docs/EVENTS.md) and the replayable event log."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.outbox import emit_event, emit_event_raw
from instapay_common.rawsql import RawConnection
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


async def list_events(session: AsyncSession, *, after_seq: int, limit: int) -> dict[str, Any]:
    rows = (await session.execute(text(
        "SELECT seq, id, event_type, payload, occurred_at FROM ledger.outbox_events "
        "WHERE seq > :after ORDER BY seq LIMIT :limit"), {"after": after_seq, "limit": limit})).all()
    items = [{"seq": r.seq, "id": str(r.id), "type": r.event_type, "occurred_at": rfc3339(r.occurred_at),
              "source": SOURCE, "data": r.payload} for r in rows]
    return {"items": items, "next_after_seq": rows[-1].seq if rows else after_seq}
