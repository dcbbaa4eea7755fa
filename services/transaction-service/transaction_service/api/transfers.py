"""Transfers and transaction history."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from instapay_common.errors import PROBLEM_RESPONSES
from instapay_common.web.openapi_links import link, with_links
from instapay_common.web.query_dates import IsoDateOrTimestamp
from transaction_service import accounts, history, transfers
from transaction_service.api.deps import (
    DatabaseDep,
    HistoryReader,
    IdempotencyKey,
    MoneyMover,
    PeersDep,
    SessionDep,
    SettingsDep,
)
from transaction_service.api.outcomes import counted
from transaction_service.api.response_models import TransactionPage, Transfer, documented
from transaction_service.api.responses import money_problems, outcome_response
from transaction_service.exceptions import RecipientNotFound
from transaction_service.schemas import TransferIn

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
        **money_problems(423),
    },
)
async def create_transfer(
    body: TransferIn,
    principal: MoneyMover,
    key: IdempotencyKey,
    db: DatabaseDep,
    peers: PeersDep,
    settings: SettingsDep,
) -> Response:
    """Sends money to a handle, phone or e-mail (PIN needed with a user's own token)."""
    async with counted("transfer") as outcomes:
        outcome = await transfers.transfer(
            db=db, peers=peers, settings=settings, principal=principal, key=key, body=body
        )
        outcomes.append(outcome)
    return outcome_response(outcome)


@router.get("/transfers/{transfer_id}", response_model=None, responses=documented(200, Transfer, "The transfer"))
async def get_transfer(transfer_id: uuid.UUID, principal: HistoryReader, session: SessionDep) -> dict[str, Any]:
    """A transfer, for its sender or recipient only."""
    return await transfers.get_transfer(session, transfer_id=transfer_id, user_id=principal.user_id)


def _bound(value: datetime | date | None, *, end: bool) -> datetime | None:
    """A date means the whole day (UTC): `from` its start, `to` its end (inclusive)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    start = datetime.combine(value, time.min, tzinfo=UTC)
    return start + timedelta(days=1) if end else start


@router.get(
    "/transactions",
    response_model=None,
    responses=documented(200, TransactionPage, "A page of the caller's history, newest first"),
)
async def list_transactions(
    principal: HistoryReader,
    session: SessionDep,
    peers: PeersDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    direction: Literal["in", "out"] | None = None,
    type: Literal["transfer", "topup", "withdrawal"] | None = None,
    from_: Annotated[IsoDateOrTimestamp | None, Query(alias="from")] = None,
    to: IsoDateOrTimestamp | None = None,
    counterparty: Annotated[str | None, Query(max_length=320)] = None,
) -> dict[str, Any]:
    """The caller's history, newest first; `counterparty` is a user id, handle, phone or e-mail."""
    account = await accounts.get_wallet(session, user_id=uuid.UUID(principal.user_id))
    counterparty_id = None
    if counterparty:
        try:
            counterparty_id = uuid.UUID(counterparty)
        except ValueError:
            try:
                counterparty_id = uuid.UUID((await peers.resolve(counterparty))["user_id"])
            except RecipientNotFound:
                return {"items": [], "next_cursor": None}
    return await history.list_transactions(
        session,
        account_id=account.id,
        limit=limit,
        cursor=cursor,
        direction=direction,
        entry_type=type,
        start=_bound(from_, end=False),
        end=_bound(to, end=True),
        counterparty=counterparty_id,
    )
