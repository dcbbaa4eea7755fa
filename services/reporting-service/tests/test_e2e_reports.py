"""Reports end to end on the real stack: auth's events reach the read model through the auth
relay, the admin overview counts them through the gateway, and the rebuild command (replaying
the event logs over the real internal endpoints) reproduces the same answers."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from datetime import UTC, datetime

import httpx

from instapay_stack.e2e import make_admin, register_user_async
from instapay_stack.services import SERVICES
from instapay_stack.testing import internal_headers


async def test_user_counts_from_events_and_rebuild_through_the_stack(stack):
    admin = await register_user_async(stack.gateway_url, pin=None)
    await asyncio.to_thread(make_admin, stack, admin)
    newcomers = await asyncio.gather(*(register_user_async(stack.gateway_url, pin=None) for _ in range(3)))
    today = datetime.now(UTC).date().isoformat()
    params = {"from": today, "to": today}
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as gw:

        async def overview() -> dict:
            r = await gw.get("/api/v1/admin/reports/overview", params=params, headers=admin.auth_headers())
            assert r.status_code == 200, r.text
            return r.json()

        deadline = time.monotonic() + 20
        while (await overview())["users"]["new"] < 4:
            assert time.monotonic() < deadline, await overview()
            await asyncio.sleep(0.3)
        await asyncio.sleep(1.0)  # let every relay settle
        before = await overview()
        user = newcomers[0]
        summary = (await gw.get("/api/v1/reports/summary", params=params, headers=user.auth_headers())).json()
        assert summary["total_sent"] == "0.00" and summary["series"][0]["period"] == today
        forbidden = await gw.get("/api/v1/admin/reports/overview", params=params, headers=user.auth_headers())
        assert forbidden.status_code == 403

        # auth's event log over the real internal endpoint
        feed = await gw.get(
            stack.url_of("auth") + "/internal/events",
            params={"limit": 1000},
            headers=internal_headers("reporting", stack.env),
        )
        assert feed.status_code == 200
        registered = {e["data"]["user_id"] for e in feed.json()["items"] if e["type"] == "user.registered"}
        assert {u.user_id for u in newcomers} <= registered

        reporting = next(s for s in SERVICES if s.name == "reporting")
        done = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "reporting_service.rebuild"],
            cwd=reporting.path,
            env={**stack.service_env("reporting"), "LOG_LEVEL": "WARNING"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "rebuilt the reporting read model" in done.stdout
        after = await overview()
    assert after == before
