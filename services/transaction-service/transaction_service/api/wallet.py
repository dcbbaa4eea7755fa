"""GET /wallet, top-ups and withdrawals."""

import uuid

from fastapi import APIRouter
from fastapi.responses import Response

from instapay_common.errors import PROBLEM_RESPONSES
from transaction_service.api.deps import DbDep, FundingDep, MoneyCall, SettingsDep, WalletReader, WithdrawalCall
from transaction_service.api.outcomes import counted_answer
from transaction_service.api.responses import documented, money_problems
from transaction_service.schemas import JsonObject, TopupIn, Transaction, Wallet, WithdrawalIn, wallet_body
from transaction_service.service import funding, wallets
from transaction_service.service.limits import limits_view

router = APIRouter(prefix="/api/v1/wallet", tags=["wallet"], responses=PROBLEM_RESPONSES)


@router.get("", response_model=None, responses=documented(200, Wallet, "The caller's wallet"))
async def get_wallet(principal: WalletReader, db: DbDep, settings: SettingsDep) -> JsonObject:
    """Balance, status and limits (used and remaining) of the caller's wallet."""
    wallet = await wallets.get_wallet(db, user_id=uuid.UUID(principal.user_id))
    return wallet_body(wallet, limits_view(wallet, settings))


@router.post(
    "/topups",
    status_code=201,
    responses={
        **documented(201, Transaction, "Topped up (a saved card, captured at once): the wallet's new history row"),
        **documented(202, Transaction, "Accepted (a bank debit): `status` pending until the provider confirms it"),
        **money_problems(423, 502),
    },
)
async def create_topup(body: TopupIn, call: MoneyCall, provider: FundingDep) -> Response:
    """Adds money from a saved card (captured at once) or a bank account (confirmed later by the
    provider; `limit_exceeded` above the daily or monthly top-up limit)."""
    return await counted_answer("topup", funding.topup(call, provider, body))


@router.post(
    "/withdrawals",
    status_code=201,
    responses={
        **documented(201, Transaction, "Requested: `status` pending, the amount held until the provider pays it out"),
        **money_problems(423, 502),
    },
)
async def create_withdrawal(body: WithdrawalIn, call: WithdrawalCall, provider: FundingDep) -> Response:
    """Sends money to a bank account (PIN needed with a user's own token; an API client needs the
    `wallet:withdraw` scope, which `transfers:write` does not cover): the amount is held at
    once (`available_balance`) and leaves when the provider confirms the payout, or is released if
    the payout fails."""
    return await counted_answer("withdrawal", funding.withdraw(call, provider, body))
