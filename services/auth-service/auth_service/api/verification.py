"""Verification of the caller's phone and e-mail, replacing them, and the forgotten-password path
(docs/ARCHITECTURE.md, "Verified phone and e-mail")."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, BackgroundTasks, Request, Response, status

from auth_service.api.deps import AccountOwner, ContextDep, SessionDep
from auth_service.repository.credentials import Channel
from auth_service.schemas import (
    CodeRequest,
    EmailChangeRequest,
    PasswordForgotRequest,
    PasswordResetRequest,
    PhoneChangeRequest,
)
from auth_service.service import recovery, verification
from instapay_common.errors import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], responses=PROBLEM_RESPONSES)


def _accepted() -> Response:
    return Response(status_code=status.HTTP_202_ACCEPTED)


def _done() -> Response:
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def _send(channel: Channel, principal: AccountOwner, ctx: ContextDep, session: SessionDep) -> Response:
    await verification.send_contact_code(ctx, session, user_id=uuid.UUID(principal.user_id), channel=channel)
    return _accepted()


async def _verify(
    channel: Channel, body: CodeRequest, principal: AccountOwner, ctx: ContextDep, session: SessionDep
) -> Response:
    await verification.verify_contact(
        ctx, session, user_id=uuid.UUID(principal.user_id), channel=channel, code=body.code
    )
    return _done()


@router.post("/verify/phone/send", status_code=status.HTTP_202_ACCEPTED, response_class=Response)
async def send_phone_code(principal: AccountOwner, ctx: ContextDep, session: SessionDep) -> Response:
    """Sends a 6-digit code to the account's phone by SMS (valid 10 minutes, 5 tries)."""
    return await _send("phone", principal, ctx, session)


@router.post("/verify/phone", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
async def verify_phone(body: CodeRequest, principal: AccountOwner, ctx: ContextDep, session: SessionDep) -> Response:
    """Verifies the phone with the code sent to it; money operations open once it is verified."""
    return await _verify("phone", body, principal, ctx, session)


@router.post("/verify/email/send", status_code=status.HTTP_202_ACCEPTED, response_class=Response)
async def send_email_code(principal: AccountOwner, ctx: ContextDep, session: SessionDep) -> Response:
    """Sends a 6-digit code to the account's e-mail (valid 10 minutes, 5 tries)."""
    return await _send("email", principal, ctx, session)


@router.post("/verify/email", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
async def verify_email(body: CodeRequest, principal: AccountOwner, ctx: ContextDep, session: SessionDep) -> Response:
    """Verifies the e-mail with the code sent to it; only then does it find the account as a recipient."""
    return await _verify("email", body, principal, ctx, session)


@router.put("/phone", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
async def change_phone(
    body: PhoneChangeRequest, principal: AccountOwner, ctx: ContextDep, session: SessionDep
) -> Response:
    """Replaces the phone (password required); the new one must be verified before money moves again."""
    await verification.change_contact(
        ctx, session, user_id=uuid.UUID(principal.user_id), channel="phone", value=body.phone, password=body.password
    )
    return _done()


@router.put("/email", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
async def change_email(
    body: EmailChangeRequest, principal: AccountOwner, ctx: ContextDep, session: SessionDep
) -> Response:
    """Replaces the e-mail (password required); it resolves as a recipient once verified."""
    await verification.change_contact(
        ctx, session, user_id=uuid.UUID(principal.user_id), channel="email", value=body.email, password=body.password
    )
    return _done()


@router.post("/password/forgot", status_code=status.HTTP_202_ACCEPTED, response_class=Response)
async def forgot_password(
    body: PasswordForgotRequest, request: Request, ctx: ContextDep, background: BackgroundTasks
) -> Response:
    """202 whether or not the account exists, in the same time: the code (to the verified phone,
    else the verified e-mail) is sent after the answer."""
    background.add_task(recovery.forgot, ctx, request.app.state.db, username=body.username)
    return _accepted()


@router.post("/password/reset", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
async def reset_password(body: PasswordResetRequest, ctx: ContextDep, session: SessionDep) -> Response:
    """Sets a new password with the code; every session and API client of the account ends."""
    await recovery.reset(ctx, session, username=body.username, code=body.code, new_password=body.new_password)
    return _done()
