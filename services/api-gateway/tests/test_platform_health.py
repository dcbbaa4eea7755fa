"""`/api/v1/health` answers from a status refreshed in the background: a flood of health checks
costs the upstreams nothing beyond the periodic refresh, and a change shows at the next one."""

from __future__ import annotations

import asyncio
import math
import time

from api_gateway.api.health import RECHECK_DEGRADED_SECONDS

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


async def test_a_change_shows_at_the_next_refresh_and_a_recovery_at_once(make_gateway, upstream, serve):
    app = make_gateway(health_refresh_seconds=0.2)
    async with serve(app) as clients:
        client = clients()
        assert (await client.get("/api/v1/health")).status_code == 200
        upstream.ready_status = 503
        await asyncio.sleep(0.6)
        degraded = await client.get("/api/v1/health")
        assert degraded.status_code == 503
        assert degraded.json()["status"] == "degraded" and degraded.json()["services"]["auth"] == "not_ready"
        # While degraded, requests re-check, but at most one refresh per RECHECK_DEGRADED_SECONDS
        # plus the periodic ones, however many requests come.
        calls, started = upstream.ready_calls, time.monotonic()
        answers = await asyncio.gather(*(client.get("/api/v1/health") for _ in range(100)))
        assert {r.status_code for r in answers} == {503}
        elapsed = time.monotonic() - started
        refreshes = math.ceil(elapsed / RECHECK_DEGRADED_SECONDS) + math.ceil(elapsed / 0.2) + 2
        assert upstream.ready_calls - calls <= refreshes * UPSTREAMS
        # A recovery shows on the next request once the degraded status is a little old.
        upstream.ready_status = 200
        await asyncio.sleep(RECHECK_DEGRADED_SECONDS)
        assert (await client.get("/api/v1/health")).status_code == 200


async def test_start_up_waits_for_the_first_refresh_only(make_gateway, upstream, serve):
    """Services still starting: the first answers re-check (so `make up` sees them come up),
    then, all up, no request calls them."""
    upstream.ready_status = 503
    app = make_gateway(health_refresh_seconds=60)
    async with serve(app) as clients:
        client = clients()
        assert (await client.get("/api/v1/health")).status_code == 503
        upstream.ready_status = 200
        await asyncio.sleep(RECHECK_DEGRADED_SECONDS)
        assert (await client.get("/api/v1/health")).status_code == 200
        calls = upstream.ready_calls
        await asyncio.gather(*(client.get("/api/v1/health") for _ in range(100)))
        assert upstream.ready_calls == calls
