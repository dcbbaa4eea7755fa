"""Gateway test fixtures: a real upstream server standing in for every service (including the auth
service's revoked-sessions feed), gateways built on it, clients from chosen source addresses, and a
real Redis."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import redis
from aiohttp import web
from fastapi import FastAPI

from api_gateway.config import GatewaySettings
from api_gateway.gateway_app import build_gateway
from instapay_stack.testing import start_fake
from instapay_stack.tokens import TestIssuer

CORRECT_PASSWORD = "correct horse battery staple"


@dataclass
class FakeUpstream:
    url: str
    seen: list[dict[str, Any]] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)
    ready_calls: int = 0  # /readyz answered (the platform health refresh)
    ready_status: int = 200


@pytest.fixture
async def upstream() -> AsyncIterator[FakeUpstream]:
    """One real HTTP server answering for all five services."""
    state = FakeUpstream(url="")

    async def revoked(request: web.Request) -> web.Response:
        assert request.headers.get("X-Internal-Token")
        return web.json_response(
            {"items": [{"session_id": s, "revoked_at": time.time()} for s in state.revoked], "now": time.time()}
        )

    async def login(request: web.Request) -> web.Response:
        body = await request.json()
        if body.get("password") == CORRECT_PASSWORD:
            return web.json_response(
                {"access_token": "x", "refresh_token": "y", "token_type": "bearer", "expires_in": 900}
            )
        return web.json_response(
            {"code": "invalid_credentials", "status": 401}, status=401, content_type="application/problem+json"
        )

    async def echo(request: web.Request) -> web.Response:
        body = await request.read()
        state.seen.append(
            {"path": request.path_qs, "headers": {k.lower(): v for k, v in request.headers.items()}, "body": body}
        )
        return web.json_response({"ok": True})

    async def ready(_request: web.Request) -> web.Response:
        state.ready_calls += 1
        return web.json_response({"status": "ready"}, status=state.ready_status)

    app = web.Application()
    app.router.add_get("/readyz", ready)
    app.router.add_get("/internal/sessions/revoked", revoked)
    app.router.add_post("/api/v1/auth/login", login)
    app.router.add_route("*", "/{tail:.*}", echo)
    runner, state.url = await start_fake(app)
    yield state
    await runner.cleanup()


@pytest.fixture(scope="session")
def issuer() -> TestIssuer:
    return TestIssuer()


@pytest.fixture
def make_gateway(upstream: FakeUpstream) -> Callable[..., FastAPI]:
    def make(**overrides: Any) -> FastAPI:
        urls = {f"{n}_url": upstream.url for n in ("auth", "user", "transaction", "reporting", "notification")}
        settings = GatewaySettings(**{**urls, "revocation_poll_seconds": 0.2, **overrides})
        return build_gateway(settings)

    return make


class Clients:
    """httpx clients on one running gateway app, each from its own client address."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self._open: list[httpx.AsyncClient] = []

    def __call__(self, ip: str = "127.0.0.1") -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, client=(ip, 40000))
        client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        self._open.append(client)
        return client

    async def aclose(self) -> None:
        for client in self._open:
            await client.aclose()


@asynccontextmanager
async def serving(app: FastAPI, issuer: TestIssuer) -> AsyncIterator[Clients]:
    """The app's lifespan running, trusting the issuer's key."""
    async with app.router.lifespan_context(app):
        issuer.install(app)
        clients = Clients(app)
        try:
            yield clients
        finally:
            await clients.aclose()


@pytest.fixture
def serve(issuer: TestIssuer):
    """`async with serve(app) as clients:` (tests cannot import conftest under importlib mode)."""
    return lambda app: serving(app, issuer)


def _ping(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory):
    """The real Redis at 127.0.0.1:6379, or a private redis-server started for this run."""
    default = "redis://127.0.0.1:6379/0"
    if _ping(default):
        yield default
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail(
            "Redis tests need a Redis: none answers at 127.0.0.1:6379 and redis-server is not installed "
            "(apt-get install redis-server)"
        )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while not _ping(url):
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail(f"could not start a private redis-server on port {port}")
        time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(5)


@pytest.fixture
def redis_prefix() -> str:
    """Keys of one test only: runs sharing the machine's Redis never see each other's counters."""
    return f"test:{uuid.uuid4().hex}:"
