"""Forwarding against real upstream servers: headers, bodies, errors, timeouts, health."""

import asyncio
import json
from contextlib import asynccontextmanager

import pytest
from aiohttp import web

from api_gateway.config import GatewaySettings
from api_gateway.gateway_app import build_gateway
from instapay_stack.processes import free_port_base
from instapay_stack.testing import running_app, start_fake
from instapay_stack.tokens import TestIssuer

ISSUER = TestIssuer()


def auth(**extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {ISSUER.token()}", **extra}


@asynccontextmanager
async def client_for(app):
    """The gateway running in-process, trusting the test issuer's key."""
    async with running_app(app) as client:
        ISSUER.install(app)
        yield client


@pytest.fixture
async def upstream():
    """A real HTTP server standing in for the transaction service."""
    seen: list[dict] = []

    async def echo(request: web.Request) -> web.Response:
        body = await request.read()
        seen.append(
            {"path": request.path_qs, "headers": {k.lower(): v for k, v in request.headers.items()}, "body": body}
        )
        return web.json_response({"ok": True, "path": request.path_qs}, status=201, headers={"X-Upstream": "yes"})

    async def slow(_request: web.Request) -> web.Response:
        await asyncio.sleep(3)
        return web.json_response({})

    async def ready(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ready"})

    app = web.Application()
    app.router.add_get("/readyz", ready)
    app.router.add_route("GET", "/api/v1/wallet/slow", slow)
    app.router.add_route("*", "/{tail:.*}", echo)
    runner, url = await start_fake(app)
    yield url, seen
    await runner.cleanup()


def gateway(upstream_url: str, **overrides):
    dead = f"http://127.0.0.1:{free_port_base(1)}"  # nothing listens there
    settings = GatewaySettings(
        transaction_url=upstream_url,
        auth_url=dead,
        user_url=dead,
        reporting_url=dead,
        notification_url=dead,
        upstream_timeout_seconds=0.5,
        **overrides,
    )
    return build_gateway(settings)


async def test_forwards_method_path_query_body_and_request_id(upstream):
    url, seen = upstream
    async with client_for(gateway(url)) as client:
        r = await client.post(
            "/api/v1/transfers?x=1&y=%20",
            content=b'{"a":1}',
            headers=auth(**{"content-type": "application/json", "x-request-id": "rid-1"}),
        )
    assert r.status_code == 201
    assert r.headers["x-upstream"] == "yes"
    assert r.headers["x-request-id"] == "rid-1"
    assert seen[0]["path"] == "/api/v1/transfers?x=1&y=%20"
    assert seen[0]["body"] == b'{"a":1}'
    assert seen[0]["headers"]["x-request-id"] == "rid-1"


async def test_client_identity_headers_are_stripped(upstream):
    url, seen = upstream
    async with client_for(gateway(url)) as client:
        await client.get(
            "/api/v1/wallet", headers=auth(**{"X-User-Id": "victim", "X-Internal-Token": "guess", "X-Roles": "admin"})
        )
    lowered = {k.lower() for k in seen[0]["headers"]}
    assert not {"x-user-id", "x-internal-token", "x-roles"} & lowered


async def test_upstream_down_is_503_problem(upstream):
    url, _ = upstream
    async with client_for(gateway(url)) as client:
        r = await client.get("/api/v1/users/me", headers=auth())
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "service_unavailable"


async def test_upstream_timeout_is_504_problem(upstream):
    url, _ = upstream
    async with client_for(gateway(url)) as client:
        r = await client.get("/api/v1/wallet/slow", headers=auth())
    assert r.status_code == 504
    assert r.json()["code"] == "upstream_timeout"


async def test_oversized_body_is_refused(upstream):
    url, seen = upstream
    async with client_for(gateway(url, max_body_bytes=1000)) as client:
        r = await client.post("/api/v1/transfers", content=b"x" * 5000, headers=auth())
    assert r.status_code == 413
    assert r.json()["code"] == "payload_too_large"
    assert seen == []


async def test_health_reports_each_service(upstream):
    url, _ = upstream
    async with client_for(gateway(url)) as client:
        r = await client.get("/api/v1/health")
    assert r.status_code == 503
    body = r.json()
    assert body["services"]["transaction"] == "up"
    assert body["services"]["auth"] == "down"
    assert json.dumps(body)  # serialisable, six upstreams plus the gateway itself
    assert set(body["services"]) == {"gateway", "auth", "user", "transaction", "reporting", "notification"}


async def test_refused_requests_are_labelled_by_route_prefix(upstream):
    url, _ = upstream
    async with running_app(gateway(url)) as client:
        r = await client.get("/api/v1/wallet")  # no token: refused by the access-control layer
        assert r.status_code == 401
        text = (await client.get("/metrics")).text
    assert 'route="/api/v1/wallet/*",service="api-gateway",status="401"' in text
