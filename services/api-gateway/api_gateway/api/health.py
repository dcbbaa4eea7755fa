"""`GET /api/v1/health`: every service's readiness, from a status refreshed in the background.

A periodic job (instapay_common.periodic) asks every upstream's /readyz in parallel every
HEALTH_REFRESH_SECONDS; requests read the last answer. So a flood of health checks (a load
balancer, a monitor, anyone on the internet: the route is public) costs no upstream call while
the platform is healthy. While it is not (start-up, an outage), a request re-checks a status
older than RECHECK_DEGRADED_SECONDS, one refresh at a time shared by every waiting request, so a
recovery shows at once and the cost stays bounded by time, not by the number of requests.
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
RECHECK_DEGRADED_SECONDS = 0.25


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
        self._checked: float = 0.0  # monotonic time the last refresh started
        self._inflight: asyncio.Task[None] | None = None

    async def refresh(self) -> None:
        """Asks every upstream now; joins the refresh already running if there is one."""
        if self._inflight is None or self._inflight.done():
            self._inflight = asyncio.create_task(self._probe_all(), name="platform_health_refresh")
        await asyncio.shield(self._inflight)

    async def _probe_all(self) -> None:
        self._checked = time.monotonic()
        names = list(self._upstreams)
        session = self._session()
        states = await asyncio.gather(*(_probe(session, self._upstreams[n]) for n in names))
        self._services = {"gateway": "up", **dict(zip(names, states, strict=True))}

    async def current(self) -> dict[str, ServiceState]:
        """The last status: refreshed first when there is none yet, or when it is not healthy and
        older than RECHECK_DEGRADED_SECONDS."""
        services = self._services
        stale = time.monotonic() - self._checked >= RECHECK_DEGRADED_SECONDS
        if services is None or (stale and any(s != "up" for s in services.values())):
            await self.refresh()
        return self._services or {"gateway": "up", **dict.fromkeys(self._upstreams, "down")}


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
