"""Who the client is: decided by the gateway alone (GATEWAY_TRUSTED_PROXIES, required in
production), passed to the auth service with the gateway's own credential, and recorded there for
sessions and "new sign-in" notices."""

from __future__ import annotations

import asyncio
import secrets
import time

import httpx
import pytest

from api_gateway.config import GatewaySettings
from api_gateway.gateway_app import build_gateway
from instapay_stack.e2e import register_user_async

SIGN_IN_LIMIT = 30  # the `ip-auth` policy: sign-ins per minute per address


def test_production_refuses_to_start_without_trusted_proxies():
    real = {"internal_secret_gateway": "k" + secrets.token_urlsafe(32)}
    with pytest.raises(ValueError, match="GATEWAY_TRUSTED_PROXIES is required when ENVIRONMENT=production"):
        GatewaySettings(environment="production", **real)
    with pytest.raises(ValueError, match="GATEWAY_TRUSTED_PROXIES: 'not-a-network'"):
        GatewaySettings(environment="production", GATEWAY_TRUSTED_PROXIES=["not-a-network"], **real)
    settings = GatewaySettings(environment="production", GATEWAY_TRUSTED_PROXIES=["10.89.240.0/24"], **real)
    assert settings.trusted_proxies == ("10.89.240.0/24",)
    GatewaySettings(environment="development")  # no proxy in front of `make up`


async def test_a_client_sent_forwarded_for_is_not_believed(make_gateway, upstream, serve):
    """From an untrusted peer, X-Forwarded-For changes nothing: the auth service is told the peer,
    and a client cannot pick a fresh address to escape its per-address sign-in quota."""
    app = make_gateway(GATEWAY_TRUSTED_PROXIES=["10.0.0.0/8"], environment="development")
    async with serve(app) as clients:
        direct = clients("203.0.113.9")
        r = await direct.post(
            "/api/v1/auth/register",
            json={},
            headers={"X-Forwarded-For": "198.51.100.7", "X-Client-Address": "198.51.100.8"},
        )
        assert r.status_code == 200
        seen = upstream.seen[-1]["headers"]
        assert seen["x-client-address"] == "203.0.113.9" and seen["x-forwarded-for"] == "203.0.113.9"
        assert seen["x-internal-caller"] == "gateway" and seen["x-internal-token"]

        proxied = clients("10.0.0.2")  # the trusted proxy: the hop it saw is the client
        await proxied.post("/api/v1/auth/register", json={}, headers={"X-Forwarded-For": "6.6.6.6, 198.51.100.7"})
        assert upstream.seen[-1]["headers"]["x-client-address"] == "198.51.100.7"

        statuses = []
        for n in range(SIGN_IN_LIMIT + 5):
            answer = await direct.post(
                "/api/v1/auth/login",
                json={"username": f"u{n}", "password": "wrong"},
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
            )
            statuses.append(answer.status_code)
        assert 429 in statuses, "a forged X-Forwarded-For escaped the per-address quota"
        # Another real client keeps its own quota.
        other = await clients("203.0.113.10").post("/api/v1/auth/login", json={"username": "x", "password": "wrong"})
        assert other.status_code == 401


async def test_only_the_auth_upstream_gets_the_gateway_credential(make_gateway, upstream, serve, issuer):
    app = make_gateway(GATEWAY_TRUSTED_PROXIES=["10.0.0.0/8"])
    async with serve(app) as clients:
        client = clients("203.0.113.9")
        token = issuer.token("u1")
        await client.get("/api/v1/wallet", headers={"Authorization": f"Bearer {token}"})
    seen = upstream.seen[-1]["headers"]
    assert seen["x-forwarded-for"] == "203.0.113.9"
    assert not {"x-internal-caller", "x-internal-token", "x-client-address"} & set(seen)


async def test_sessions_and_sign_in_notices_record_the_real_client(stack):
    """Through a gateway behind a trusted proxy, the auth service records the client the proxy saw,
    not the gateway's address (the local stack's gateway is at 127.0.0.1 like every service)."""
    user = await register_user_async(stack.gateway_url, pin=None)
    settings = GatewaySettings(
        environment="test",
        auth_url=stack.url_of("auth"),
        user_url=stack.url_of("user"),
        transaction_url=stack.url_of("transaction"),
        reporting_url=stack.url_of("reporting"),
        notification_url=stack.url_of("notification"),
        jwks_url=stack.url_of("auth") + "/.well-known/jwks.json",
        internal_secret_gateway=stack.env["INTERNAL_SECRET_GATEWAY"],
        GATEWAY_TRUSTED_PROXIES=["10.0.0.0/8"],
    )
    app = build_gateway(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("10.0.0.2", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=30) as proxy:
            login = await proxy.post(
                "/api/v1/auth/login",
                json={"username": user.email, "password": user.password},
                headers={"X-Forwarded-For": "198.51.100.23", "User-Agent": "address-test"},
            )
            assert login.status_code == 200, login.text
            bearer = {"Authorization": f"Bearer {login.json()['access_token']}"}
            sessions = (await proxy.get("/api/v1/auth/sessions", headers=bearer)).json()["items"]
            current = next(s for s in sessions if s["current"])
            assert current["ip"] == "198.51.100.23"
            assert current["user_agent"] == "address-test"

            deadline = time.monotonic() + 20
            while True:
                page = (await proxy.get("/api/v1/notifications", headers=bearer)).json()["items"]
                notices = [n for n in page if n["type"] == "security.login" and n["data"].get("ip") == "198.51.100.23"]
                if notices:
                    break
                assert time.monotonic() < deadline, page
                await asyncio.sleep(0.3)

    # Straight to the auth service, a claimed address without the gateway's credential is ignored.
    async with httpx.AsyncClient(timeout=30) as direct:
        forged = await direct.post(
            stack.url_of("auth") + "/api/v1/auth/login",
            json={"username": user.email, "password": user.password},
            headers={"X-Client-Address": "198.51.100.66", "X-Forwarded-For": "198.51.100.66"},
        )
        assert forged.status_code == 200, forged.text
        bearer = {"Authorization": f"Bearer {forged.json()['access_token']}"}
        sessions = (await direct.get(stack.url_of("auth") + "/api/v1/auth/sessions", headers=bearer)).json()["items"]
    current = next(s for s in sessions if s["current"])
    assert current["ip"] == "127.0.0.1"


def test_the_gateway_holds_only_its_own_internal_secret():
    """It accepts no internal calls, so it reads no other caller's secret (the deployments give
    it INTERNAL_SECRET_GATEWAY alone: infrastructure/tests/test_deployment_security.py)."""
    settings = GatewaySettings(environment="test")
    assert settings.held_internal_callers() == ("gateway",)
    assert set(settings.secrets_to_check()) == {"INTERNAL_SECRET_GATEWAY"}
