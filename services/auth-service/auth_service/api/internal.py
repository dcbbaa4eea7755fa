"""Internal routes (docs/INTERNAL_API.md) and the JWKS."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from auth_service.api.deps import Ctx, DbSession, ReadSession
from auth_service.schemas import PinVerifyRequest, RevokedSession, RevokedSessions
from auth_service.services import account, sessions
from instapay_common.internal_auth import InternalCaller

router = APIRouter(include_in_schema=False)
jwks_router = APIRouter(tags=["auth"])
REVOCATION_OVERLAP_SECONDS = 2.0


@jwks_router.get("/.well-known/jwks.json")
async def jwks(ctx: Ctx, response: Response) -> dict[str, Any]:
    """Public signing keys (the current one and any retired ones whose tokens may still be live)."""
    response.headers["Cache-Control"] = "public, max-age=300"
    return ctx.keys.jwks


@router.post("/internal/pin/verify", status_code=status.HTTP_204_NO_CONTENT)
async def verify_pin(body: PinVerifyRequest, _: InternalCaller, ctx: Ctx, db: DbSession,
                     reader: ReadSession) -> Response:
    await account.verify_pin(ctx, db, user_id=body.user_id, pin=body.pin, reader=reader)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/internal/sessions/revoked", response_model=RevokedSessions)
async def revoked_sessions(_: InternalCaller, ctx: Ctx, db: DbSession,
                           since: Annotated[float, Query(ge=0)] = 0) -> RevokedSessions:
    now = time.time()
    # A revocation older than the longest access-token life no longer matters: its tokens are expired.
    floor = now - ctx.settings.access_token_ttl_seconds - 60
    rows = await sessions.revoked_since(db, since=datetime.fromtimestamp(max(since, floor), UTC))
    # `now` goes back a little: a revocation stamped just before this query but committed just
    # after it is then seen by the next poll (which passes `since=now`); repeats are harmless.
    return RevokedSessions(items=[RevokedSession(session_id=sid, revoked_at=at.timestamp()) for sid, at in rows],
                           now=now - REVOCATION_OVERLAP_SECONDS)
