"""Dependency aliases of the auth service's routes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from auth_service.exceptions import SessionRevoked
from auth_service.service.context import AuthContext
from auth_service.service.sessions import ClientInfo, is_session_live
from instapay_common.errors import InsufficientScope
from instapay_common.security.internal import client_address
from instapay_common.security.scopes import ACCOUNT_MANAGE
from instapay_common.security.tokens import CurrentPrincipal, Principal
from instapay_common.web.deps import DbDep, SessionDep

__all__ = ["AccountOwner", "ClientInfoDep", "ContextDep", "DbDep", "LivePrincipal", "SessionDep"]


async def _context(request: Request) -> AuthContext:
    context: AuthContext = request.app.state.auth
    return context


async def _client_info(request: Request) -> ClientInfo:
    # The client address the gateway decided (its trusted-proxy rule), believed only with the
    # gateway's own credential; otherwise the peer. X-Forwarded-For is never read here.
    ip = client_address(request)
    return ClientInfo(ip=ip or None, user_agent=request.headers.get("user-agent"))


ContextDep = Annotated[AuthContext, Depends(_context)]
ClientInfoDep = Annotated[ClientInfo, Depends(_client_info)]


def _session_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise SessionRevoked() from exc


async def _live_principal(principal: CurrentPrincipal, session: SessionDep) -> Principal:
    # The auth service is where revocation is decided, so it checks it on every call, not
    # within 5 s like the gateway: a revoked session cannot touch account settings at all.
    if not await is_session_live(session, _session_id(principal.session_id)):
        raise SessionRevoked()
    return principal


LivePrincipal = Annotated[Principal, Depends(_live_principal)]


async def _account_owner(principal: LivePrincipal) -> Principal:
    if not principal.has_scope(ACCOUNT_MANAGE) or principal.is_api_client:
        raise InsufficientScope(f"this call needs the '{ACCOUNT_MANAGE}' scope (a user's own login)")
    return principal


AccountOwner = Annotated[Principal, Depends(_account_owner)]
