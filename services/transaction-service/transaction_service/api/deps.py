"""`Annotated` dependency aliases of the transaction service's routes. Every route reaches the
database through `DbDep` (the raw asyncpg layer); no route uses an SQLAlchemy session."""

from typing import Annotated

from fastapi import Depends, Header, Request

from instapay_common.errors import InsufficientScope
from instapay_common.security.scopes import (
    ROLE_ADMIN,
    TRANSACTIONS_READ,
    TRANSFERS_WRITE,
    WALLET_READ,
    WALLET_WITHDRAW,
)
from instapay_common.security.tokens import CurrentPrincipal, Principal, require_role, require_scope
from instapay_common.web.deps import DbDep as DbDep  # re-exported: routes take every alias from here
from transaction_service.api.openapi_doc import OPTIONAL_KEY
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import IdempotencyKeyRequired
from transaction_service.funding.provider import FundingProvider
from transaction_service.peers import Peers
from transaction_service.service.money_operation import MoneyContext


async def get_settings(request: Request) -> TransactionSettings:
    settings: TransactionSettings = request.app.state.settings
    return settings


async def get_peers(request: Request) -> Peers:
    peers: Peers = request.app.state.peers
    return peers


async def get_funding(request: Request) -> FundingProvider:
    funding: FundingProvider = request.app.state.funding
    return funding


async def idempotency_key(idempotency_key: Annotated[str | None, Header()] = None) -> str:
    if idempotency_key is None or not 1 <= len(idempotency_key) <= 255:
        raise IdempotencyKeyRequired("send an Idempotency-Key header of 1-255 characters")
    return idempotency_key


async def optional_idempotency_key(
    idempotency_key: Annotated[str | None, Header(description=OPTIONAL_KEY)] = None,
) -> str | None:
    """A route that also works without a key (it moves no money itself); a key sent must still be
    1-255 characters, the same 400 as a required one."""
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 255:
        raise IdempotencyKeyRequired("send an Idempotency-Key header of 1-255 characters, or none")
    return idempotency_key


SettingsDep = Annotated[TransactionSettings, Depends(get_settings)]
PeersDep = Annotated[Peers, Depends(get_peers)]
FundingDep = Annotated[FundingProvider, Depends(get_funding)]
IdempotencyKey = Annotated[str, Depends(idempotency_key)]
OptionalIdempotencyKey = Annotated[str | None, Depends(optional_idempotency_key)]
WalletReader = Annotated[Principal, require_scope(WALLET_READ)]
HistoryReader = Annotated[Principal, require_scope(TRANSACTIONS_READ)]
MoneyMover = Annotated[Principal, require_scope(TRANSFERS_WRITE)]
Admin = Annotated[Principal, require_role(ROLE_ADMIN)]


async def money_context(
    principal: MoneyMover, key: IdempotencyKey, db: DbDep, peers: PeersDep, settings: SettingsDep
) -> MoneyContext:
    """A money-moving route's caller (scope `transfers:write`, checked first), key and resources."""
    return MoneyContext(db=db, peers=peers, settings=settings, principal=principal, key=key)


MoneyCall = Annotated[MoneyContext, Depends(money_context)]


async def _withdrawer(principal: CurrentPrincipal) -> Principal:
    # Money leaving the platform is a grant of its own for API clients. A user's own login holds
    # every scope; one whose token predates `wallet:withdraw` (issued by the previous release,
    # at most 15 minutes old) is still let through by `transfers:write`.
    if principal.has_scope(WALLET_WITHDRAW) or (not principal.is_api_client and principal.has_scope(TRANSFERS_WRITE)):
        return principal
    raise InsufficientScope(f"this call needs the '{WALLET_WITHDRAW}' scope")


async def withdrawal_context(
    principal: Annotated[Principal, Depends(_withdrawer)],
    key: IdempotencyKey,
    db: DbDep,
    peers: PeersDep,
    settings: SettingsDep,
) -> MoneyContext:
    """A withdrawal's caller (scope `wallet:withdraw`, checked first), key and resources."""
    return MoneyContext(db=db, peers=peers, settings=settings, principal=principal, key=key)


WithdrawalCall = Annotated[MoneyContext, Depends(withdrawal_context)]
