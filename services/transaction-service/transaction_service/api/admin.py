"""Admin: read a wallet with its freeze state and limit overrides; propose freezing, unfreezing
or changing its limits (two-person control: a second admin approves at
/api/v1/admin/approvals/{id}/approve, api/approvals.py)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Body

from instapay_common.errors import PROBLEM_RESPONSES
from transaction_service.api.deps import Admin, DbDep, SettingsDep
from transaction_service.api.responses import documented
from transaction_service.money import fmt
from transaction_service.schemas import (
    AdminWallet,
    Approval,
    FreezeIn,
    JsonObject,
    LimitsIn,
    UnfreezeIn,
    approval_body,
    rfc3339,
    wallet_body,
)
from transaction_service.service import approvals, wallets
from transaction_service.service.limits import limits_view, overrides_view

router = APIRouter(prefix="/api/v1/admin/wallets", tags=["admin"], responses=PROBLEM_RESPONSES)


@router.get("/{user_id}", response_model=None, responses=documented(200, AdminWallet, "The wallet"))
async def read(user_id: uuid.UUID, _: Admin, db: DbDep, settings: SettingsDep) -> JsonObject:
    """A user's wallet as the owner sees it, with why and since when it is frozen; 404
    `wallet_not_found`."""
    wallet, state = await wallets.admin_view(db, user_id=user_id)
    return {
        **wallet_body(wallet, limits_view(wallet, settings)),
        "frozen_reason": state.reason,
        "frozen_at": rfc3339(state.frozen_at) if state.frozen_at else None,
        "limit_overrides": {k: None if v is None else fmt(v) for k, v in overrides_view(wallet).items()},
    }


@router.post(
    "/{user_id}/freeze",
    status_code=202,
    response_model=None,
    responses=documented(202, Approval, "Proposed: pending a second admin's approval"),
)
async def freeze(user_id: uuid.UUID, body: FreezeIn, admin: Admin, db: DbDep, settings: SettingsDep) -> JsonObject:
    """Proposes blocking every movement in or out of the wallet; a different admin's approval
    carries it out. 404 `wallet_not_found`."""
    row = await approvals.propose(
        db,
        settings,
        action="wallet.freeze",
        subject=user_id,
        payload={"reason": body.reason},
        proposed_by=uuid.UUID(admin.user_id),
    )
    return approval_body(row)


@router.post(
    "/{user_id}/unfreeze",
    status_code=202,
    response_model=None,
    responses=documented(202, Approval, "Proposed: pending a second admin's approval"),
)
async def unfreeze(
    user_id: uuid.UUID,
    admin: Admin,
    db: DbDep,
    settings: SettingsDep,
    body: Annotated[UnfreezeIn | None, Body()] = None,
) -> JsonObject:
    """Proposes letting money move again (the optional `reason` goes to the audit log); a
    different admin's approval carries it out."""
    row = await approvals.propose(
        db,
        settings,
        action="wallet.unfreeze",
        subject=user_id,
        payload={"reason": body.reason if body else None},
        proposed_by=uuid.UUID(admin.user_id),
    )
    return approval_body(row)


@router.post(
    "/{user_id}/limits",
    status_code=202,
    response_model=None,
    responses=documented(202, Approval, "Proposed: pending a second admin's approval"),
)
async def change_limits(
    user_id: uuid.UUID, body: LimitsIn, admin: Admin, db: DbDep, settings: SettingsDep
) -> JsonObject:
    """Proposes the wallet's own spending limits (money sent out): each named limit above zero and
    at most its configured ceiling (422 `validation_error`), `null` restoring the default; a
    different admin's approval carries it out. 404 `wallet_not_found`."""
    payload = wallets.limit_change_payload(body.changes(), settings)
    row = await approvals.propose(
        db,
        settings,
        action="wallet.limits",
        subject=user_id,
        payload={**payload, "reason": body.reason},
        proposed_by=uuid.UUID(admin.user_id),
    )
    return approval_body(row)
