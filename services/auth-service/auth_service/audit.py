"""The auth service's audit chain (`auth.audit_log`, instapay_common.audit): sign-ins, password
and PIN changes, PIN locks, API clients and role changes. Each row is written in the transaction
of what it records, just before its commit (the chain's lock is held until then)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from instapay_common.audit.chain import Actor, append_in_session

SCHEMA = "auth"

SIGN_IN = "auth.sign_in"
SIGN_IN_FAILED = "auth.sign_in_failed"
PASSWORD_CHANGED = "auth.password_changed"
PASSWORD_RESET = "auth.password_reset"
PIN_CHANGED = "auth.pin_changed"
PIN_LOCKED = "auth.pin_locked"
CLIENT_CREATED = "auth.client_created"
CLIENT_DELETED = "auth.client_deleted"
ROLE_CHANGED = "auth.role_changed"

ANONYMOUS = Actor("anonymous", "anonymous")
# `python -m auth_service.admin` (make admin): someone with the database's credentials.
OPERATOR = Actor("system", "operator")


def user(user_id: uuid.UUID | str) -> Actor:
    """The account holder, acting on their own account."""
    return Actor(str(user_id), "user")


async def record(
    session: AsyncSession,
    action: str,
    *,
    actor: Actor,
    subject: object | None = None,
    ip: str | None = None,
    **details: Any,
) -> None:
    await append_in_session(session, SCHEMA, action, actor=actor, subject=subject, details=details, ip=ip)


async def own(session: AsyncSession, action: str, user_id: uuid.UUID, *, ip: str | None = None, **details: Any) -> None:
    """A row about the account holder's own account (actor and subject are the same user)."""
    await record(session, action, actor=user(user_id), subject=user_id, ip=ip, **details)
