"""Forgotten password: a code to the account's verified phone (else its verified e-mail), then a
new password with that code.

`forgot` answers the same, in the same time, whether or not the account exists: the route
answers 202 first and does the work after the answer (nothing is sent for an unknown account, an
account without a verified phone or e-mail, or past the resend limits). `reset` answers 422
`invalid_code` for an unknown account exactly as for a wrong, used or expired code (after 5
wrong codes an account's live code is dead: 429, as the contract says; that a code was sent is
then visible, but sending one also told the owner by SMS or e-mail). A reset ends every session
and every API client of the account and sends a security notice.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from auth_service import audit, events
from auth_service.codes import code_digest
from auth_service.exceptions import CodeExpired, InvalidCode, WeakPassword
from auth_service.password_policy import password_problem
from auth_service.repository import credentials
from auth_service.repository.credentials import CredentialRow
from auth_service.service import signin_throttle
from auth_service.service.codes import Destination, check_code, send_code
from auth_service.service.context import AuthContext
from auth_service.service.login import find_credentials
from auth_service.service.revocation import revoke_all_access
from auth_service.service.sessions import now
from instapay_common.db.database import Database
from instapay_common.errors import DomainError
from instapay_common.logging import get_logger

log = get_logger("recovery")


async def _recoverable(ctx: AuthContext, session: AsyncSession, username: str) -> CredentialRow | None:
    """The account `username` names that has a verified phone or e-mail to send a code to (the
    verified holder of a phone or e-mail first, as at sign-in)."""
    for candidate in await find_credentials(ctx, session, username):
        if candidate.phone_verified or candidate.email_verified:
            return candidate
    return None


def _destination(credential: CredentialRow) -> Destination:
    if credential.phone_verified:
        return Destination("phone", credential.phone)
    return Destination("email", credential.email)


async def forgot(ctx: AuthContext, db: Database, *, username: str) -> None:
    """Sends a reset code if the account exists and has somewhere verified to send it. Runs after
    the answer; a failure is logged, never shown (the answer was the same for everyone)."""
    try:
        async with db.sessionmaker() as session:
            credential = await _recoverable(ctx, session, username)
            if credential is None:
                return
            await send_code(
                ctx, session, user_id=credential.user_id, purpose="password_reset", to=_destination(credential)
            )
    except DomainError as exc:
        log.info("password_reset_code_not_sent", reason=exc.code)


async def reset(ctx: AuthContext, session: AsyncSession, *, username: str, code: str, new_password: str) -> None:
    credential = await _recoverable(ctx, session, username)
    problem = password_problem(new_password, email=credential.email if credential else "")
    if problem:
        raise WeakPassword(problem)
    if credential is None:
        # The same HMAC work as a real check, and the same answer as a wrong code.
        code_digest(ctx.pepper, user_id="", purpose="password_reset", destination="", code=code)
        raise InvalidCode("the code is not correct")
    user_id = credential.user_id
    try:
        await check_code(ctx, session, user_id=user_id, purpose="password_reset", code=code)
    except (InvalidCode, CodeExpired) as exc:
        # One answer for every wrong case, as for an account that does not exist: the detail of
        # a verification code (tries left, expired) would tell a stranger the account is real.
        raise InvalidCode("the code is not correct") from exc
    at = now()
    await credentials.set_password(
        session, user_id, password_hash=await ctx.passwords.hash(new_password), changed_at=at
    )
    # The owner is back in: the account's sign-in delay (built by whoever guessed) ends here.
    await signin_throttle.forgive_account(session, user_id)
    # Whoever held the old password (or a token) is out: every login and every API client ends.
    await revoke_all_access(session, user_id=user_id, reason="password_reset")
    await events.emit(session, events.PASSWORD_RESET, user_id=user_id)
    await audit.own(session, audit.PASSWORD_RESET, user_id)
    await session.commit()
