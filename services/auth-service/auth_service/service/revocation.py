"""Ending every grant an account holds at once: what a password change or reset does, so a thief
who knew the old password keeps nothing he made with it (a login, a refresh token, an API client)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from auth_service import events
from auth_service.repository import clients, sessions
from auth_service.service.sessions import now


async def revoke_all_access(
    session: AsyncSession, *, user_id: uuid.UUID, reason: str, keep_session: uuid.UUID | None = None
) -> None:
    """Revokes every session (logins and API clients' own) and every API client of the user,
    except the login `keep_session` (the one that changed the password; None keeps nothing).
    Access tokens of the revoked sessions are refused within seconds (the revocation feed); each
    revoked client's `security.api_client_revoked` disables its webhook endpoints.
    The caller commits, so the revocation and the change that caused it land together."""
    at = now()
    await sessions.revoke_all_of_user(session, user_id=user_id, keep=keep_session, at=at, reason=reason)
    for client_id in await clients.revoke_all_of_user(session, user_id=user_id, at=at):
        await events.emit(session, events.API_CLIENT_REVOKED, user_id=user_id, client_id=client_id, reason=reason)
