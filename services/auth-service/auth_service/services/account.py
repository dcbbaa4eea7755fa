"""Account security: password change, transaction PIN (set and verify)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.events import emit
from auth_service.exceptions import InvalidPassword, InvalidPin, PinLocked, PinNotSet, UserNotFound, WeakPassword
from auth_service.metrics import PIN_VERIFICATIONS
from auth_service.models import Credential, Session
from auth_service.password_policy import password_problem
from auth_service.pins import PIN_PATTERN, pin_digest, pin_matches
from auth_service.services.context import AuthContext
from auth_service.services.sessions import now
from instapay_common.db import rawsql
from instapay_common.db.database import Database
from instapay_common.db.rawsql import Sql


async def _credential(db: AsyncSession, user_id: uuid.UUID, *, lock: bool = False) -> Credential:
    query = select(Credential).where(Credential.user_id == user_id, Credential.status == "active")
    credential = await db.scalar(query.with_for_update() if lock else query)
    if credential is None:
        raise UserNotFound()
    return credential


# One statement on the raw asyncpg connection (autocommit): this read settles nearly every
# transfer's PIN check, and through an ORM session it cost ~3x the CPU (docs/PERFORMANCE.md).
_PIN_STATE = Sql(
    "SELECT pin_hash, pin_failed_attempts, pin_locked_until FROM auth.credentials "
    "WHERE user_id = :u AND status = 'active'"
)


async def _pin_ok_without_lock(ctx: AuthContext, database: Database, *, user_id: uuid.UUID, pin: str) -> bool:
    async with rawsql.connection(database) as conn:
        row = await conn.fetchrow(_PIN_STATE, u=user_id)
    if row is None or row["pin_hash"] is None or row["pin_failed_attempts"]:
        return False
    if row["pin_locked_until"] is not None and row["pin_locked_until"] > now():
        return False
    return bool(PIN_PATTERN.match(pin)) and pin_matches(ctx.pepper, str(user_id), pin, row["pin_hash"])


async def change_password(
    ctx: AuthContext,
    db: AsyncSession,
    *,
    user_id: uuid.UUID,
    current_session: uuid.UUID,
    current_password: str,
    new_password: str,
) -> None:
    credential = await _credential(db, user_id)
    if not await ctx.passwords.verify(current_password, credential.password_hash):
        raise InvalidPassword()
    problem = password_problem(new_password, email=credential.email)
    if problem is None and new_password == current_password:
        problem = "the new password must differ from the current one"
    if problem:
        raise WeakPassword(problem)
    credential.password_hash = await ctx.passwords.hash(new_password)
    credential.password_changed_at = now()
    # Every other login ends (a thief's session too); API clients are standing grants and stay.
    await db.execute(
        update(Session)
        .where(
            Session.user_id == user_id,
            Session.id != current_session,
            Session.client_id.is_(None),
            Session.revoked_at.is_(None),
        )
        .values(revoked_at=now(), revoked_reason="password_changed")
    )
    await emit(db, "security.password_changed", user_id=user_id)
    await db.commit()


async def set_pin(ctx: AuthContext, db: AsyncSession, *, user_id: uuid.UUID, pin: str, password: str) -> None:
    credential = await _credential(db, user_id)
    if not await ctx.passwords.verify(password, credential.password_hash):
        raise InvalidPassword()
    first_time = credential.pin_hash is None
    credential.pin_hash = pin_digest(ctx.pepper, str(user_id), pin)
    credential.pin_failed_attempts, credential.pin_locked_until = 0, None  # the password proved who it is
    await emit(db, "security.pin_changed", user_id=user_id, first_time=first_time)
    await db.commit()


async def verify_pin(ctx: AuthContext, database: Database, *, user_id: uuid.UUID, pin: str) -> None:
    """Raises unless `pin` is right. Counting happens under a row lock in the database, so the
    lockout holds across replicas and concurrent attempts.

    Fast path (every transfer comes here): one unlocked autocommit read settles the common case -
    right PIN, no failures to reset, not locked - without a transaction or a write. Anything else
    (a wrong PIN above all) goes through the locked path below, so failures are still counted
    exactly; a right PIN racing a lockout being set is still right.
    """
    if await _pin_ok_without_lock(ctx, database, user_id=user_id, pin=pin):
        PIN_VERIFICATIONS.labels("success").inc()
        return
    async with database.sessionmaker() as db:
        await _verify_pin_locked(ctx, db, user_id=user_id, pin=pin)


async def _verify_pin_locked(ctx: AuthContext, db: AsyncSession, *, user_id: uuid.UUID, pin: str) -> None:
    credential = await _credential(db, user_id, lock=True)
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
            credential.pin_failed_attempts, credential.pin_locked_until = 0, None
        await db.commit()
        PIN_VERIFICATIONS.labels("success").inc()
        return
    credential.pin_failed_attempts += 1
    left = ctx.settings.pin_max_attempts - credential.pin_failed_attempts
    if left <= 0:
        credential.pin_failed_attempts = 0
        credential.pin_locked_until = current + timedelta(seconds=ctx.settings.pin_lock_seconds)
    await db.commit()
    PIN_VERIFICATIONS.labels("invalid_pin").inc()
    if left <= 0:
        raise InvalidPin(f"Wrong PIN; the PIN is now locked for {ctx.settings.pin_lock_seconds // 60} minutes")
    raise InvalidPin(f"Wrong PIN; {left} attempt(s) left before the PIN is locked")
