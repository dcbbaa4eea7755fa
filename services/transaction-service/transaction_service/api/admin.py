"""Admin: freeze and unfreeze a wallet (audit-logged)."""

import uuid
from typing import Any

from fastapi import APIRouter

from instapay_common.errors import PROBLEM_RESPONSES
from instapay_common.web.request_context import current_request_id
from transaction_service import accounts
from transaction_service.api.deps import Admin, SessionDep, SettingsDep
from transaction_service.api.response_models import Wallet, documented
from transaction_service.schemas import FreezeIn

router = APIRouter(prefix="/api/v1/admin/wallets", tags=["admin"], responses=PROBLEM_RESPONSES)


@router.post("/{user_id}/freeze", response_model=None, responses=documented(200, Wallet, "Frozen: the wallet"))
async def freeze(
    user_id: uuid.UUID, body: FreezeIn, admin: Admin, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    """Blocks every movement in or out of the wallet until unfrozen."""
    async with session.begin():
        account = await accounts.set_frozen(
            session,
            user_id=user_id,
            actor_id=uuid.UUID(admin.user_id),
            frozen=True,
            reason=body.reason,
            request_id=current_request_id(),
        )
    return accounts.wallet_view(account, settings)


@router.post("/{user_id}/unfreeze", response_model=None, responses=documented(200, Wallet, "Unfrozen: the wallet"))
async def unfreeze(user_id: uuid.UUID, admin: Admin, session: SessionDep, settings: SettingsDep) -> dict[str, Any]:
    async with session.begin():
        account = await accounts.set_frozen(
            session,
            user_id=user_id,
            actor_id=uuid.UUID(admin.user_id),
            frozen=False,
            reason=None,
            request_id=current_request_id(),
        )
    return accounts.wallet_view(account, settings)
