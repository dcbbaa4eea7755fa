"""Admin: two-person control. List approvals; approve one (a different admin than its proposer;
this carries the action out) or reject it."""

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from instapay_common.errors import PROBLEM_RESPONSES
from transaction_service.api.deps import Admin, DbDep, SettingsDep
from transaction_service.api.responses import documented
from transaction_service.schemas import Approval, ApprovalPage, JsonObject, approval_body, page_body
from transaction_service.service import approvals

router = APIRouter(prefix="/api/v1/admin/approvals", tags=["admin"], responses=PROBLEM_RESPONSES)


@router.get("", response_model=None, responses=documented(200, ApprovalPage, "Approvals, newest proposal first"))
async def list_approvals(
    _: Admin,
    db: DbDep,
    status: Literal["pending", "approved", "expired", "rejected"] | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> JsonObject:
    rows, next_cursor = await approvals.list_approvals(db, status=status, limit=limit, cursor=cursor)
    return page_body([approval_body(r) for r in rows], next_cursor)


@router.post(
    "/{approval_id}/approve",
    response_model=None,
    responses=documented(200, Approval, "Approved and carried out: the approval, with the action's `result`"),
)
async def approve(approval_id: uuid.UUID, admin: Admin, db: DbDep, settings: SettingsDep) -> JsonObject:
    """A different admin than the proposer (403 `forbidden` otherwise) carries the action out;
    404 `approval_not_found`, 409 `approval_not_pending` (decided already), 409 `approval_expired`."""
    row = await approvals.approve(db, settings, approval_id=approval_id, approved_by=uuid.UUID(admin.user_id))
    return approval_body(row)


@router.post(
    "/{approval_id}/reject",
    response_model=None,
    responses=documented(200, Approval, "Rejected: the approval, not carried out"),
)
async def reject(approval_id: uuid.UUID, admin: Admin, db: DbDep) -> JsonObject:
    """Any admin (its proposer too, withdrawing it) ends a pending approval without carrying it out."""
    row = await approvals.reject(db, approval_id=approval_id, rejected_by=uuid.UUID(admin.user_id))
    return approval_body(row)
