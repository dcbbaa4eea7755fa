"""Transfers: send money, read a transfer."""

import uuid

from fastapi import APIRouter
from fastapi.responses import Response

from instapay_common.errors import PROBLEM_RESPONSES
from instapay_common.web.openapi_links import link, with_links
from transaction_service.api.deps import DbDep, HistoryReader, MoneyCall
from transaction_service.api.outcomes import counted_answer
from transaction_service.api.responses import documented, money_problems
from transaction_service.schemas import JsonObject, RefundIn, Transfer, TransferIn
from transaction_service.service import refunds, transfers

router = APIRouter(prefix="/api/v1", tags=["transfers"], responses=PROBLEM_RESPONSES)

# Where a transfer's id leads (POST /transfers and accepting a payment request both answer one).
GET_TRANSFER = link(
    "/api/v1/transfers/{transfer_id}", "get", "Read this transfer again", transfer_id="$response.body#/id"
)


@router.post(
    "/transfers",
    status_code=201,
    responses={
        **with_links(documented(201, Transfer, "Sent: the transfer"), 201, GetTransfer=GET_TRANSFER),
        **money_problems(410, 423),
    },
)
async def create_transfer(body: TransferIn, call: MoneyCall) -> Response:
    """Sends money to a handle, phone or e-mail, or pays a payment link (`payment_link`: its token;
    409 `payment_link_used`, 410 `payment_link_expired`); PIN needed with a user's own token."""
    return await counted_answer("transfer", transfers.transfer(call, body))


@router.get("/transfers/{transfer_id}", response_model=None, responses=documented(200, Transfer, "The transfer"))
async def get_transfer(transfer_id: uuid.UUID, principal: HistoryReader, db: DbDep) -> JsonObject:
    """A transfer, for its sender or recipient only."""
    return await transfers.get_transfer(db, transfer_id=transfer_id, user_id=principal.user_id)


@router.post(
    "/transfers/{transfer_id}/refunds",
    status_code=201,
    responses={
        **with_links(
            documented(201, Transfer, "Refunded: the refund, a transfer with `refund_of`"),
            201,
            GetTransfer=GET_TRANSFER,
        ),
        **money_problems(423),
    },
)
async def create_refund(transfer_id: uuid.UUID, body: RefundIn, call: MoneyCall) -> Response:
    """Gives money back to the sender of a transfer the caller received (recipient only: 404 for
    anyone else). `amount` defaults to what is left to refund; all refunds together never exceed
    the transfer (422 `refund_exceeds_transfer`, with `refundable_amount`); a top-up, withdrawal,
    refund or reversal cannot be refunded (422 `transfer_not_refundable`). PIN and
    Idempotency-Key as for a transfer."""
    return await counted_answer("transfer", refunds.refund(call, transfer_id=transfer_id, body=body))
