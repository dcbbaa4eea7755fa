"""RED metrics by route template (never raw paths or ids), the `/metrics` endpoint, and the
optional metrics-only listener (METRICS_PORT)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web
from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HTTP_REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests handled, by route template and status.",
    ["service", "method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency by route template.",
    ["service", "method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

UNMATCHED = "<unmatched>"


def route_template(app: ASGIApp, scope: Scope) -> str:
    """The matched route's path template, e.g. `/api/v1/transfers/{transfer_id}`."""
    label: str | None = scope.get("route_label")  # set by layers that route outside FastAPI (the gateway proxy)
    if label:
        return label
    route = scope.get("route")
    if route is not None and hasattr(route, "path"):
        path: str = route.path
        return path
    for candidate in getattr(getattr(app, "router", None), "routes", ()):
        match, _ = candidate.matches(scope)
        if match == Match.FULL:
            template: str = getattr(candidate, "path", UNMATCHED)
            return template
    return UNMATCHED


class PrometheusMiddleware:
    def __init__(self, app: ASGIApp, *, service: str, template_app: ASGIApp | None = None) -> None:
        self.app = app
        self.service = service
        # The FastAPI app whose routes give the templates (the middleware wraps it).
        self.template_app = template_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = route_template(self.template_app or self.app, scope)
            method = scope.get("method", "")
            HTTP_REQUESTS.labels(self.service, method, route, str(status[0])).inc()
            HTTP_LATENCY.labels(self.service, method, route).observe(time.perf_counter() - started)


metrics_router = APIRouter()


@metrics_router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def _metrics_only(_request: web.Request) -> web.Response:
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


@asynccontextmanager
async def metrics_listener(host: str, port: int) -> AsyncIterator[None]:
    """Serves GET /metrics (nothing else) on host:port while the context is open: a port a
    NetworkPolicy can open to Prometheus without opening the API."""
    app = web.Application()
    app.router.add_get("/metrics", _metrics_only)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        yield
    finally:
        await runner.cleanup()
