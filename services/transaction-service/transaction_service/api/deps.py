"""`Annotated` dependency aliases of the transaction service's routes."""

from typing import Annotated

from fastapi import Depends, Header, Request

from instapay_common.security.scopes import ROLE_ADMIN, TRANSACTIONS_READ, TRANSFERS_WRITE, WALLET_READ
from instapay_common.security.tokens import Principal, require_role, require_scope
from instapay_common.web.deps import DatabaseDep, ReadSessionDep, SessionDep  # noqa: F401 - re-exported for the routes
from transaction_service.config import TransactionSettings
from transaction_service.exceptions import IdempotencyKeyRequired
from transaction_service.peers import Peers


async def get_settings(request: Request) -> TransactionSettings:
    return request.app.state.settings


async def get_peers(request: Request) -> Peers:
    return request.app.state.peers


async def idempotency_key(idempotency_key: Annotated[str | None, Header()] = None) -> str:
    if idempotency_key is None or not 1 <= len(idempotency_key) <= 255:
        raise IdempotencyKeyRequired("send an Idempotency-Key header of 1-255 characters")
    return idempotency_key


SettingsDep = Annotated[TransactionSettings, Depends(get_settings)]
PeersDep = Annotated[Peers, Depends(get_peers)]
IdempotencyKey = Annotated[str, Depends(idempotency_key)]
WalletReader = Annotated[Principal, require_scope(WALLET_READ)]
HistoryReader = Annotated[Principal, require_scope(TRANSACTIONS_READ)]
MoneyMover = Annotated[Principal, require_scope(TRANSFERS_WRITE)]
Admin = Annotated[Principal, require_role(ROLE_ADMIN)]
