"""Internal endpoints (never routed by the gateway): wallet lifecycle and the event log."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from instapay_common.internal_auth import InternalCaller
from transaction_service import accounts
from transaction_service.api.deps import SessionDep, SettingsDep
from transaction_service.events import list_events
from transaction_service.metrics import WALLETS

router = APIRouter(prefix="/internal", include_in_schema=False)


class WalletCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: uuid.UUID


@router.post("/wallets", status_code=201)
async def create_wallet(body: WalletCreate, _: InternalCaller, session: SessionDep,
                        settings: SettingsDep) -> JSONResponse:
    async with session.begin():
        account, created = await accounts.create_wallet(session, user_id=body.user_id)
    if created:
        WALLETS.inc()
    return JSONResponse(accounts.wallet_view(account, settings), status_code=201 if created else 200)


@router.delete("/wallets/{user_id}", status_code=204)
async def delete_wallet(user_id: uuid.UUID, _: InternalCaller, session: SessionDep) -> None:
    async with session.begin():
        await accounts.delete_wallet(session, user_id=user_id)


@router.get("/events")
async def events(_: InternalCaller, session: SessionDep,
                 after_seq: Annotated[int, Query(ge=0)] = 0,
                 limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    return await list_events(session, after_seq=after_seq, limit=limit)
