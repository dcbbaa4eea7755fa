"""Disputes: a sender reports a problem with a transfer; either side lists its cases; operators
list every case. The resolution is an approval (two-person rule) carried out by
`service.disputes.carry_out_resolution`."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from instapay_common.errors import PROBLEM_RESPONSES
from transaction_service.api.deps import Admin, DbDep, HistoryReader, MoneyMover, SettingsDep
from transaction_service.api.responses import documented
from transaction_service.schemas import (
    Approval,
    Dispute,
    DisputeIn,
    DisputePage,
    DisputeResolutionIn,
    DisputeStatus,
    JsonObject,
    approval_body,
)
from transaction_service.service import approvals, disputes

router = APIRouter(prefix="/api/v1", tags=["disputes"], responses=PROBLEM_RESPONSES)


@router.post(
    "/transfers/{transfer_id}/disputes",
    status_code=201,
    response_model=None,
    responses=documented(201, Dispute, "Opened: the case, status `open`"),
)
async def open_dispute(
    transfer_id: uuid.UUID, body: DisputeIn, principal: MoneyMover, db: DbDep, settings: SettingsDep
) -> JsonObject:
    """Reports a problem with a transfer the caller sent (sender only: 404 for anyone else). One
    open case per transfer (409 `dispute_already_open`); a refund or a reversed transfer cannot be
    disputed (422 `transfer_not_disputable`)."""
    return await disputes.open_dispute(
        db, settings=settings, user_id=uuid.UUID(principal.user_id), transfer_id=transfer_id, body=body
    )


@router.get("/disputes", response_model=None, responses=documented(200, DisputePage, "A page of the caller's cases"))
async def list_disputes(
    principal: HistoryReader,
    db: DbDep,
    status: DisputeStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> JsonObject:
    """The cases the caller opened or that are about money they received, newest first; the
    recipient does not see the sender's `note`."""
    return await disputes.list_disputes(
        db, viewer=uuid.UUID(principal.user_id), status=status, limit=limit, cursor=cursor
    )


@router.get(
    "/admin/disputes",
    tags=["admin"],
    response_model=None,
    responses=documented(200, DisputePage, "A page of every case"),
)
async def admin_list_disputes(
    _: Admin,
    db: DbDep,
    status: DisputeStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> JsonObject:
    """Every case (role `admin`), newest first, optionally of one status (`open` for the queue)."""
    return await disputes.list_disputes(db, viewer=None, status=status, limit=limit, cursor=cursor)


@router.post(
    "/admin/disputes/{dispute_id}/resolve",
    tags=["admin"],
    status_code=202,
    response_model=None,
    responses=documented(202, Approval, "Proposed: pending a second admin's approval"),
)
async def resolve_dispute(
    dispute_id: uuid.UUID, body: DisputeResolutionIn, admin: Admin, db: DbDep, settings: SettingsDep
) -> JsonObject:
    """Proposes an outcome for an open case (two-person rule): `reverse` gives the sender back
    what the recipient still holds of the transfer, `reject` closes it. A different admin's
    `POST /api/v1/admin/approvals/{id}/approve` carries it out (409 `reversal_insufficient_funds`
    then if the recipient no longer holds the money). 404 `not_found`, 409 `dispute_not_open`."""
    row = await approvals.propose(
        db,
        settings,
        action="dispute.resolve",
        subject=dispute_id,
        payload={"outcome": body.outcome, "note": body.note},
        proposed_by=uuid.UUID(admin.user_id),
    )
    return approval_body(row)
