"""Scheduled and recurring transfers (`/scheduled-transfers`)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from instapay_common.errors import PROBLEM_RESPONSES
from transaction_service.api.deps import (
    DbDep,
    HistoryReader,
    MoneyMover,
    OptionalIdempotencyKey,
    PeersDep,
    SettingsDep,
)
from transaction_service.api.responses import documented, money_problems, outcome_response
from transaction_service.schemas import (
    JsonObject,
    ScheduledTransfer,
    ScheduledTransferIn,
    ScheduledTransferPage,
    ScheduledTransferPatch,
)
from transaction_service.service import schedules

router = APIRouter(prefix="/api/v1", tags=["scheduled transfers"], responses=PROBLEM_RESPONSES)


@router.post(
    "/scheduled-transfers",
    status_code=201,
    response_model=None,
    responses={
        **documented(201, ScheduledTransfer, "Scheduled: its first run is `next_run_at`"),
        **money_problems(423),
    },
)
async def create_schedule(
    body: ScheduledTransferIn,
    principal: MoneyMover,
    key: OptionalIdempotencyKey,
    db: DbDep,
    peers: PeersDep,
    settings: SettingsDep,
) -> Response:
    """A transfer to run at `start_at` (UTC), once, weekly or monthly, `end_after` times or until
    cancelled; authorised now with the PIN. Each occurrence is a normal transfer (limits, funds,
    frozen wallets) whose history row carries `schedule_id`; a declined one notifies the sender.
    At most `SCHEDULES_MAX` (20) active or paused (409 `schedules_full`). An optional
    Idempotency-Key makes a retry safe: the same key and body answer the same schedule again."""
    return outcome_response(
        await schedules.create(db, peers=peers, settings=settings, principal=principal, body=body, key=key)
    )


@router.get(
    "/scheduled-transfers",
    response_model=None,
    responses=documented(200, ScheduledTransferPage, "The caller's scheduled transfers, newest first"),
)
async def list_schedules(
    principal: HistoryReader,
    db: DbDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> JsonObject:
    return await schedules.list_schedules(db, principal=principal, limit=limit, cursor=cursor)


@router.patch(
    "/scheduled-transfers/{schedule_id}",
    response_model=None,
    responses={**documented(200, ScheduledTransfer, "Changed"), **money_problems(423)},
)
async def update_schedule(
    schedule_id: uuid.UUID,
    body: ScheduledTransferPatch,
    principal: MoneyMover,
    db: DbDep,
    peers: PeersDep,
    settings: SettingsDep,
) -> JsonObject:
    """Pause (`status: paused`) or resume (`active`: ticks passed while paused are skipped), and/or
    a new `amount` for the coming occurrences (with `pin`). Cancelled or completed: 409
    `schedule_finished`."""
    return await schedules.update(
        db, peers=peers, settings=settings, principal=principal, schedule_id=schedule_id, body=body
    )


@router.delete("/scheduled-transfers/{schedule_id}", status_code=204, response_class=Response)
async def cancel_schedule(schedule_id: uuid.UUID, principal: MoneyMover, db: DbDep) -> Response:
    """Cancels it for good: no further occurrence runs (it stays in the list as `cancelled`)."""
    await schedules.cancel(db, principal=principal, schedule_id=schedule_id)
    return Response(status_code=204)
