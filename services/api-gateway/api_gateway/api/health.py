"""`GET /api/v1/health`: every service's readiness, from a status refreshed in the background.

A periodic job (instapay_common.periodic) asks every upstream's /readyz in parallel every
HEALTH_REFRESH_SECONDS; requests read the last answer. So a flood of health checks (a load
balancer, a monitor, anyone on the internet: the route is public) costs no upstream call; only
the first request after start-up waits for the first refresh.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import aiohttp
from fastapi import APIRouter, FastAPI, Request
from starlette.responses import JSONResponse

from api_gateway.schemas import PlatformHealth, ServiceState
from instapay_common.periodic import periodic

router = APIRouter(tags=["health"])

PROBE_TIMEOUT_SECONDS = 2.0


async def _probe(session: aiohttp.ClientSession, url: str) -> ServiceState:
    try:
        async with session.get(url + "/readyz", timeout=aiohttp.ClientTimeout(total=PROBE_TIMEOUT_SECONDS)) as resp:
            return "up" if resp.status == 200 else "not_ready"
    except (aiohttp.ClientError, TimeoutError):
        return "down"


class PlatformStatus:
    """The last readiness of every upstream, and when it was taken."""

    def __init__(self, upstreams: dict[str, str], session: Callable[[], aiohttp.ClientSession]) -> None:
        self._upstreams = upstreams
        self._session = session
        self._services: dict[str, ServiceState] | None = None
        self._first = asyncio.Event()
        self.checked_at: float | None = None

    async def refresh(self) -> None:
        names = list(self._upstreams)
        session = self._session()
        states = await asyncio.gather(*(_probe(session, self._upstreams[n]) for n in names))
        self._services = {"gateway": "up", **dict(zip(names, states, strict=True))}
        self.checked_at = time.time()
        self._first.set()

    async def current(self) -> dict[str, ServiceState]:
        """The last status; before the first refresh has finished, waits for it (bounded)."""
        if self._services is None:
            try:
                await asyncio.wait_for(self._first.wait(), PROBE_TIMEOUT_SECONDS + 1)
            except TimeoutError:
                pass
        if self._services is None:
            return {"gateway": "up", **dict.fromkeys(self._upstreams, "down")}
        return self._services


def health_lifespan(every_seconds: float) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Creates the status (app.state.platform_status) and refreshes it every `every_seconds`."""
    refresher = periodic("platform_health", lambda _app: every_seconds, _refresh)

    @asynccontextmanager
    async def hook(app: FastAPI) -> AsyncIterator[None]:
        app.state.platform_status = PlatformStatus(app.state.route_table.upstreams, lambda: app.state.http)
        async with refresher(app):
            yield

    return hook


async def _refresh(app: FastAPI) -> None:
    status: PlatformStatus = app.state.platform_status
    await status.refresh()


@router.get(
    "/api/v1/health",
    summary="Platform health: readiness of every service",
    response_model=PlatformHealth,
    responses={503: {"model": PlatformHealth, "description": "A service is not ready"}},
)
async def platform_health(request: Request) -> JSONResponse:
    """200 when every service is ready, else 503 with the same body. The status is refreshed
    in the background every few seconds."""
    status: PlatformStatus = request.app.state.platform_status
    services = await status.current()
    healthy = all(s == "up" for s in services.values())
    body = PlatformHealth(status="ok" if healthy else "degraded", services=services)
    return JSONResponse(body.model_dump(), status_code=200 if healthy else 503)
