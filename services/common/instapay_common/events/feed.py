"""`GET /internal/events?after_seq=&limit=`: an emitting service's whole event log, in seq order,
for subscribers that rebuild a read model from scratch (e.g. `reporting_service.rebuild`).

    routers=[..., outbox_feed_router(outbox, source="auth-service", callers=("reporting",))]

Answer: `{items: [envelope + "seq"], next_after_seq}` (docs/INTERNAL_API.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import Table, select

from instapay_common.events.envelope_builder import logged_envelope
from instapay_common.security.internal import internal_callers


def outbox_feed_router(table: Table, *, source: str, callers: Iterable[str]) -> APIRouter:
    """`callers`: the internal callers allowed to read the log."""
    router = APIRouter(prefix="/internal", include_in_schema=False)

    @router.get("/events", dependencies=[internal_callers(*callers)])
    async def event_log(
        request: Request,
        after_seq: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> dict[str, Any]:
        c = table.c
        async with request.app.state.db.sessionmaker() as session:
            rows = (
                await session.execute(
                    select(c.seq, c.id, c.event_type, c.payload, c.occurred_at)
                    .where(c.seq > after_seq)
                    .order_by(c.seq)
                    .limit(limit)
                )
            ).all()
        items = [logged_envelope(r._mapping, source) for r in rows]
        return {"items": items, "next_after_seq": rows[-1].seq if rows else after_seq}

    return router
