"""The sender as a real process, killed with SIGKILL while its requests are in flight (the
receiver holds them unanswered), then started again: every message still arrives, each with the
one webhook-id it had and the same body, and no event gets a second id."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

import pytest

from instapay_stack.tokens import TestIssuer

EVENTS = 3


def start_sender(database_url: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ENVIRONMENT": "development",  # the receiver is on loopback
        "WEBHOOK_TIMEOUT_SECONDS": "2",  # a claim's lease is 2 x timeout + 1 = 5 s
        "WEBHOOK_POLL_SECONDS": "0.05",
        "WEBHOOK_RETRY_SCALE": "0.00005",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "notification_service.webhooks.worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture
async def api_only(serve_app, make_settings, empty_notifications_db) -> AsyncIterator[Any]:
    """The service without its in-process sender: the separate process is the only one."""
    settings = make_settings(
        database_url=empty_notifications_db, environment="development", webhook_worker_enabled=False
    )
    async with serve_app(settings, TestIssuer()) as svc:
        svc.database_url = empty_notifications_db
        yield svc


async def test_kill_9_mid_delivery_loses_nothing_and_keeps_ids(api_only, users, receiver, ev):
    svc = api_only
    alice, bob = users.add("alice"), users.add("bob")
    r = await svc.client.post(
        "/api/v1/webhooks/endpoints",
        json={"url": receiver.hook(), "events": ["transfer.received"]},
        headers=svc.auth(bob["user_id"]),
    )
    endpoint = r.json()
    events = [ev.transfer(alice, bob) for _ in range(EVENTS)]
    for event in events:
        assert (await svc.post_event(event)).status_code == 204

    receiver.script = ["stall"] * EVENTS  # the first request of each message gets no answer
    receiver.stall_seconds = 6  # longer than the sender waits: only the kill ends these requests
    first = start_sender(svc.database_url)
    second = None
    try:
        await receiver.wait_for(EVENTS)
        os.kill(first.pid, signal.SIGKILL)  # mid-delivery: every request is in flight
        assert first.wait(timeout=10) == -signal.SIGKILL

        second = start_sender(svc.database_url)
        await receiver.wait_for(2 * EVENTS, within=60)
        deadline = asyncio.get_running_loop().time() + 30
        while True:
            page = await svc.client.get(
                f"/api/v1/webhooks/endpoints/{endpoint['id']}/deliveries", headers=svc.auth(bob["user_id"])
            )
            items = page.json()["items"]
            if all(d["status"] == "succeeded" for d in items):
                break
            assert asyncio.get_running_loop().time() < deadline, items
            await asyncio.sleep(0.05)
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=10)

    assert sorted(d["event_id"] for d in items) == sorted(e["id"] for e in events)
    bodies: dict[str, set[str]] = defaultdict(set)
    for got in receiver.received:
        bodies[got.headers["webhook-id"]].add(got.body)
    assert set(bodies) == {d["id"] for d in items}  # every id arrived, and no event had two
    assert all(len(b) == 1 for b in bodies.values())  # a repeated id carries the same body
    assert all(d["attempts"][-1]["status_code"] == 200 for d in items)
