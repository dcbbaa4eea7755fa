"""The simulator on a free port (real uvicorn, real database) and a real HTTP receiver for its
callbacks, which records what arrives and can be told to fail."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx
import orjson
import pytest
from aiohttp import web

from instapay_stack.testing import RunningSimulator, running_simulator, start_fake


@dataclass
class Callback:
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict[str, Any]:
        return orjson.loads(self.body)


@dataclass
class Receiver:
    url: str = ""
    received: list[Callback] = field(default_factory=list)  # answered 2xx
    refused: list[Callback] = field(default_factory=list)  # answered `fail_status`
    # The first `fail_first` requests are answered with `fail_status`.
    fail_first: int = 0
    fail_status: int = 500

    def for_key(self, key: str) -> list[Callback]:
        return [c for c in self.received if c.event.get("data", {}).get("idempotency_key") == key]

    async def wait_for(self, predicate: Callable[[], bool], within: float = 8.0) -> None:
        deadline = time.monotonic() + within
        while not predicate():
            assert time.monotonic() < deadline, f"timed out; received {[c.event for c in self.received]}"
            await asyncio.sleep(0.02)


@asynccontextmanager
async def receiver() -> AsyncIterator[Receiver]:
    rec = Receiver()

    async def intake(request: web.Request) -> web.Response:
        callback = Callback(dict(request.headers), await request.read())
        if len(rec.refused) < rec.fail_first:
            rec.refused.append(callback)
            return web.Response(status=rec.fail_status)
        rec.received.append(callback)
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/hook", intake)
    runner, url = await start_fake(app)
    rec.url = url + "/hook"
    try:
        yield rec
    finally:
        await runner.cleanup()


@dataclass
class Sim:
    running: RunningSimulator
    client: httpx.AsyncClient
    hook: Receiver

    @property
    def secret(self) -> bytes:
        return self.running.settings.simulator_webhook_secret.get_secret_value().encode()

    async def post(self, path: str, body: dict[str, Any], *, key: str | None = None) -> httpx.Response:
        headers = self.running.api_headers(**({"Idempotency-Key": key} if key else {}))
        return await self.client.post(path, json=body, headers=headers)

    async def get(self, path: str) -> httpx.Response:
        return await self.client.get(path, headers=self.running.api_headers())

    async def drain(self, within: float = 10.0) -> None:
        """Waits until every queued callback (this test's and earlier tests') has been delivered,
        so a test that checks delivery order sees only its own."""
        url = self.running.settings.database_url.replace("postgresql+asyncpg://", "postgresql://")
        conn = await asyncpg.connect(url)
        try:
            deadline = time.monotonic() + within
            while await conn.fetchval("SELECT count(*) FROM simulator.callbacks WHERE delivered_at IS NULL"):
                assert time.monotonic() < deadline, "callbacks still queued"
                await asyncio.sleep(0.05)
        finally:
            await conn.close()

    async def faults(self, **values: Any) -> httpx.Response:
        return await self.client.post("/_sim/faults", json=values, headers=self.running.control_headers())

    @staticmethod
    def key() -> str:
        return str(uuid.uuid4())

    @staticmethod
    def charge_body(
        amount: str = "10.00", *, type: str = "card", reference: str = "card-4242", **meta: str
    ) -> dict[str, Any]:
        return {
            "amount": amount,
            "currency": "EGP",
            "source": {"type": type, "reference": reference},
            "metadata": {"user_id": "u-1", **meta},
        }

    @staticmethod
    def payout_body(amount: str = "25.50", *, reference: str = "iban-EG38", **meta: str) -> dict[str, Any]:
        return {
            "amount": amount,
            "currency": "EGP",
            "destination": {"type": "bank", "reference": reference},
            "metadata": {"user_id": "u-1", **meta},
        }


@asynccontextmanager
async def open_sim(database_url: str, **overrides: Any) -> AsyncIterator[Sim]:
    async with (
        receiver() as hook,
        running_simulator(database_url, webhook_url=hook.url, **overrides) as running,
        httpx.AsyncClient(base_url=running.url, timeout=30) as client,
    ):
        yield Sim(running=running, client=client, hook=hook)


@pytest.fixture
async def sim(database_url: str) -> AsyncIterator[Sim]:
    async with open_sim(database_url) as s:
        yield s


@pytest.fixture
def sim_factory(database_url: str) -> Callable[..., Any]:
    """`async with sim_factory(simulator_retry_base_ms=...) as s:` a simulator with other settings."""
    return lambda **overrides: open_sim(database_url, **overrides)
