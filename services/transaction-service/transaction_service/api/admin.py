"""Admin: read a wallet with its freeze state; freeze and unfreeze it (audit-logged)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Body

from instapay_common.errors import PROBLEM_RESPONSES
from instapay_common.web.request_context import current_request_id
from transaction_service.api.deps import Admin, DbDep, SettingsDep
from transaction_service.api.responses import documented
from transaction_service.schemas import AdminWallet, FreezeIn, JsonObject, UnfreezeIn, Wallet, rfc3339, wallet_body
from transaction_service.service import wallets
from transaction_service.service.limits import limits_view

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
    }


@router.post("/{user_id}/freeze", response_model=None, responses=documented(200, Wallet, "Frozen: the wallet"))
async def freeze(user_id: uuid.UUID, body: FreezeIn, admin: Admin, db: DbDep, settings: SettingsDep) -> JsonObject:
    """Blocks every movement in or out of the wallet until unfrozen."""
    wallet = await wallets.set_frozen(
        db,
        user_id=user_id,
        actor_id=uuid.UUID(admin.user_id),
        frozen=True,
        reason=body.reason,
        request_id=current_request_id(),
    )
    return wallet_body(wallet, limits_view(wallet, settings))


@router.post("/{user_id}/unfreeze", response_model=None, responses=documented(200, Wallet, "Unfrozen: the wallet"))
async def unfreeze(
    user_id: uuid.UUID,
    admin: Admin,
    db: DbDep,
    settings: SettingsDep,
    body: Annotated[UnfreezeIn | None, Body()] = None,
) -> JsonObject:
    """Lets money move again; the optional `reason` goes to the audit log."""
    wallet = await wallets.set_frozen(
        db,
        user_id=user_id,
        actor_id=uuid.UUID(admin.user_id),
        frozen=False,
        reason=body.reason if body else None,
        request_id=current_request_id(),
    )
    return wallet_body(wallet, limits_view(wallet, settings))
