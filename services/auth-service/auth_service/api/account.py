"""Account security settings of the caller's own login: password and transaction PIN."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from auth_service.api.deps import AccountOwner, ContextDep, SessionDep
from auth_service.schemas import PasswordChangeRequest, PinRequest
from auth_service.service import account
from instapay_common.errors import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], responses=PROBLEM_RESPONSES)


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT)
async def change_password(
    body: PasswordChangeRequest, principal: AccountOwner, ctx: ContextDep, session: SessionDep
) -> Response:
    await account.change_password(
        ctx,
        session,
        user_id=uuid.UUID(principal.user_id),
        current_session=uuid.UUID(principal.session_id),
        current_password=body.current_password,
        new_password=body.new_password,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/pin", status_code=status.HTTP_204_NO_CONTENT)
async def set_pin(body: PinRequest, principal: AccountOwner, ctx: ContextDep, session: SessionDep) -> Response:
    await account.set_pin(ctx, session, user_id=uuid.UUID(principal.user_id), pin=body.pin, password=body.password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
