"""The relay's Prometheus metrics, and the small HTTP server that exposes them with /healthz.

Labels: `service` is the emitting service's short name, `subscriber` the receiving one.
"""

from __future__ import annotations

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

OUTBOX_BACKLOG = Gauge("outbox_backlog", "Outbox events not yet delivered to every subscriber.", ["service"])
OUTBOX_OLDEST_AGE = Gauge("outbox_oldest_age_seconds", "Age of the oldest undelivered outbox event.", ["service"])
OUTBOX_DELIVERIES = Counter(
    "outbox_deliveries_total",
    "Delivery attempts by outcome (delivered, rejected = 4xx answer, failed = 5xx/unreachable/timeout).",
    ["service", "subscriber", "outcome"],
)
OUTBOX_LATENCY = Histogram(
    "outbox_delivery_lag_seconds",
    "From occurred_at to successful delivery.",
    ["service"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300),
)


async def _metrics(_request: web.Request) -> web.Response:
    return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


async def _healthz(_request: web.Request) -> web.Response:
    # The process is alive and its loop answers; a database outage shows in the backlog gauges
    # and the log, not here, so an orchestrator does not restart a relay that is only waiting.
    return web.json_response({"status": "ok"})


async def serve_metrics(host: str, port: int) -> web.AppRunner:
    """Serves /metrics, /healthz and /readyz (the same answer) on host:port until cleaned up."""
    app = web.Application()
    app.router.add_get("/metrics", _metrics)
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/readyz", _healthz)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
