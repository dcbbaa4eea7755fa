"""Control endpoints for the proof suites and the sandbox (`/_sim/...`, control token): faults,
everything the simulator has charged and paid out, and the text messages it accepted."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from provider_simulator.api.deps import DbDep, FaultsDep, SmsInboxDep, controller
from provider_simulator.schemas import Faults, FaultsUpdate, OperationSummary, Sms
from provider_simulator.service import operations
from provider_simulator.service.wire import money

router = APIRouter(prefix="/_sim", tags=["control"], dependencies=[Depends(controller)])


@router.get("/faults", response_model=Faults)
async def get_faults(faults: FaultsDep) -> Faults:
    return faults.current


@router.post("/faults", response_model=Faults)
async def set_faults(body: FaultsUpdate, faults: FaultsDep) -> Faults:
    """The fields given replace the current ones; the others keep their value."""
    return faults.update(body)


@router.post("/reset-faults", response_model=Faults)
async def reset_faults(faults: FaultsDep) -> Faults:
    return faults.reset()


async def _summaries(db: DbDep, kind: str) -> list[OperationSummary]:
    return [
        OperationSummary(
            id=row.id,
            idempotency_key=row.idempotency_key,
            amount=money(row.amount),
            status=row.status,
            failure_reason=row.failure_reason,
        )
        for row in await operations.list_all(db, kind=kind)
    ]


@router.get("/charges", response_model=list[OperationSummary])
async def all_charges(db: DbDep) -> list[OperationSummary]:
    return await _summaries(db, "charge")


@router.get("/payouts", response_model=list[OperationSummary])
async def all_payouts(db: DbDep) -> list[OperationSummary]:
    return await _summaries(db, "payout")


@router.get("/sms", response_model=list[Sms])
async def sms_sent(
    inbox: SmsInboxDep,
    to: Annotated[str | None, Query(max_length=32, description="only messages to this number (E.164)")] = None,
) -> list[Sms]:
    """Text messages accepted by POST /v1/sms, oldest first."""
    return inbox.sent_to(to)
