"""Internal endpoints (never routed by the gateway): wallet lifecycle, and the event intake of
two subscribers the outbox relays deliver to here: the payout submitter (`payouts`, the
transaction relay's `withdrawal.requested`) and the recipient directory (`directory`, the user
relay's `user.profile_changed`). The event log is the shared feed router, mounted in `main`."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from instapay_common.db.database import Database
from instapay_common.errors import ServiceUnavailable
from instapay_common.events.batch import EventBatchIn, EventBatchOut, apply_batch
from instapay_common.events.envelope import EventEnvelope
from instapay_common.security.internal import internal_callers
from transaction_service.api.deps import DbDep, FundingDep, SettingsDep
from transaction_service.api.responses import documented
from transaction_service.config import TransactionSettings
from transaction_service.funding.provider import FundingProvider
from transaction_service.metrics import WALLETS
from transaction_service.schemas import Wallet, WalletCreate, WalletVerification, wallet_body
from transaction_service.service import payouts, wallets
from transaction_service.service.directory import PROFILE_CHANGED, Directory
from transaction_service.service.limits import limits_view

router = APIRouter(prefix="/internal", include_in_schema=False)
# Wallets are opened (and, on a failed registration, removed) by the auth service only.
FromAuth = Annotated[str, internal_callers("auth")]
# Events (withdrawal.requested for the payout submitter, user.profile_changed for the directory)
# arrive from the outbox relays only.
FromRelay = Annotated[str, internal_callers("relay")]


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


@router.put("/wallets/{user_id}/verification", status_code=204, response_class=Response)
async def set_verification(user_id: uuid.UUID, body: WalletVerification, _: FromAuth, db: DbDep) -> Response:
    """Whether the owner's phone is verified (idempotent); money moves only once it is."""
    await wallets.set_phone_verified(db, user_id=user_id, verified=body.phone_verified)
    return Response(status_code=204)


def _payout_submitter(
    db: Database, funding: FundingProvider, settings: TransactionSettings
) -> Callable[[EventEnvelope], Awaitable[bool]]:
    """One event's effect: a payout request, or a profile change for the directory (deduped by
    event id in the inbox and applied only over an older version); other types are ignored."""
    directory = Directory(db)

    async def submit(event: EventEnvelope) -> bool:
        if event.type == PROFILE_CHANGED:
            return await directory.apply_event(event)
        if event.type != "withdrawal.requested":
            return False
        return await payouts.submit(db, funding, settings, uuid.UUID(str(event.data["transaction_id"])))

    return submit


@router.post("/events", status_code=204, response_class=Response)
async def receive_event(
    event: EventEnvelope, _: FromRelay, db: DbDep, funding: FundingDep, settings: SettingsDep
) -> Response:
    """One event from a relay; a provider that cannot be reached answers 503 (retried)."""
    try:
        await _payout_submitter(db, funding, settings)(event)
    except payouts.ProviderUnreachable as exc:
        raise ServiceUnavailable("the funding provider cannot be reached; retry later") from exc
    return Response(status_code=204)


@router.post("/events/batch", response_model=EventBatchOut)
async def receive_events(
    batch: EventBatchIn, _: FromRelay, db: DbDep, funding: FundingDep, settings: SettingsDep
) -> EventBatchOut:
    """Events from the relays, one effect each (`failed` ones are retried by the relay)."""
    return await apply_batch(batch, EventEnvelope, _payout_submitter(db, funding, settings))
