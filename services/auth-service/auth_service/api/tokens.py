"""Token routes: password login, the OAuth 2.0 token endpoint, refresh and logout."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response, status

from auth_service.api.cookies import clear_refresh_cookie, cookie_transport, refresh_from, set_refresh_cookie
from auth_service.api.deps import ClientInfoDep, ContextDep, LivePrincipal, SessionDep
from auth_service.exceptions import (
    InvalidClient,
    InvalidRefreshToken,
    InvalidRequest,
    SessionNotFound,
    UnsupportedGrantType,
    UnsupportedMediaType,
)
from auth_service.schemas import LoginRequest, LogoutRequest, RefreshRequest, TokenResponse
from auth_service.service import clients, login, sessions
from auth_service.service.context import AuthContext
from instapay_common.errors import PROBLEM_RESPONSES, ValidationFailed, problem_doc

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], responses=PROBLEM_RESPONSES)
# Answers that carry a token or a secret are never cached (RFC 6749 5.1).
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _token_reply(request: Request, response: Response, ctx: AuthContext, pair: TokenResponse) -> TokenResponse:
    """The pair, with the refresh token also in the httpOnly cookie; a request that chose cookie
    transport (the web app) gets it there only, so no script can ever read it from a body."""
    response.headers.update(NO_STORE)
    if pair.refresh_token:
        set_refresh_cookie(response, ctx.settings, pair.refresh_token)
        if cookie_transport(request):
            return pair.model_copy(update={"refresh_token": None})
    return pair


FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"


async def _one_form(request: Request) -> None:
    """RFC 6749: the token request is one `application/x-www-form-urlencoded` body whose
    parameters appear at most once (3.2). Anything else is refused before it is read, so every
    layer that looks at the body (the gateway, this service) reads the same single value."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != FORM_MEDIA_TYPE:
        raise UnsupportedMediaType(f"the token endpoint takes {FORM_MEDIA_TYPE} bodies only")
    form = await request.form()  # already parsed (and cached) by FastAPI for the Form() fields
    counts = Counter(name for name, _ in form.multi_items())
    repeated = sorted(name for name, n in counts.items() if n > 1)
    if repeated:
        raise ValidationFailed(
            "token request parameters must not be repeated",
            errors=[{"field": name, "message": "given more than once"} for name in repeated],
        )


@router.post("/login", response_model=TokenResponse, response_model_exclude_none=True)
async def login_(
    request: Request, body: LoginRequest, response: Response, ctx: ContextDep, session: SessionDep, info: ClientInfoDep
) -> TokenResponse:
    pair = await login.password_login(ctx, session, username=body.username, password=body.password, info=info)
    return _token_reply(request, response, ctx, pair)


def _basic_client(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _, secret = base64.b64decode(value).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidClient() from exc
    return client_id, secret


@router.post(
    "/token",
    response_model=TokenResponse,
    response_model_exclude_none=True,
    dependencies=[Depends(_one_form)],
    responses={415: problem_doc("Not an application/x-www-form-urlencoded body")},
)
async def token(
    request: Request,
    response: Response,
    ctx: ContextDep,
    session: SessionDep,
    info: ClientInfoDep,
    grant_type: Annotated[str, Form()],
    username: Annotated[str | None, Form()] = None,
    password: Annotated[str | None, Form()] = None,
    refresh_token: Annotated[str | None, Form()] = None,
    scope: Annotated[str | None, Form()] = None,
    client_id: Annotated[str | None, Form()] = None,
    client_secret: Annotated[str | None, Form()] = None,
) -> TokenResponse:
    """OAuth 2.0 token endpoint (RFC 6749): password, refresh_token and client_credentials grants."""
    if grant_type == "password":
        if not username or not password:
            raise InvalidRequest("username and password are required")
        pair = await login.password_login(ctx, session, username=username, password=password, info=info)
    elif grant_type == "refresh_token":
        presented = refresh_from(request, ctx.settings, refresh_token)
        if not presented:
            raise InvalidRequest("refresh_token is required")
        pair = await sessions.rotate_refresh(ctx, session, refresh_token=presented)
    elif grant_type == "client_credentials":
        basic = _basic_client(request)
        cid, secret = basic if basic else (client_id, client_secret)
        if not cid or not secret:
            raise InvalidClient("client_id and client_secret are required")
        pair = await clients.client_credentials_token(
            ctx, session, client_id=cid, client_secret=secret, scope=scope, ip=info.ip
        )
    else:
        raise UnsupportedGrantType("grant_type must be password, refresh_token or client_credentials")
    return _token_reply(request, response, ctx, pair)


@router.post("/refresh", response_model=TokenResponse, response_model_exclude_none=True)
async def refresh(
    request: Request, response: Response, ctx: ContextDep, session: SessionDep, body: RefreshRequest | None = None
) -> TokenResponse:
    """Rotates the refresh token (body, or the httpOnly cookie when the body has none)."""
    presented = refresh_from(request, ctx.settings, body.refresh_token if body else None)
    if not presented:
        raise InvalidRefreshToken("No refresh token given")
    pair = await sessions.rotate_refresh(ctx, session, refresh_token=presented)
    return _token_reply(request, response, ctx, pair)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(
    request: Request,
    principal: LivePrincipal,
    ctx: ContextDep,
    session: SessionDep,
    body: LogoutRequest | None = None,
) -> Response:
    """Ends the caller's session (and the refresh token's session, if it is the caller's too)."""
    user_id = uuid.UUID(principal.user_id)
    targets = {uuid.UUID(principal.session_id)}
    presented = refresh_from(request, ctx.settings, body.refresh_token if body else None)
    if presented:
        other = await sessions.session_of_refresh(session, presented)
        if other is not None:
            targets.add(other)
    for sid in targets:
        try:
            await sessions.revoke_session(session, session_id=sid, user_id=user_id, reason="logout")
        except SessionNotFound:
            pass  # already ended, or not the caller's: nothing to do
    await session.commit()
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_refresh_cookie(response, ctx.settings)
    return response
