"""GET /wallet, top-ups and withdrawals."""

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from instapay_common.errors import PROBLEM_RESPONSES
from transaction_service import accounts, funding_ops
from transaction_service.api.deps import (
    DatabaseDep,
    IdempotencyKey,
    MoneyMover,
    PeersDep,
    ReadSessionDep,
    SettingsDep,
    WalletReader,
)
from transaction_service.api.outcomes import counted
from transaction_service.api.response_models import Transaction, Wallet, documented
from transaction_service.api.responses import money_problems, outcome_response
from transaction_service.schemas import TopupIn, WithdrawalIn

router = APIRouter(prefix="/api/v1/wallet", tags=["wallet"], responses=PROBLEM_RESPONSES)


@router.get("", response_model=None, responses=documented(200, Wallet, "The caller's wallet"))
async def get_wallet(principal: WalletReader, session: ReadSessionDep, settings: SettingsDep) -> dict[str, Any]:
    """Balance, status and limits (used and remaining) of the caller's wallet."""
    account = await accounts.get_wallet(session, user_id=uuid.UUID(principal.user_id))
    return accounts.wallet_view(account, settings)


@router.post(
    "/topups",
    status_code=201,
    responses={
        **documented(201, Transaction, "Topped up: the wallet's new history row (`direction` in)"),
        **money_problems(423, 502),
    },
)
async def create_topup(
    body: TopupIn,
    principal: MoneyMover,
    key: IdempotencyKey,
    db: DatabaseDep,
    peers: PeersDep,
    settings: SettingsDep,
    request: Request,
) -> Response:
    """Adds money from a card or bank account (through the funding provider)."""
    async with counted("topup") as outcomes:
        outcome = await funding_ops.topup(
            db=db,
            peers=peers,
            funding=request.app.state.funding,
            settings=settings,
            principal=principal,
            key=key,
            body=body,
        )
        outcomes.append(outcome)
    return outcome_response(outcome)


@router.post(
    "/withdrawals",
    status_code=201,
    responses={
        **documented(201, Transaction, "Withdrawn: the wallet's new history row (`direction` out)"),
        **money_problems(423, 502),
    },
)
async def create_withdrawal(
    body: WithdrawalIn,
    principal: MoneyMover,
    key: IdempotencyKey,
    db: DatabaseDep,
    peers: PeersDep,
    settings: SettingsDep,
    request: Request,
) -> Response:
    """Sends money to a bank account (PIN needed with a user's own token)."""
    async with counted("withdrawal") as outcomes:
        outcome = await funding_ops.withdraw(
            db=db,
            peers=peers,
            funding=request.app.state.funding,
            settings=settings,
            principal=principal,
            key=key,
            body=body,
        )
        outcomes.append(outcome)
    return outcome_response(outcome)
