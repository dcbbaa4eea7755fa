"""GET /.well-known/jwks.json: the public keys that verify the access tokens."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from auth_service.api.deps import ContextDep
from auth_service.schemas import Jwks

router = APIRouter(tags=["auth"])


@router.get("/.well-known/jwks.json", response_model=Jwks)
async def jwks(ctx: ContextDep, response: Response) -> dict[str, Any]:
    """Public signing keys (the current one and any retired ones whose tokens may still be live)."""
    response.headers["Cache-Control"] = "public, max-age=300"
    return ctx.keys.jwks
