"""Sending and checking one-time codes (verification and password reset).

A code lives 10 minutes and allows 5 tries; a new one replaces the previous one. Sends are
limited per account and purpose (one per `code_resend_seconds`, `code_sends_per_hour` an hour),
under the row lock of (account, purpose), so the limits and the count of tries hold under
concurrency and across replicas. The code travels once, to the notification service, which sends
it at once and keeps nothing; only its HMAC is stored here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from auth_service.codes import code_digest, code_matches, new_code
from auth_service.exceptions import CodeExpired, InvalidCode
from auth_service.metrics import CODES
from auth_service.repository import codes
from auth_service.repository.codes import CodeRow, Purpose
from auth_service.repository.credentials import Channel
from auth_service.service.context import AuthContext
from auth_service.service.sessions import now
from instapay_common.errors import DomainError, RateLimited, ServiceUnavailable

# What the notification service is asked to send, per purpose.
MESSAGE_KINDS: dict[Purpose, str] = {
    "phone": "verify_phone",
    "email": "verify_email",
    "password_reset": "password_reset",
}


@dataclass(frozen=True)
class Destination:
    channel: Channel
    address: str


def _retry_after(row: CodeRow, ctx: AuthContext, at: datetime) -> int | None:
    """Seconds until another code may be sent, or None when one may be sent now."""
    s = ctx.settings
    waits: list[float] = []
    if row.last_sent_at is not None:
        waits.append((row.last_sent_at + timedelta(seconds=s.code_resend_seconds) - at).total_seconds())
    if row.window_started_at is not None and row.sends_in_window >= s.code_sends_per_hour:
        waits.append((row.window_started_at + timedelta(hours=1) - at).total_seconds())
    wait = max(waits, default=0.0)
    return int(wait) + 1 if wait > 0 else None


async def send_code(
    ctx: AuthContext, session: AsyncSession, *, user_id: uuid.UUID, purpose: Purpose, to: Destination
) -> None:
    """Sends a new code to `to` and commits; 429 `rate_limited` (with Retry-After) past the
    resend limits, 503 when the message could not be handed over (nothing is kept then)."""
    await codes.ensure(session, user_id, purpose)
    row = await codes.lock(session, user_id, purpose)
    assert row is not None  # created just above
    at = now()
    retry = _retry_after(row, ctx, at)
    if retry is not None:
        await session.rollback()
        CODES.labels(purpose, "send_limited").inc()
        raise RateLimited("a code was sent a moment ago; wait before asking again", headers={"Retry-After": str(retry)})
    in_window = row.window_started_at is not None and row.window_started_at + timedelta(hours=1) > at
    code = new_code()
    await codes.store_sent(
        session,
        user_id,
        purpose,
        code_hash=code_digest(ctx.pepper, user_id=str(user_id), purpose=purpose, destination=to.address, code=code),
        destination=to.address,
        expires_at=at + timedelta(seconds=ctx.settings.code_ttl_seconds),
        sent_at=at,
        window_started_at=row.window_started_at if in_window and row.window_started_at else at,
        sends_in_window=row.sends_in_window + 1 if in_window else 1,
    )
    try:
        await ctx.notifications.request(
            "POST",
            "/internal/messages",
            json={
                "user_id": str(user_id),
                "channel": to.channel,
                "to": to.address,
                "kind": MESSAGE_KINDS[purpose],
                "code": code,
            },
            expect=(202, 204),
        )
    except DomainError as exc:
        await session.rollback()  # no code stored, no send counted: the user may ask again
        CODES.labels(purpose, "send_failed").inc()
        raise ServiceUnavailable("the code could not be sent right now; try again shortly") from exc
    await session.commit()
    CODES.labels(purpose, "sent").inc()


async def check_code(
    ctx: AuthContext,
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    purpose: Purpose,
    code: str,
    destination: str | None = None,
) -> str:
    """Uses the live code of (account, purpose) if `code` is it (and, when given, it was sent to
    `destination`); returns the address it was sent to. Does not commit on success (the caller's
    change and the code's use commit together); a wrong try is counted and committed at once.

    422 `invalid_code` (wrong, none, or used), 422 `code_expired`, 429 `rate_limited` once the
    tries are used up (the code is dead: a new one must be sent)."""
    row = await codes.lock(session, user_id, purpose)
    if row is None or row.code_hash is None or row.destination is None or row.expires_at is None:
        CODES.labels(purpose, "invalid").inc()
        raise InvalidCode("no code is waiting; ask for a new one")
    if row.attempts >= ctx.settings.code_max_attempts:
        CODES.labels(purpose, "too_many").inc()
        raise RateLimited("too many wrong codes; ask for a new one")
    if row.expires_at <= now():
        CODES.labels(purpose, "expired").inc()
        raise CodeExpired()
    right = code_matches(
        ctx.pepper, user_id=str(user_id), purpose=purpose, destination=row.destination, code=code, stored=row.code_hash
    )
    if not right or (destination is not None and destination != row.destination):
        attempts = row.attempts + 1
        await codes.count_attempt(session, user_id, purpose, attempts=attempts)
        await session.commit()
        CODES.labels(purpose, "invalid").inc()
        left = ctx.settings.code_max_attempts - attempts
        raise InvalidCode(f"the code is not correct; {left} tries left" if left else "the code is not correct")
    await codes.consume(session, user_id, purpose)
    CODES.labels(purpose, "verified").inc()
    return row.destination
