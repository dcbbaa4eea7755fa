"""Third-party API clients: a user's standing grant of a few scopes (client credentials)."""

from __future__ import annotations

import hmac
import secrets
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from auth_service import audit, events
from auth_service.exceptions import (
    ClientNotFound,
    InvalidClient,
    InvalidCredentials,
    InvalidScope,
    TooManyClients,
    UserNotFound,
)
from auth_service.repository import clients, credentials, sessions
from auth_service.repository.clients import ClientRow
from auth_service.schemas import ClientCreated, ClientOut, TokenResponse
from auth_service.service import signin_throttle
from auth_service.service.account import verify_pin
from auth_service.service.context import AuthContext
from auth_service.service.sessions import ClientInfo, now, open_session
from auth_service.tokens import issue_access_token, new_opaque_token, token_digest
from instapay_common.db.database import Database
from instapay_common.errors import ValidationFailed
from instapay_common.security.scopes import MONEY_SCOPES
from instapay_common.text import is_plain_text

_DUMMY_DIGEST = token_digest("no-such-client")


def _out(client: ClientRow) -> ClientOut:
    return ClientOut(
        client_id=client.client_id, name=client.name, scopes=sorted(client.scopes), created_at=client.created_at
    )


async def _check_owner(
    ctx: AuthContext,
    db: Database,
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    password: str,
    pin: str | None,
    money: bool,
) -> None:
    """The caller proves it is the owner, not a thief holding a 15-minute token: the password
    (argon2, one run whatever the outcome), and the PIN for a money scope (counted towards the
    PIN lock exactly as a transfer's)."""
    credential = await credentials.active(session, user_id)
    if credential is None:
        raise UserNotFound()
    if not await ctx.passwords.verify(password, credential.password_hash):
        raise InvalidCredentials("The password is not correct")
    if money:
        if not pin:
            raise ValidationFailed(
                "pin is required for transfers:write or wallet:withdraw",
                errors=[{"field": "pin", "message": "field required for a money scope"}],
            )
        await verify_pin(ctx, db, user_id=user_id, pin=pin)


async def create_client(
    ctx: AuthContext,
    db: Database,
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    name: str,
    scopes: list[str],
    password: str,
    pin: str | None,
    info: ClientInfo,
) -> ClientCreated:
    """The secret is returned once, here; only its digest is stored. At most
    `max_api_clients` live clients per user: each is a standing grant with its own quota."""
    await _check_owner(
        ctx, db, session, user_id=user_id, password=password, pin=pin, money=bool(MONEY_SCOPES & set(scopes))
    )
    # The account row locked while counting, so parallel creations cannot pass the cap together
    # (taken after the PIN check, which locks the same row in its own transaction).
    if await credentials.active(session, user_id, lock=True) is None:
        raise UserNotFound()
    if await clients.count_live_of_user(session, user_id) >= ctx.settings.max_api_clients:
        raise TooManyClients(f"at most {ctx.settings.max_api_clients} API clients; delete one first")
    client_id = "ipc_" + secrets.token_hex(12)
    secret = new_opaque_token("ipcs_")
    # The client's own session: its `sid` lets the gateway refuse its tokens once it is deleted.
    session_id = await open_session(session, user_id=user_id, info=info, client_id=client_id)
    client = ClientRow(
        client_id=client_id,
        user_id=user_id,
        session_id=session_id,
        name=name,
        scopes=scopes,
        secret_hash=token_digest(secret),
        created_at=now(),
        revoked_at=None,
    )
    await clients.insert_client(session, client)
    await events.emit(
        session, events.API_CLIENT_CREATED, user_id=user_id, client_id=client_id, name=name, scopes=scopes
    )
    await audit.own(session, audit.CLIENT_CREATED, user_id, ip=info.ip, client_id=client_id, name=name, scopes=scopes)
    await session.commit()
    return ClientCreated(**_out(client).model_dump(), client_secret=secret)


async def list_clients(session: AsyncSession, *, user_id: uuid.UUID) -> list[ClientOut]:
    return [_out(c) for c in await clients.live_of_user(session, user_id)]


async def delete_client(session: AsyncSession, *, user_id: uuid.UUID, client_id: str) -> None:
    """Revokes the client and its session (so its live tokens are refused too)."""
    if not is_plain_text(client_id):  # NUL: PostgreSQL cannot even compare it, and no client id holds it
        raise ClientNotFound()
    client = await clients.live_of_user_for_update(session, client_id=client_id, user_id=user_id)
    if client is None:
        raise ClientNotFound()
    await clients.mark_revoked(session, client_id, at=now())
    await sessions.revoke(session, client.session_id, at=now(), reason="client_deleted")
    await events.emit(session, events.API_CLIENT_REVOKED, user_id=user_id, client_id=client_id, reason="deleted")
    await audit.own(session, audit.CLIENT_DELETED, user_id, client_id=client_id)
    await session.commit()


async def client_credentials_token(
    ctx: AuthContext, session: AsyncSession, *, client_id: str, client_secret: str, scope: str | None, ip: str | None
) -> TokenResponse:
    """Wrong secrets are throttled like passwords (service/signin_throttle.py), on the client id
    as typed and on the address."""
    reservation = await signin_throttle.reserve(
        ctx.settings,
        session,
        account=signin_throttle.name_key("client:" + client_id),
        address=signin_throttle.address_key(ip),
    )
    # An id with NUL names no client (and PostgreSQL would refuse the query): unknown, like any other.
    client = await clients.by_id(session, client_id) if is_plain_text(client_id) else None
    # Compare even for an unknown id, so timing does not tell which client ids exist.
    ok = hmac.compare_digest(token_digest(client_secret), client.secret_hash if client else _DUMMY_DIGEST)
    if client is None or not ok or client.revoked_at is not None:
        await signin_throttle.failed(session, reservation)
        raise InvalidClient(headers={"WWW-Authenticate": 'Basic realm="instapay"'})
    await signin_throttle.succeeded(session, reservation)  # committed below, with the grant's use
    owner = await credentials.by_user_id(session, client.user_id)
    grant = await sessions.get(session, client.session_id)
    if owner is None or not owner.active or grant is None or grant.revoked_at is not None:
        raise InvalidClient()
    granted = set(client.scopes)
    if scope:
        requested = set(scope.split())
        if not requested <= granted:
            raise InvalidScope(f"scope outside the client's grant: {sorted(requested - granted)}")
        granted = requested
    await sessions.touch(session, client.session_id, at=now())
    await session.commit()
    # Acts for the owning user, with only the client's scopes and never the user's roles.
    access = issue_access_token(
        ctx.keys,
        ctx.settings,
        user_id=client.user_id,
        session_id=client.session_id,
        scopes=granted,
        roles=[],
        client_id=client.client_id,
    )
    return TokenResponse(
        access_token=access, expires_in=ctx.settings.access_token_ttl_seconds, scope=" ".join(sorted(granted))
    )
