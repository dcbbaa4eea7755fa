"""The caller's transaction history, one transaction and its PDF receipt."""

import asyncio
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from instapay_common.errors import PROBLEM_RESPONSES, ValidationFailed
from instapay_common.web.language import DocumentLanguageName, document_language
from instapay_common.web.query_dates import IsoDateOrTimestamp, range_bound
from transaction_service.api.deps import DbDep, HistoryReader, PeersDep
from transaction_service.api.responses import documented
from transaction_service.schemas import JsonObject, TransactionDetail, TransactionPage
from transaction_service.service import details, history
from transaction_service.service.receipt_pdf import render_receipt

router = APIRouter(prefix="/api/v1", tags=["transfers"], responses=PROBLEM_RESPONSES)


@router.get(
    "/transactions",
    response_model=None,
    responses=documented(200, TransactionPage, "A page of the caller's history, newest first"),
)
async def list_transactions(
    principal: HistoryReader,
    db: DbDep,
    peers: PeersDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    direction: Literal["in", "out"] | None = None,
    type: Literal["transfer", "topup", "withdrawal", "reversal"] | None = None,
    from_: Annotated[IsoDateOrTimestamp | None, Query(alias="from")] = None,
    to: IsoDateOrTimestamp | None = None,
    counterparty: Annotated[str | None, Query(max_length=320)] = None,
) -> JsonObject:
    """The caller's history, newest first. `counterparty` is a user id, a phone or e-mail (that
    user), or text found in part, case-insensitively, in the other party's name or handle."""
    start, end = range_bound(from_, end=False), range_bound(to, end=True)
    if start is not None and end is not None and start >= end:
        # An empty range is a mistake, not a question with no answer: say so instead of [].
        raise ValidationFailed(
            "`from` must be before `to`", errors=[{"field": "from", "message": "must be on or before `to`"}]
        )
    return await history.list_transactions(
        db,
        peers,
        user_id=uuid.UUID(principal.user_id),
        limit=limit,
        cursor=cursor,
        direction=direction,
        entry_type=type,
        start=start,
        end=end,
        counterparty=counterparty,
    )


@router.get(
    "/transactions/{transaction_id}",
    response_model=None,
    responses=documented(200, TransactionDetail, "The transaction in full, for its owner"),
)
async def get_transaction(transaction_id: uuid.UUID, principal: HistoryReader, db: DbDep) -> JsonObject:
    """One of the caller's transactions with its reference, parties, fee and status timeline;
    anyone else's (or an unknown id) answers 404."""
    return await details.transaction_detail(db, user_id=uuid.UUID(principal.user_id), transaction_id=transaction_id)


@router.get(
    "/transactions/{transaction_id}/receipt.pdf",
    summary="The transaction's PDF receipt",
    response_class=Response,
    responses={
        200: {
            "description": "The receipt as a PDF, in the asked language",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def get_receipt(
    transaction_id: uuid.UUID,
    principal: HistoryReader,
    db: DbDep,
    language: Annotated[DocumentLanguageName, Depends(document_language)],
) -> Response:
    """The transaction's PDF receipt (reference, time, type, amount, fee, status, both parties,
    note) in `lang` or the Accept-Language; owner only, like the detail (404 otherwise)."""
    detail = await details.transaction_detail(db, user_id=uuid.UUID(principal.user_id), transaction_id=transaction_id)
    # Drawing and shaping take a few hundred milliseconds of CPU: off the event loop.
    body = await asyncio.to_thread(render_receipt, detail, language)
    name = f"instapay-receipt-{detail.get('reference') or transaction_id}.pdf"
    return Response(body, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})
