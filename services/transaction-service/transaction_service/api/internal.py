"""Internal endpoints (never routed by the gateway): wallet lifecycle. The event log is the shared
feed router, mounted in `main`."""

import uuid
from typing import Annotated

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from instapay_common.security.internal import internal_callers
from transaction_service.api.deps import DbDep, SettingsDep
from transaction_service.api.responses import documented
from transaction_service.metrics import WALLETS
from transaction_service.schemas import Wallet, WalletCreate, wallet_body
from transaction_service.service import wallets
from transaction_service.service.limits import limits_view

router = APIRouter(prefix="/internal", include_in_schema=False)
# Wallets are opened (and, on a failed registration, removed) by the auth service only.
FromAuth = Annotated[str, internal_callers("auth")]


@router.post(
    "/wallets",
    status_code=201,
    response_model=None,
    responses={
        **documented(201, Wallet, "Created: the new wallet"),
        **documented(200, Wallet, "The user already had this wallet"),
    },
)
async def create_wallet(body: WalletCreate, _: FromAuth, db: DbDep, settings: SettingsDep) -> JSONResponse:
    """Idempotent: 201 with a new wallet, 200 with the one the user already has."""
    wallet, created = await wallets.create_wallet(db, user_id=body.user_id)
    if created:
        WALLETS.inc()
    return JSONResponse(wallet_body(wallet, limits_view(wallet, settings)), status_code=201 if created else 200)


@router.delete("/wallets/{user_id}", status_code=204)
async def delete_wallet(user_id: uuid.UUID, _: FromAuth, db: DbDep) -> None:
    """Compensation for a failed registration: 409 `wallet_has_postings` once money moved."""
    await wallets.delete_wallet(db, user_id=user_id)
