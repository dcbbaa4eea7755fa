"""Internal endpoints (never routed by the gateway): wallet lifecycle. The event log is the shared
feed router, mounted in `main`."""

import uuid

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from instapay_common.security.internal import InternalCaller
from transaction_service import accounts
from transaction_service.api.deps import SessionDep, SettingsDep
from transaction_service.metrics import WALLETS

router = APIRouter(prefix="/internal", include_in_schema=False)


class WalletCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: uuid.UUID


@router.post("/wallets", status_code=201)
async def create_wallet(
    body: WalletCreate, _: InternalCaller, session: SessionDep, settings: SettingsDep
) -> JSONResponse:
    async with session.begin():
        account, created = await accounts.create_wallet(session, user_id=body.user_id)
    if created:
        WALLETS.inc()
    return JSONResponse(accounts.wallet_view(account, settings), status_code=201 if created else 200)


@router.delete("/wallets/{user_id}", status_code=204)
async def delete_wallet(user_id: uuid.UUID, _: InternalCaller, session: SessionDep) -> None:
    async with session.begin():
        await accounts.delete_wallet(session, user_id=user_id)
