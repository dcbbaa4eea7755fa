"""`GET /api/v1/health`: every service's readiness, asked in parallel."""

from __future__ import annotations

import asyncio

import aiohttp
from fastapi import APIRouter, Request
from starlette.responses import JSONResponse

from api_gateway.schemas import PlatformHealth, ServiceState

router = APIRouter(tags=["health"])


async def _probe(session: aiohttp.ClientSession, url: str) -> ServiceState:
    try:
        async with session.get(url + "/readyz", timeout=aiohttp.ClientTimeout(total=2)) as resp:
            return "up" if resp.status == 200 else "not_ready"
    except (aiohttp.ClientError, TimeoutError):
        return "down"


@router.get(
    "/api/v1/health",
    summary="Platform health: readiness of every service",
    response_model=PlatformHealth,
    responses={503: {"model": PlatformHealth, "description": "A service is not ready"}},
)
async def platform_health(request: Request) -> JSONResponse:
    """200 when every service is ready, else 503 with the same body."""
    upstreams: dict[str, str] = request.app.state.route_table.upstreams
    names = list(upstreams)
    states = await asyncio.gather(*(_probe(request.app.state.http, upstreams[n]) for n in names))
    services: dict[str, ServiceState] = {"gateway": "up", **dict(zip(names, states, strict=True))}
    healthy = all(s == "up" for s in services.values())
    body = PlatformHealth(status="ok" if healthy else "degraded", services=services)
    return JSONResponse(body.model_dump(), status_code=200 if healthy else 503)
