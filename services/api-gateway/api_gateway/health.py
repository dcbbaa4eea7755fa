"""`GET /api/v1/health`: every service's readiness, asked in parallel."""

from __future__ import annotations

import asyncio

import aiohttp
from fastapi import APIRouter, Request
from starlette.responses import JSONResponse

router = APIRouter(tags=["health"])


async def _probe(session: aiohttp.ClientSession, url: str) -> str:
    try:
        async with session.get(url + "/readyz", timeout=aiohttp.ClientTimeout(total=2)) as resp:
            return "up" if resp.status == 200 else "not_ready"
    except (aiohttp.ClientError, TimeoutError):
        return "down"


@router.get("/api/v1/health", summary="Platform health: readiness of every service")
async def platform_health(request: Request) -> JSONResponse:
    upstreams: dict[str, str] = request.app.state.route_table.upstreams
    names = list(upstreams)
    states = await asyncio.gather(*(_probe(request.app.state.http, upstreams[n]) for n in names))
    services = {"gateway": "up", **dict(zip(names, states, strict=True))}
    healthy = all(s == "up" for s in services.values())
    return JSONResponse(
        {"status": "ok" if healthy else "degraded", "services": services}, status_code=200 if healthy else 503
    )
