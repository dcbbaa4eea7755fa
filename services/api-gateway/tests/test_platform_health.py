"""`/api/v1/health` answers from a status refreshed in the background: a flood of health checks
costs the upstreams nothing beyond the periodic refresh, and a change shows at the next one."""

from __future__ import annotations

import asyncio
import math
import time

UPSTREAMS = 5  # auth, user, transaction, reporting, notification (one stand-in serves all five)


async def test_health_requests_cause_no_upstream_calls_beyond_the_refresh(make_gateway, upstream, serve):
    app = make_gateway(health_refresh_seconds=60)
    async with serve(app) as clients:
        client = clients()
        answers = await asyncio.gather(*(client.get("/api/v1/health") for _ in range(200)))
        assert {r.status_code for r in answers} == {200}
        assert answers[0].json() == {
            "status": "ok",
            "services": dict.fromkeys(["gateway", "auth", "user", "transaction", "reporting", "notification"], "up"),
        }
        # One refresh at start-up (each upstream asked once), none per request.
        assert upstream.ready_calls == UPSTREAMS


async def test_a_change_shows_at_the_next_refresh(make_gateway, upstream, serve):
    app = make_gateway(health_refresh_seconds=0.2)
    async with serve(app) as clients:
        client = clients()
        assert (await client.get("/api/v1/health")).status_code == 200
        upstream.ready_status = 503
        await asyncio.sleep(0.6)
        degraded = await client.get("/api/v1/health")
        assert degraded.status_code == 503
        assert degraded.json()["status"] == "degraded" and degraded.json()["services"]["auth"] == "not_ready"
        calls, started = upstream.ready_calls, time.monotonic()
        for _ in range(50):
            await client.get("/api/v1/health")
        refreshes = math.ceil((time.monotonic() - started) / 0.2) + 1  # those that fell in between
        assert upstream.ready_calls - calls <= refreshes * UPSTREAMS
