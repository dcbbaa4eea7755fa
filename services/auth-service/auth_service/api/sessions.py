"""A user's login sessions: list them, end one."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi import APIRouter, Response, status

from auth_service.api.deps import AccountOwner, ContextDep, SessionDep
from auth_service.schemas import SessionList, SessionOut
from auth_service.service import sessions
from instapay_common.errors import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], responses=PROBLEM_RESPONSES)


@router.get("/sessions", response_model=SessionList)
async def list_sessions(principal: AccountOwner, ctx: ContextDep, session: SessionDep) -> SessionList:
    rows = await sessions.list_sessions(
        session,
        user_id=uuid.UUID(principal.user_id),
        idle_limit=timedelta(seconds=ctx.settings.refresh_token_ttl_seconds),
        max_age=timedelta(seconds=ctx.settings.session_max_age_seconds),
    )
    return SessionList(
        items=[
            SessionOut(
                id=s.id,
                created_at=s.created_at,
                last_used_at=s.last_used_at,
                user_agent=s.user_agent,
                ip=s.ip,
                current=str(s.id) == principal.session_id,
            )
            for s in rows
        ]
    )


@router.delete("/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_session(session_id: uuid.UUID, principal: AccountOwner, session: SessionDep) -> Response:
    await sessions.revoke_session(
        session, session_id=session_id, user_id=uuid.UUID(principal.user_id), reason="deleted"
    )
    await session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
