"""OWASP API8:2023 Security Misconfiguration: security headers on every answer, CORS only for the
allow-list, no docs or debug in the production configuration, errors without internals."""

from __future__ import annotations

import secrets

import pytest
from proof_support.answers import assert_no_leak, is_problem

from api_gateway.config import GatewaySettings
from api_gateway.gateway_app import build_gateway
from instapay_common.security.internal import CALLERS, secret_env_name
from instapay_stack.testing import running_app

# Real-looking secrets (production refuses short, repetitive or placeholder ones).
SECRETS = {caller: secrets.token_urlsafe(36) for caller in CALLERS}
PRODUCTION = {
    "environment": "production",
    "internal_secret_gateway": SECRETS["gateway"],
    "GATEWAY_TRUSTED_PROXIES": ["10.0.0.0/8"],
    "docs_enabled": True,
}


def test_security_headers_on_success_error_and_unauthenticated_answers(gw, alice):
    for resp in (
        gw.get("/api/v1/users/me", headers=alice.auth_headers()),
        gw.get("/api/v1/users/me"),
        gw.get("/api/v1/does-not-exist", headers=alice.auth_headers()),
        gw.get("/api/v1/health"),
    ):
        assert resp.headers["x-content-type-options"] == "nosniff", resp.headers
        assert resp.headers["x-frame-options"] == "DENY"
        assert "referrer-policy" in resp.headers
        assert "uvicorn" not in resp.headers.get("server", "").lower(), resp.headers
    me = gw.get("/api/v1/users/me", headers=alice.auth_headers())
    assert "no-store" in me.headers.get("cache-control", ""), "personal data must not be cached"


def test_cors_refuses_origins_outside_the_allow_list(gw, alice):
    pre = gw.options(
        "/api/v1/users/me", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in pre.headers, pre.headers
    resp = gw.get("/api/v1/users/me", headers=alice.auth_headers(Origin="https://evil.example"))
    assert resp.headers.get("access-control-allow-origin") not in ("*", "https://evil.example")
    assert (
        resp.headers.get("access-control-allow-credentials") != "true"
        or resp.headers.get("access-control-allow-origin") is None
    )


async def test_production_gateway_serves_no_docs_or_debug():
    app = build_gateway(GatewaySettings(**PRODUCTION))
    assert app.debug is False
    async with running_app(app) as client:
        for path in ("/docs", "/openapi.json", "/redoc", "/docs/oauth2-redirect"):
            resp = await client.get(path)
            # 404, or the web app's index when it is built (it answers every unclaimed GET): never docs.
            assert resp.status_code == 404 or _is_web_app(resp), f"{path}: {resp.status_code} {resp.text[:200]}"
            assert "swagger" not in resp.text.lower() and '"openapi"' not in resp.text


def _is_web_app(resp) -> bool:
    return (
        resp.status_code == 200
        and resp.headers["content-type"].startswith("text/html")
        and resp.text.lstrip().lower().startswith("<!doctype html")
    )


@pytest.mark.parametrize(
    "module",
    [
        "auth_service.main",
        "user_service.main",
        "transaction_service.main",
        "reporting_service.main",
        "notification_service.main",
    ],
)
async def test_production_services_serve_no_docs(module, monkeypatch, database_url, tmp_path):
    import importlib

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key_file = tmp_path / "jwt.pem"
    key_file.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    for key, value in {
        "ENVIRONMENT": "production",
        **{secret_env_name(caller): secret for caller, secret in SECRETS.items()},
        "GATEWAY_TRUSTED_PROXIES": '["10.0.0.0/8"]',
        "PIN_PEPPER": secrets.token_urlsafe(36),
        "JWT_PRIVATE_KEY_FILE": str(key_file),
        "DATABASE_URL": database_url,
        # Production talks to a real PSP over HTTP only (the simulated providers are refused).
        "FUNDING_PROVIDER": "http",
        "FUNDING_PROVIDER_URL": "https://psp.example.com",
        "FUNDING_API_KEY": secrets.token_urlsafe(36),
        "FUNDING_WEBHOOK_SECRETS": secrets.token_urlsafe(36),
        "PAYMENT_LINK_SECRETS": secrets.token_urlsafe(36),
    }.items():
        monkeypatch.setenv(key, value)
    main = importlib.import_module(module)
    # get_settings() is cached per process: a suite run earlier in this process (pytest given
    # several suites at once) leaves development settings in it. Read the environment afresh, and
    # leave no production settings behind for later tests either.
    config = importlib.import_module(module.rsplit(".", 1)[0] + ".config")
    config.get_settings.cache_clear()
    try:
        app = main.build_app()  # settings from the environment, as in a production container
    except ValueError as exc:  # production refuses development secrets: say which one is missing
        pytest.fail(f"{module}: production settings need more than ENVIRONMENT and the secrets: {exc}")
    finally:
        config.get_settings.cache_clear()
    assert app.docs_url is None and app.openapi_url is None and app.redoc_url is None, module


def test_errors_carry_no_internals(gw, alice):
    h = alice.auth_headers(**{"Content-Type": "application/json"})
    for resp in (
        gw.patch("/api/v1/users/me", content=b"{not json", headers=h),
        gw.patch("/api/v1/users/me", content=b'{"full_name": "\\ud800"}', headers=h),
        gw.post("/api/v1/auth/login", content=b"\xff\xfe", headers={"Content-Type": "application/json"}),
        gw.get("/api/v1/users/lookup", params={"q": "'; DROP TABLE users; --"}, headers=h),
        gw.post("/api/v1/auth/token", data={"grant_type": "password'--"}),
    ):
        assert 400 <= resp.status_code < 500, f"{resp.request.url}: {resp.status_code} {resp.text}"
        is_problem(resp, resp.status_code)
        assert_no_leak(resp)


def test_unknown_method_is_a_problem_not_a_crash(gw, alice):
    for method in ("TRACE", "DELETE", "PUT"):
        resp = gw.request(method, "/api/v1/users/me", headers=alice.auth_headers())
        assert resp.status_code in (404, 405), f"{method}: {resp.status_code}"
        assert_no_leak(resp)
