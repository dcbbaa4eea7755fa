"""`GET /api/v1/notifications/stream`: Server-Sent Events, one `notification` event per new one.

`id:` is the notification's sequence number; a reconnect with `Last-Event-ID` replays what was
missed (the browser's EventSource sends it automatically). Without it the stream starts at
"now". A comment line every `sse_keepalive_seconds` keeps proxies from closing an idle stream,
and on each keep-alive the stream also re-reads the database, so even a lost wake-up only
delays a notification.
"""

import asyncio
import re
import uuid
from collections.abc import AsyncIterator
from typing import Annotated

import orjson
from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse

from instapay_common.errors import PROBLEM_RESPONSES
from notification_service import service
from notification_service.api.deps import DbDep, HubDep, ProfilesDep, Reader, SettingsDep
from notification_service.metrics import SSE_STREAMS
from notification_service.repository import NotificationRow

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"], responses=PROBLEM_RESPONSES)


# An id this stream could have sent: ASCII digits within PostgreSQL's bigint (not `str.isdigit()`,
# which takes "１２" and 10^25: the first query after the 200 would fail and break the stream, and
# the browser would reconnect into the same error). Anything else starts at "now".
_EVENT_ID = re.compile(r"[0-9]{1,19}")
_MAX_SEQ = 2**63 - 1


def _replay_from(last_event_id: str | None) -> int | None:
    value = (last_event_id or "").strip()
    if _EVENT_ID.fullmatch(value) and int(value) <= _MAX_SEQ:
        return int(value)
    return None


def _frame(row: NotificationRow, language: str | None) -> bytes:
    data = orjson.dumps(service.public(row, language).model_dump()).decode()
    return f"id: {row.seq}\nevent: notification\ndata: {data}\n\n".encode()


@router.get(
    "/stream",
    summary="Live stream of my new notifications (text/event-stream)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "event stream"}},
)
async def stream(
    request: Request,
    principal: Reader,
    db: DbDep,
    hub: HubDep,
    settings: SettingsDep,
    profiles: ProfilesDep,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    user_id = uuid.UUID(principal.user_id)
    # The language when the stream opened; the list (which the app reads on each event) follows
    # a change at once.
    language = await service.reader_language(profiles, user_id)
    wake = hub.subscribe(user_id)  # before reading the position: nothing can slip in between
    try:
        async with db.sessionmaker() as session:
            latest = await service.latest_seq(session, user_id=user_id)
        requested = _replay_from(last_event_id)
        # an id above the latest was never sent to this user: nothing was missed, start at "now"
        position = latest if requested is None else min(requested, latest)
    except BaseException:
        hub.unsubscribe(user_id, wake)
        raise

    async def events() -> AsyncIterator[bytes]:
        nonlocal position
        SSE_STREAMS.inc()
        try:
            yield b"retry: 2000\n: connected\n\n"
            while True:
                wake.clear()
                async with db.sessionmaker() as session:
                    rows = await service.since(session, user_id=user_id, after_seq=position)
                for row in rows:
                    position = row.seq
                    yield _frame(row, language)
                if len(rows) == service.STREAM_PAGE:
                    continue  # a long replay: keep reading before waiting
                if await request.is_disconnected():
                    return
                try:
                    await asyncio.wait_for(wake.wait(), timeout=settings.sse_keepalive_seconds)
                except TimeoutError:
                    yield b": keep-alive\n\n"
        finally:
            SSE_STREAMS.dec()
            hub.unsubscribe(user_id, wake)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no", "Connection": "keep-alive"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
