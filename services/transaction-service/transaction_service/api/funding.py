"""The funding provider's side: its signed callbacks, and reconciliation for admins."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request

from instapay_common.errors import PROBLEM_RESPONSES, problem_doc
from transaction_service.api.deps import Admin, DbDep, FundingDep, SettingsDep
from transaction_service.api.responses import documented
from transaction_service.schemas import CallbackAnswer, JsonObject, Reconciliation
from transaction_service.service import funding_callbacks, reconciliation

router = APIRouter(prefix="/api/v1", tags=["funding"], responses=PROBLEM_RESPONSES)


@router.post(
    "/funding/webhooks/{provider}",
    response_model=None,
    responses={
        **documented(200, CallbackAnswer, "Applied now, or a duplicate that changed nothing"),
        401: problem_doc("Missing, wrong or stale signature (`invalid_signature`); nothing changed"),
    },
)
async def provider_callback(
    provider: str, request: Request, db: DbDep, funding: FundingDep, settings: SettingsDep
) -> JsonObject:
    """A provider's callback. Authenticated by its signature (HMAC-SHA256 over `timestamp.body`),
    not by a token; stored before it is applied; a duplicate is answered 200 and changes nothing."""
    body = await request.body()
    result = await funding_callbacks.receive(
        db, funding, settings, provider=provider, headers=request.headers, body=body
    )
    return {"status": result}


@router.get(
    "/admin/reconciliation",
    response_model=None,
    responses=documented(200, Reconciliation, "Matched items and every discrepancy of the day"),
)
async def get_reconciliation(
    date_: Annotated[date, Query(alias="date", description="The UTC day, YYYY-MM-DD")],
    _admin: Admin,
    db: DbDep,
    funding: FundingDep,
) -> JsonObject:
    """The provider's settlement report of the day against the ledger (run now if not yet run)."""
    return reconciliation.run_body(await reconciliation.stored_or_run(db, funding, date_))
