"""Internal routes (docs/INTERNAL_API.md) and the JWKS."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status

from auth_service.api.deps import Ctx, DbSession
from auth_service.schemas import PinVerifyRequest, RevokedSession, RevokedSessions
from auth_service.services import account, sessions
from instapay_common.security.internal import InternalCaller
from instapay_common.web.fast_routes import body_as, internal_endpoint

router = APIRouter(include_in_schema=False)
jwks_router = APIRouter(tags=["auth"])
REVOCATION_OVERLAP_SECONDS = 2.0


@jwks_router.get("/.well-known/jwks.json")
async def jwks(ctx: Ctx, response: Response) -> dict[str, Any]:
    """Public signing keys (the current one and any retired ones whose tokens may still be live)."""
    response.headers["Cache-Control"] = "public, max-age=300"
    return ctx.keys.jwks


async def verify_pin(request: Request) -> Response:
    """204 when the PIN is right; 403 invalid_pin or pin_not_set, 423 pin_locked otherwise.
    A plain Starlette route (instapay_common.web.fast_routes): every transfer calls it."""
    body = await body_as(request, PinVerifyRequest)
    await account.verify_pin(request.app.state.auth, request.app.state.db, user_id=body.user_id, pin=body.pin)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


router.add_route("/internal/pin/verify", internal_endpoint(verify_pin), methods=["POST"], include_in_schema=False)


@router.get("/internal/sessions/revoked", response_model=RevokedSessions)
async def revoked_sessions(
    _: InternalCaller, ctx: Ctx, db: DbSession, since: Annotated[float, Query(ge=0)] = 0
) -> RevokedSessions:
    now = time.time()
    # A revocation older than the longest access-token life no longer matters: its tokens are expired.
    floor = now - ctx.settings.access_token_ttl_seconds - 60
    rows = await sessions.revoked_since(db, since=datetime.fromtimestamp(max(since, floor), UTC))
    # `now` goes back a little: a revocation stamped just before this query but committed just
    # after it is then seen by the next poll (which passes `since=now`); repeats are harmless.
    return RevokedSessions(
        items=[RevokedSession(session_id=sid, revoked_at=at.timestamp()) for sid, at in rows],
        now=now - REVOCATION_OVERLAP_SECONDS,
    )
