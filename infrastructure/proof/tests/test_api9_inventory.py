"""OWASP API9:2023 Improper Inventory Management: only /api/v1 (and the JWKS) is exposed through the
gateway; internal endpoints, service health/metrics and other API versions are unreachable."""

from __future__ import annotations

import pytest
from proof_support.answers import assert_no_leak

from instapay_stack.testing import internal_headers

INTERNAL = [
    ("POST", "/internal/events"),
    ("POST", "/internal/pin/verify"),
    ("GET", "/internal/sessions/revoked"),
    ("POST", "/internal/wallets"),
    ("GET", "/internal/users/resolve?q=x"),
    ("GET", "/internal/events"),
    ("GET", "/api/v1/internal/events"),
    ("POST", "/api/v1/auth/../../internal/pin/verify"),
    ("GET", "/api/v1/users/%2e%2e/%2e%2e/internal/users/resolve"),
    ("GET", "/api/v1/users/..%2f..%2finternal"),
    ("GET", "/api/v0/users/me"),
    ("GET", "/api/v2/users/me"),
    ("GET", "/api/v1/wallets-internal"),
    ("GET", "/api/v1/users/readyz"),
    ("GET", "/api/v1/auth/metrics"),
    ("GET", "/api/v1/transfers/../../metrics"),
]


@pytest.mark.parametrize(("method", "path"), INTERNAL)
def test_internal_and_unversioned_paths_are_not_routed(proof_stack, gw, alice, method, path):
    # Even with a real internal credential: the gateway never forwards these.
    headers = alice.auth_headers(**internal_headers("auth", proof_stack.env))
    resp = gw.request(method, path, headers=headers, json={})
    # 404/405, or for a GET the web app's index page (it answers every path nothing else claims).
    web_app = (
        method == "GET"
        and resp.status_code == 200
        and resp.headers["content-type"].startswith("text/html")
        and resp.text.lstrip().lower().startswith("<!doctype html")
    )
    assert resp.status_code in (404, 405) or web_app, f"{method} {path}: {resp.status_code} {resp.text[:200]}"
    assert_no_leak(resp)


def test_the_gateways_own_probes_reveal_nothing_about_upstreams(gw):
    # /healthz and /readyz answer for the gateway process itself (for its orchestrator), nothing more.
    resp = gw.get("/readyz")
    assert resp.status_code == 200
    for name in ("auth", "user", "transaction", "reporting", "notification", "127.0.0.1", "postgres"):
        assert name not in resp.text, resp.text


def test_metrics_of_services_are_not_reachable_through_the_gateway(gw, alice):
    for path in ("/api/v1/users/metrics", "/api/v1/notifications/metrics", "/api/v1/reports/metrics"):
        resp = gw.get(path, headers=alice.auth_headers())
        assert "http_requests_total" not in resp.text and "process_cpu" not in resp.text, path


def test_the_gateways_own_metrics_and_readiness_are_not_public(gw):
    """Through the ingress (a proxy: it adds X-Forwarded-For) the gateway's own operator endpoints
    do not exist; Prometheus scrapes the pod directly."""
    for path in ("/metrics", "/readyz"):
        resp = gw.get(path, headers={"X-Forwarded-For": "198.51.100.23"})
        assert resp.status_code == 404, (path, resp.status_code)
        assert "http_requests_total" not in resp.text and "process_cpu" not in resp.text, path


def test_openapi_lists_only_public_versioned_routes(gw):
    spec = gw.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert paths, spec
    for path in paths:
        assert path.startswith("/api/v1/") or path == "/.well-known/jwks.json", path
        assert "/internal" not in path
