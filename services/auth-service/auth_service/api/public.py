"""Public auth routes (through the gateway): /api/v1/auth/*."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response, status

from auth_service.api.cookies import clear_refresh_cookie, refresh_from, set_refresh_cookie
from auth_service.api.deps import AccountOwner, Client, Ctx, DbSession, LivePrincipal
from auth_service.exceptions import InvalidClient, InvalidRefreshToken, InvalidRequest, UnsupportedGrantType
from auth_service.schemas import (
    ClientCreated,
    ClientCreateRequest,
    ClientList,
    LoginRequest,
    LogoutRequest,
    PasswordChangeRequest,
    PinRequest,
    RefreshRequest,
    RegisterRequest,
    RegisterResponse,
    SessionList,
    SessionOut,
    TokenResponse,
)
from auth_service.services import account, clients, login, registration, sessions
from instapay_common.errors import PROBLEM_RESPONSES
from instapay_common.web.openapi_links import link

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], responses=PROBLEM_RESPONSES)
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _token_reply(response: Response, ctx, pair: TokenResponse) -> TokenResponse:
    response.headers.update(NO_STORE)
    if pair.refresh_token:
        set_refresh_cookie(response, ctx.settings, pair.refresh_token)
    return pair


@router.post("/register", status_code=status.HTTP_201_CREATED, response_model=RegisterResponse)
async def register(body: RegisterRequest, ctx: Ctx, db: DbSession) -> RegisterResponse:
    return await registration.register(ctx, db, body)


@router.post("/login", response_model=TokenResponse, response_model_exclude_none=True)
async def login_(body: LoginRequest, response: Response, ctx: Ctx, db: DbSession, info: Client) -> TokenResponse:
    pair = await login.password_login(ctx, db, username=body.username, password=body.password, info=info)
    return _token_reply(response, ctx, pair)


def _basic_client(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, _, secret = base64.b64decode(value).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidClient() from exc
    return client_id, secret


@router.post("/token", response_model=TokenResponse, response_model_exclude_none=True)
async def token(
    request: Request,
    response: Response,
    ctx: Ctx,
    db: DbSession,
    info: Client,
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
        pair = await login.password_login(ctx, db, username=username, password=password, info=info)
    elif grant_type == "refresh_token":
        presented = refresh_from(request, ctx.settings, refresh_token)
        if not presented:
            raise InvalidRequest("refresh_token is required")
        pair = await sessions.rotate_refresh(ctx, db, refresh_token=presented)
    elif grant_type == "client_credentials":
        basic = _basic_client(request)
        cid, secret = basic if basic else (client_id, client_secret)
        if not cid or not secret:
            raise InvalidClient("client_id and client_secret are required")
        pair = await clients.client_credentials_token(ctx, db, client_id=cid, client_secret=secret, scope=scope)
    else:
        raise UnsupportedGrantType("grant_type must be password, refresh_token or client_credentials")
    return _token_reply(response, ctx, pair)


@router.post("/refresh", response_model=TokenResponse, response_model_exclude_none=True)
async def refresh(
    request: Request, response: Response, ctx: Ctx, db: DbSession, body: RefreshRequest | None = None
) -> TokenResponse:
    """Rotates the refresh token (body, or the httpOnly cookie when the body has none)."""
    presented = refresh_from(request, ctx.settings, body.refresh_token if body else None)
    if not presented:
        raise InvalidRefreshToken("No refresh token given")
    pair = await sessions.rotate_refresh(ctx, db, refresh_token=presented)
    return _token_reply(response, ctx, pair)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(
    request: Request, principal: LivePrincipal, ctx: Ctx, db: DbSession, body: LogoutRequest | None = None
) -> Response:
    """Ends the caller's session (and the refresh token's session, if it is the caller's too)."""
    user_id = uuid.UUID(principal.user_id)
    targets = {uuid.UUID(principal.session_id)}
    presented = refresh_from(request, ctx.settings, body.refresh_token if body else None)
    if presented:
        other = await sessions.session_of_refresh(db, presented)
        if other is not None:
            targets.add(other)
    for sid in targets:
        try:
            await sessions.revoke_session(db, session_id=sid, user_id=user_id, reason="logout")
        except sessions.SessionNotFound:
            pass  # already ended, or not the caller's: nothing to do
    await db.commit()
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_refresh_cookie(response, ctx.settings)
    return response


@router.get("/sessions", response_model=SessionList)
async def list_sessions(principal: AccountOwner, ctx: Ctx, db: DbSession) -> SessionList:
    rows = await sessions.list_sessions(
        db, user_id=uuid.UUID(principal.user_id), idle_limit=timedelta(seconds=ctx.settings.refresh_token_ttl_seconds)
    )
    return SessionList(
        items=[
            SessionOut(
                id=s.id,
                created_at=s.created_at,
                last_used_at=s.last_used_at,
                user_agent=s.user_agent,
                ip=s.ip,
                current=str(s.id) == principal.session_id,
            )
            for s in rows
        ]
    )


@router.delete("/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_session(session_id: uuid.UUID, principal: AccountOwner, db: DbSession) -> Response:
    await sessions.revoke_session(db, session_id=session_id, user_id=uuid.UUID(principal.user_id), reason="deleted")
    await db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT)
async def change_password(body: PasswordChangeRequest, principal: AccountOwner, ctx: Ctx, db: DbSession) -> Response:
    await account.change_password(
        ctx,
        db,
        user_id=uuid.UUID(principal.user_id),
        current_session=uuid.UUID(principal.session_id),
        current_password=body.current_password,
        new_password=body.new_password,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/pin", status_code=status.HTTP_204_NO_CONTENT)
async def set_pin(body: PinRequest, principal: AccountOwner, ctx: Ctx, db: DbSession) -> Response:
    await account.set_pin(ctx, db, user_id=uuid.UUID(principal.user_id), pin=body.pin, password=body.password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/clients",
    status_code=status.HTTP_201_CREATED,
    response_model=ClientCreated,
    responses={
        201: {
            "links": {
                "DeleteClient": link(
                    "/api/v1/auth/clients/{client_id}",
                    "delete",
                    "Delete (revoke) this client",
                    client_id="$response.body#/client_id",
                )
            }
        }
    },
)
async def create_client(
    body: ClientCreateRequest, response: Response, principal: AccountOwner, db: DbSession, info: Client
) -> ClientCreated:
    response.headers.update(NO_STORE)
    return await clients.create_client(
        db, user_id=uuid.UUID(principal.user_id), name=body.name, scopes=body.scopes, info=info
    )


@router.get("/clients", response_model=ClientList)
async def list_clients(principal: AccountOwner, db: DbSession) -> ClientList:
    return ClientList(items=await clients.list_clients(db, user_id=uuid.UUID(principal.user_id)))


@router.delete("/clients/{client_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_client(client_id: str, principal: AccountOwner, db: DbSession) -> Response:
    await clients.delete_client(db, user_id=uuid.UUID(principal.user_id), client_id=client_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
