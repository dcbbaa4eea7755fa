"""Payouts: POST /v1/payouts, GET /v1/payouts/by-key/{key}, POST /v1/payouts/by-key/{key}/cancel."""

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse

from provider_simulator.api.deps import (
    DbDep,
    FaultsDep,
    IdempotencyKeyDep,
    SettingsDep,
    WorkerDep,
    api_client,
    canonical_key,
)
from provider_simulator.exceptions import OperationNotFound
from provider_simulator.schemas import Operation, PayoutRequest
from provider_simulator.service import operations
from provider_simulator.service.operations import MalformedAnswer
from provider_simulator.service.wire import operation_view

router = APIRouter(prefix="/v1/payouts", tags=["payouts"], dependencies=[Depends(api_client)])


def _key(key: str) -> str:
    canonical = canonical_key(key)
    if canonical is None:
        raise OperationNotFound(f"no payout under key {key}")
    return canonical


@router.post("", response_model=Operation, responses={202: {"model": Operation}})
async def create_payout(
    body: PayoutRequest,
    key: IdempotencyKeyDep,
    response: Response,
    db: DbDep,
    settings: SettingsDep,
    faults: FaultsDep,
    worker: WorkerDep,
) -> Operation | Response:
    """Accepted as 202 `pending`; paid or failed later, by callback. A canceled key answers 200
    with the canceled payout."""
    faults.refuse_some()
    try:
        row = await operations.create_payout(
            db, key=key, request=body, payout_delay_ms=settings.simulator_payout_delay_ms
        )
    except MalformedAnswer:
        return JSONResponse({"status": "queued"})
    worker.wake()
    await faults.stall_some()
    response.status_code = 202 if row.status == "pending" else 200
    return operation_view(row)


@router.get("/by-key/{key}", response_model=Operation)
async def payout_by_key(key: str, db: DbDep) -> Operation:
    return operation_view(await operations.get_by_key(db, kind="payout", key=_key(key)))


@router.post("/by-key/{key}/cancel", response_model=Operation)
async def cancel_payout(key: str, db: DbDep, faults: FaultsDep, worker: WorkerDep) -> Operation:
    """A pending payout stops for good (`failed`, `canceled`); a paid one stays `paid`."""
    faults.refuse_some()
    row = await operations.cancel_payout(db, key=_key(key), callback_delay_ms=faults.current.callback_delay_ms)
    worker.wake()
    await faults.stall_some()
    return operation_view(row)
