"""Payment requests: create, list, accept, decline, cancel."""

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from instapay_common.errors import PROBLEM_RESPONSES
from instapay_common.web.openapi_links import link, with_links
from transaction_service.api.deps import DbDep, HistoryReader, MoneyCall, MoneyMover, PeersDep, SettingsDep
from transaction_service.api.outcomes import counted_answer
from transaction_service.api.responses import documented, money_problems
from transaction_service.api.transfers import GET_TRANSFER
from transaction_service.schemas import (
    AcceptIn,
    JsonObject,
    PaymentRequest,
    PaymentRequestIn,
    PaymentRequestPage,
    Transfer,
)
from transaction_service.service import payment_requests

router = APIRouter(prefix="/api/v1/payment-requests", tags=["payment requests"], responses=PROBLEM_RESPONSES)

# What the payer and the requester can do with a request they were just answered.
REQUEST_LINKS = {
    action.capitalize() + "Request": link(
        f"/api/v1/payment-requests/{{request_id}}/{action}",
        "post",
        f"{action.capitalize()} this request ({who} only)",
        request_id="$response.body#/id",
    )
    for action, who in (("accept", "payer"), ("decline", "payer"), ("cancel", "requester"))
}


@router.post(
    "",
    status_code=201,
    response_model=None,
    responses=with_links(documented(201, PaymentRequest, "Created: the request, `pending`"), 201, **REQUEST_LINKS),
)
async def create_request(
    body: PaymentRequestIn, principal: MoneyMover, db: DbDep, peers: PeersDep, settings: SettingsDep
) -> JsonObject:
    """Asks `payer` (handle, phone or e-mail) for money."""
    return await payment_requests.create(db, peers=peers, settings=settings, principal=principal, body=body)


@router.get(
    "", response_model=None, responses=documented(200, PaymentRequestPage, "A page of payment requests, newest first")
)
async def list_requests(
    principal: HistoryReader,
    db: DbDep,
    role: Literal["incoming", "outgoing"] | None = None,
    status: Literal["pending", "accepted", "declined", "cancelled", "expired"] | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
) -> JsonObject:
    """Requests where the caller is the payer (incoming) or the requester (outgoing), newest first."""
    return await payment_requests.list_requests(
        db, principal=principal, role=role, status=status, limit=limit, cursor=cursor
    )


@router.post(
    "/{request_id}/accept",
    status_code=201,
    responses={
        **with_links(
            documented(201, Transfer, "Paid: the transfer (its `payment_request_id` is this request)"),
            201,
            GetTransfer=GET_TRANSFER,
        ),
        **money_problems(423),
    },
)
async def accept_request(request_id: uuid.UUID, call: MoneyCall, body: AcceptIn | None = None) -> Response:
    """The payer pays the request: answers the transfer (201)."""
    pin = body.pin if body else None
    return await counted_answer("transfer", payment_requests.accept(call, request_id=request_id, pin=pin))


@router.post(
    "/{request_id}/decline", response_model=None, responses=documented(200, PaymentRequest, "Declined: the request")
)
async def decline_request(request_id: uuid.UUID, principal: MoneyMover, db: DbDep) -> JsonObject:
    return await payment_requests.decline_or_cancel(db, request_id=request_id, principal=principal, action="decline")


@router.post(
    "/{request_id}/cancel", response_model=None, responses=documented(200, PaymentRequest, "Cancelled: the request")
)
async def cancel_request(request_id: uuid.UUID, principal: MoneyMover, db: DbDep) -> JsonObject:
    return await payment_requests.decline_or_cancel(db, request_id=request_id, principal=principal, action="cancel")
