"""Third-party API clients: a user's standing grant of a few scopes (client credentials)."""

from __future__ import annotations

import hmac
import secrets
import uuid

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.events import emit
from auth_service.exceptions import ClientNotFound, InvalidClient, InvalidScope
from auth_service.models import ApiClient, Credential, Session
from auth_service.schemas import ClientCreated, ClientOut, TokenResponse
from auth_service.services.context import AuthContext
from auth_service.services.sessions import ClientInfo, now, open_session
from auth_service.tokens import issue_access_token, new_opaque_token, token_digest
from instapay_common.text import is_plain_text

_DUMMY_DIGEST = token_digest("no-such-client")


def _out(client: ApiClient) -> ClientOut:
    return ClientOut(
        client_id=client.client_id, name=client.name, scopes=sorted(client.scopes), created_at=client.created_at
    )


async def create_client(
    db: AsyncSession, *, user_id: uuid.UUID, name: str, scopes: list[str], info: ClientInfo
) -> ClientCreated:
    client_id = "ipc_" + secrets.token_hex(12)
    secret = new_opaque_token("ipcs_")
    # The client's own session: its `sid` lets the gateway refuse its tokens once it is deleted.
    session = await open_session(db, user_id=user_id, info=info, client_id=client_id)
    client = ApiClient(
        client_id=client_id,
        user_id=user_id,
        session_id=session.id,
        name=name,
        scopes=scopes,
        secret_hash=token_digest(secret),
        created_at=now(),
    )
    db.add(client)
    await emit(db, "security.api_client_created", user_id=user_id, client_id=client_id, name=name, scopes=scopes)
    await db.commit()
    return ClientCreated(**_out(client).model_dump(), client_secret=secret)


async def list_clients(db: AsyncSession, *, user_id: uuid.UUID) -> list[ClientOut]:
    rows = await db.scalars(
        select(ApiClient)
        .where(ApiClient.user_id == user_id, ApiClient.revoked_at.is_(None))
        .order_by(ApiClient.created_at.desc())
    )
    return [_out(c) for c in rows]


async def delete_client(db: AsyncSession, *, user_id: uuid.UUID, client_id: str) -> None:
    if not is_plain_text(client_id):  # NUL: PostgreSQL cannot even compare it, and no client id holds it
        raise ClientNotFound()
    client = await db.scalar(
        select(ApiClient)
        .where(ApiClient.client_id == client_id, ApiClient.user_id == user_id, ApiClient.revoked_at.is_(None))
        .with_for_update()
    )
    if client is None:
        raise ClientNotFound()
    client.revoked_at = now()
    await db.execute(
        update(Session).where(Session.id == client.session_id).values(revoked_at=now(), revoked_reason="client_deleted")
    )
    await db.commit()


async def client_credentials_token(
    ctx: AuthContext, db: AsyncSession, *, client_id: str, client_secret: str, scope: str | None
) -> TokenResponse:
    # An id with NUL names no client (and PostgreSQL would refuse the query): unknown, like any other.
    client = (
        await db.scalar(select(ApiClient).where(ApiClient.client_id == client_id)) if is_plain_text(client_id) else None
    )
    # Compare even for an unknown id, so timing does not tell which client ids exist.
    ok = hmac.compare_digest(token_digest(client_secret), client.secret_hash if client else _DUMMY_DIGEST)
    if client is None or not ok or client.revoked_at is not None:
        raise InvalidClient(headers={"WWW-Authenticate": 'Basic realm="instapay"'})
    owner = await db.get(Credential, client.user_id)
    session = await db.get(Session, client.session_id)
    if owner is None or owner.status != "active" or session is None or session.revoked_at is not None:
        raise InvalidClient()
    granted = set(client.scopes)
    if scope:
        requested = set(scope.split())
        if not requested <= granted:
            raise InvalidScope(f"scope outside the client's grant: {sorted(requested - granted)}")
        granted = requested
    session.last_used_at = now()
    await db.commit()
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
