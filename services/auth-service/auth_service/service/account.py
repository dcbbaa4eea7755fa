"""Account security: password change, transaction PIN (set and verify), role changes."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from auth_service import audit, events
from auth_service.exceptions import (
    InvalidPassword,
    InvalidPin,
    PinLocked,
    PinNotSet,
    UserNotFound,
    WeakPassword,
    WeakPin,
)
from auth_service.metrics import PIN_VERIFICATIONS
from auth_service.password_policy import password_problem
from auth_service.pin_policy import pin_problem
from auth_service.pins import PIN_PATTERN, pin_digest, pin_matches
from auth_service.repository import credentials, sessions
from auth_service.repository.credentials import CredentialRow
from auth_service.service.context import AuthContext
from auth_service.service.revocation import revoke_all_access
from auth_service.service.sessions import now
from instapay_common.db.database import Database


async def _credential(session: AsyncSession, user_id: uuid.UUID, *, lock: bool = False) -> CredentialRow:
    credential = await credentials.active(session, user_id, lock=lock)
    if credential is None:
        raise UserNotFound()
    return credential


async def change_password(
    ctx: AuthContext,
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    current_session: uuid.UUID,
    current_password: str,
    new_password: str,
) -> None:
    credential = await _credential(session, user_id)
    if not await ctx.passwords.verify(current_password, credential.password_hash):
        raise InvalidPassword()
    problem = password_problem(new_password, email=credential.email)
    if problem is None and new_password == current_password:
        problem = "the new password must differ from the current one"
    if problem:
        raise WeakPassword(problem)
    changed_at = now()
    await credentials.set_password(
        session, user_id, password_hash=await ctx.passwords.hash(new_password), changed_at=changed_at
    )
    # Every other login and every API client ends (a thief's too): grants made with the old
    # password do not outlive it.
    await revoke_all_access(session, user_id=user_id, reason="password_changed", keep_session=current_session)
    await events.emit(session, events.PASSWORD_CHANGED, user_id=user_id)
    await audit.own(session, audit.PASSWORD_CHANGED, user_id)
    await session.commit()


async def set_pin(ctx: AuthContext, session: AsyncSession, *, user_id: uuid.UUID, pin: str, password: str) -> None:
    """Sets the PIN; the password proves who asks, so it also clears failures and a lock."""
    problem = pin_problem(pin)
    if problem:
        raise WeakPin(problem)
    credential = await _credential(session, user_id)
    if not await ctx.passwords.verify(password, credential.password_hash):
        raise InvalidPassword()
    await credentials.set_pin(session, user_id, pin_hash=pin_digest(ctx.pepper, str(user_id), pin))
    await events.emit(session, events.PIN_CHANGED, user_id=user_id, first_time=credential.pin_hash is None)
    await audit.own(session, audit.PIN_CHANGED, user_id, first_time=credential.pin_hash is None)
    await session.commit()


async def _pin_ok_without_lock(ctx: AuthContext, db: Database, *, user_id: uuid.UUID, pin: str) -> bool:
    state = await credentials.pin_state(db, user_id)
    if state is None or state.pin_hash is None or state.pin_failed_attempts:
        return False
    if state.pin_locked_until is not None and state.pin_locked_until > now():
        return False
    return bool(PIN_PATTERN.match(pin)) and pin_matches(ctx.pepper, str(user_id), pin, state.pin_hash)


async def verify_pin(ctx: AuthContext, db: Database, *, user_id: uuid.UUID, pin: str) -> None:
    """Raises unless `pin` is right. Counting happens under a row lock in the database, so the
    lockout holds across replicas and concurrent attempts.

    Fast path (every transfer comes here): one unlocked autocommit read settles the common case -
    right PIN, no failures to reset, not locked - without a transaction or a write. Anything else
    (a wrong PIN above all) goes through the locked path below, so failures are still counted
    exactly; a right PIN racing a lockout being set is still right.
    """
    if await _pin_ok_without_lock(ctx, db, user_id=user_id, pin=pin):
        PIN_VERIFICATIONS.labels("success").inc()
        return
    async with db.sessionmaker() as session:
        await _verify_pin_locked(ctx, session, user_id=user_id, pin=pin)


async def _verify_pin_locked(ctx: AuthContext, session: AsyncSession, *, user_id: uuid.UUID, pin: str) -> None:
    credential = await _credential(session, user_id, lock=True)
    if credential.pin_hash is None:
        PIN_VERIFICATIONS.labels("pin_not_set").inc()
        raise PinNotSet()
    current = now()
    if credential.pin_locked_until is not None and credential.pin_locked_until > current:
        PIN_VERIFICATIONS.labels("locked").inc()
        retry = int((credential.pin_locked_until - current).total_seconds()) + 1
        raise PinLocked(f"PIN locked; try again in {retry} seconds", headers={"Retry-After": str(retry)})
    if PIN_PATTERN.match(pin) and pin_matches(ctx.pepper, str(user_id), pin, credential.pin_hash):
        if credential.pin_failed_attempts:
            await credentials.set_pin_failures(session, user_id, failed_attempts=0, locked_until=None)
        await session.commit()
        PIN_VERIFICATIONS.labels("success").inc()
        return
    failed = credential.pin_failed_attempts + 1
    left = ctx.settings.pin_max_attempts - failed
    if left <= 0:
        # The lock replaces the count: after it expires the user has the full number of tries.
        locked_until = current + timedelta(seconds=ctx.settings.pin_lock_seconds)
        await credentials.set_pin_failures(session, user_id, failed_attempts=0, locked_until=locked_until)
        # The owner hears of it: five wrong PINs are someone guessing, or a PIN to reset.
        await events.emit(
            session,
            events.PIN_LOCKED,
            user_id=user_id,
            locked_until=locked_until.isoformat(),
            lock_minutes=ctx.settings.pin_lock_seconds // 60,
        )
        await audit.own(session, audit.PIN_LOCKED, user_id, locked_until=locked_until)
    else:
        await credentials.set_pin_failures(
            session, user_id, failed_attempts=failed, locked_until=credential.pin_locked_until
        )
    await session.commit()
    PIN_VERIFICATIONS.labels("invalid_pin").inc()
    if left <= 0:
        raise InvalidPin(f"Wrong PIN; the PIN is now locked for {ctx.settings.pin_lock_seconds // 60} minutes")
    raise InvalidPin(f"Wrong PIN; {left} attempt(s) left before the PIN is locked")


async def change_role(session: AsyncSession, *, email: str, role: str, grant: bool) -> list[str] | None:
    """Grants or revokes `role` on the account with this e-mail; its roles after, or None when
    there is no such account. Roles travel in access tokens, so a change ends the account's login
    sessions: a revoked admin's tokens are refused within seconds, like a logout (API clients
    carry no roles and stay)."""
    changed = await credentials.change_role(session, email=email, role=role, grant=grant)
    if changed is None:
        return None
    user_id, before, after = changed
    if sorted(before) != sorted(after):
        await sessions.revoke_logins_of_user(session, user_id=user_id, at=now(), reason="roles_changed")
        await audit.record(
            session, audit.ROLE_CHANGED, actor=audit.OPERATOR, subject=user_id, role=role, grant=grant, roles=after
        )
    await session.commit()
    return after
