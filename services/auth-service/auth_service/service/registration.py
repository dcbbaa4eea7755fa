"""Registration across three services: credentials here, the profile (user service), the wallet
(transaction service). 201 only when all three exist; any failure undoes what was done, so the
same request can simply be sent again.
"""

from __future__ import annotations

import re
import secrets
import uuid
from datetime import UTC, datetime, timedelta

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession

from auth_service import events
from auth_service.exceptions import WeakPassword
from auth_service.metrics import REGISTRATIONS
from auth_service.password_policy import password_problem
from auth_service.repository import credentials, quarantine
from auth_service.schemas import RegisterRequest, RegisterResponse
from auth_service.service.context import AuthContext
from instapay_common.errors import DomainError, ServiceUnavailable
from instapay_common.identifiers import EmailTaken, HandleReserved, PhoneTaken, is_reserved_handle
from instapay_common.logging import get_logger
from instapay_common.web.http_client import UpstreamError

log = get_logger("registration")
HANDLE_TRIES = 6
STALE_PENDING = timedelta(minutes=10)


def _never_arrived(exc: DomainError) -> bool:
    """True when the peer certainly did not act on the call (refused connection or a 4xx answer);
    otherwise (timeout, 5xx) it may have, and must be compensated."""
    return isinstance(exc, UpstreamError) or isinstance(exc.__cause__, aiohttp.ClientConnectorError)


def derive_handle(email: str) -> str:
    """A handle from the e-mail's local part; never a reserved one (`admin@...` gets `user`, and
    the numbered tries that follow)."""
    base = re.sub(r"[^a-z0-9._]", "", email.split("@")[0].lower())[:24]
    base = base if len(base) >= 3 else (base + "user")[:24]
    return "user" if is_reserved_handle(base) else base


async def _reserve(ctx: AuthContext, session: AsyncSession, req: RegisterRequest) -> uuid.UUID:
    """Inserts pending credentials, or resumes an interrupted registration of the same person."""
    rows = await credentials.with_email_or_phone(session, email=req.email, phone=req.phone)
    for row in rows:
        if (
            row.status == credentials.PENDING
            and row.email == req.email
            and row.phone == req.phone
            and await ctx.passwords.verify(req.password, row.password_hash)
        ):
            return row.user_id
    stale_before = datetime.now(UTC) - STALE_PENDING
    stale = [r.user_id for r in rows if r.status == credentials.PENDING and r.created_at < stale_before]
    if stale:
        # Left by a registration that stopped half-way and was never resent: undo it, so the
        # e-mail and phone are not blocked forever.
        for user_id in stale:
            await _compensate(ctx, session, user_id, profile=True, wallet=True)
        rows = await credentials.with_email_or_phone(session, email=req.email, phone=req.phone)
    # Only a verified holder blocks: an unverified claim never keeps the owner out (whoever
    # verifies first holds the phone or e-mail; the other claims are dropped then).
    if any(r.email == req.email and r.email_verified for r in rows):
        raise EmailTaken()
    if any(r.phone == req.phone and r.phone_verified for r in rows):
        raise PhoneTaken()
    # Released by another account lately: payments sent to it must not reach a newcomer.
    if await quarantine.is_quarantined(session, kind="email", value=req.email):
        raise EmailTaken()
    if await quarantine.is_quarantined(session, kind="phone", value=req.phone):
        raise PhoneTaken()
    user_id = uuid.uuid4()
    password_hash = await ctx.passwords.hash(req.password)
    await credentials.insert_pending(
        session, user_id=user_id, email=req.email, phone=req.phone, password_hash=password_hash
    )
    await session.commit()
    return user_id


async def _create_profile(ctx: AuthContext, req: RegisterRequest, user_id: uuid.UUID) -> str:
    given = req.handle is not None
    base = req.handle or derive_handle(req.email)
    candidates = [base] if given else [base] + [f"{base}{secrets.randbelow(10_000)}" for _ in range(HANDLE_TRIES)]
    for i, handle in enumerate(candidates):
        body = {
            "user_id": str(user_id),
            "email": req.email,
            "phone": req.phone,
            "full_name": req.full_name,
            "handle": handle,
        }
        try:
            _, profile = await ctx.users.request("POST", "/internal/users", json=body)
            return str(profile["handle"])
        except UpstreamError as exc:
            if exc.code == "handle_taken" and not given and i + 1 < len(candidates):
                continue
            raise
    raise AssertionError("unreachable")


async def _compensate(
    ctx: AuthContext, session: AsyncSession, user_id: uuid.UUID, *, profile: bool, wallet: bool
) -> None:
    undone = True
    for needed, client, path in (
        (wallet, ctx.wallets, f"/internal/wallets/{user_id}"),
        (profile, ctx.users, f"/internal/users/{user_id}"),
    ):
        if not needed:
            continue
        try:
            await client.request("DELETE", path, expect=(204, 404))
        except DomainError:
            undone = False
            log.warning("registration_compensation_failed", user_id=str(user_id), path=path)
    if undone:
        await credentials.delete_pending(session, user_id)
        await session.commit()
    # Otherwise the pending row stays: the same request resumes with the same user id (the peers'
    # create calls are idempotent), and a pending account can never log in.


async def register(ctx: AuthContext, session: AsyncSession, req: RegisterRequest) -> RegisterResponse:
    problem = password_problem(req.password, email=req.email, handle=req.handle or "")
    if problem:
        REGISTRATIONS.labels("weak_password").inc()
        raise WeakPassword(problem)
    if req.handle is not None and is_reserved_handle(req.handle):
        REGISTRATIONS.labels("conflict").inc()
        raise HandleReserved("this handle is reserved; choose another")
    try:
        user_id = await _reserve(ctx, session, req)
    except DomainError:
        REGISTRATIONS.labels("conflict").inc()
        raise
    profile_done = False
    try:
        handle = await _create_profile(ctx, req, user_id)
        profile_done = True
        await ctx.wallets.request("POST", "/internal/wallets", json={"user_id": str(user_id)})
    except DomainError as exc:
        unsure = not _never_arrived(exc)  # the failing call may still have acted
        await _compensate(ctx, session, user_id, profile=profile_done or unsure, wallet=profile_done and unsure)
        if isinstance(exc, UpstreamError) and (exc.status == 409 or exc.code == HandleReserved.code):
            REGISTRATIONS.labels("conflict").inc()
            raise
        REGISTRATIONS.labels("unavailable").inc()
        log.warning("registration_failed", user_id=str(user_id), error=exc.code)
        raise ServiceUnavailable(
            "Registration could not be completed right now; nothing was kept, "
            "please send the same request again shortly"
        ) from exc
    await credentials.activate(session, user_id)
    await events.emit(
        session,
        events.USER_REGISTERED,
        user_id=user_id,
        email=req.email,
        phone=req.phone,
        handle=handle,
        full_name=req.full_name,
    )
    await session.commit()
    REGISTRATIONS.labels("success").inc()
    return RegisterResponse(user_id=user_id, email=req.email, phone=req.phone, handle=handle)
