"""Internal routes (docs/INTERNAL_API.md): the PIN check and the revocation feed."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from auth_service.api.deps import ContextDep, SessionDep
from auth_service.schemas import PinVerifyRequest, RevokedSession, RevokedSessions
from auth_service.service import account, sessions
from auth_service.service.context import AuthContext
from instapay_common.security.internal import internal_callers
from instapay_common.web.fast_routes import body_as, internal_endpoint

router = APIRouter(include_in_schema=False)
# `now` in the feed's answer lags the feed's watermark by this much, so the next poll overlaps the last one.
REVOCATION_OVERLAP_SECONDS = 2.0


async def verify_pin(request: Request) -> Response:
    """204 when the PIN is right; 403 invalid_pin or pin_not_set, 423 pin_locked otherwise.
    A plain Starlette route (instapay_common.web.fast_routes): every transfer calls it."""
    body = await body_as(request, PinVerifyRequest)
    ctx: AuthContext = request.app.state.auth
    await account.verify_pin(ctx, request.app.state.db, user_id=body.user_id, pin=body.pin)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


router.add_route(
    "/internal/pin/verify",
    internal_endpoint(verify_pin, allow=("transaction",)),
    methods=["POST"],
    include_in_schema=False,
)


@router.get("/internal/sessions/revoked", response_model=RevokedSessions)
async def revoked_sessions(
    _: Annotated[str, internal_callers("gateway")],
    ctx: ContextDep,
    session: SessionDep,
    since: Annotated[float, Query(ge=0)] = 0,
) -> RevokedSessions:
    now = time.time()
    # A revocation older than the longest access-token life no longer matters: its tokens are expired.
    floor = now - ctx.settings.access_token_ttl_seconds - 60
    # Read before the rows: a revocation committed in between is then both in the rows and after
    # the watermark; one still uncommitted was stamped after its transaction's start.
    complete_to = await sessions.revocation_watermark(session, at=datetime.fromtimestamp(now, UTC))
    rows = await sessions.revoked_since(session, since=datetime.fromtimestamp(max(since, floor), UTC))
    # `now` is where the next poll starts (`since=now`): the watermark, less a little for a stamp
    # taken just before its transaction began. Repeats are harmless.
    return RevokedSessions(
        items=[RevokedSession(session_id=r.session_id, revoked_at=r.revoked_at.timestamp()) for r in rows],
        now=max(complete_to.timestamp(), floor) - REVOCATION_OVERLAP_SECONDS,
    )
