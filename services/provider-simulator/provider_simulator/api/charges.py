"""Charges: POST /v1/charges, GET /v1/charges/by-key/{key}."""

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
from provider_simulator.schemas import ChargeRequest, Operation
from provider_simulator.service import operations
from provider_simulator.service.operations import MalformedAnswer
from provider_simulator.service.wire import operation_view

router = APIRouter(prefix="/v1/charges", tags=["charges"], dependencies=[Depends(api_client)])


@router.post("", response_model=Operation, responses={202: {"model": Operation}})
async def create_charge(
    body: ChargeRequest,
    key: IdempotencyKeyDep,
    response: Response,
    db: DbDep,
    settings: SettingsDep,
    faults: FaultsDep,
    worker: WorkerDep,
) -> Operation | Response:
    """A card is captured at once (200 `succeeded`); a bank debit is accepted (202 `pending`) and
    confirmed by callback. The same key and body answer the same charge."""
    faults.refuse_some()
    try:
        row = await operations.create_charge(
            db,
            key=key,
            request=body,
            bank_delay_ms=settings.simulator_bank_delay_ms,
            callback_delay_ms=faults.current.callback_delay_ms,
        )
    except MalformedAnswer:
        return JSONResponse({"status": "approved"})
    worker.wake()
    await faults.stall_some()
    response.status_code = 202 if row.status == "pending" else 200
    return operation_view(row)


@router.get("/by-key/{key}", response_model=Operation)
async def charge_by_key(key: str, db: DbDep) -> Operation:
    canonical = canonical_key(key)
    if canonical is None:
        raise OperationNotFound(f"no charge under key {key}")
    return operation_view(await operations.get_by_key(db, kind="charge", key=canonical))
