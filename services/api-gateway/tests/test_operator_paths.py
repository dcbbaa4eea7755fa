"""The gateway's own /metrics and /readyz: answered to a direct caller (Prometheus, the kubelet),
404 to anything that came through a reverse proxy (the public ingress in Kubernetes)."""

from __future__ import annotations

import pytest

PROXIED = [
    {"X-Forwarded-For": "203.0.113.7"},
    {"Forwarded": "for=203.0.113.7;proto=https"},
    {"X-Real-IP": "203.0.113.7"},
]


async def test_operator_paths_answer_direct_callers(make_gateway, serve):
    async with serve(make_gateway()) as clients:
        client = clients()
        metrics = await client.get("/metrics")
        assert metrics.status_code == 200 and "gateway_upstream_requests_total" in metrics.text
        assert (await client.get("/healthz")).status_code == 200


@pytest.mark.parametrize("headers", PROXIED)
async def test_operator_paths_are_not_found_through_a_proxy(headers, make_gateway, serve):
    async with serve(make_gateway()) as clients:
        client = clients()
        for path in ("/metrics", "/readyz", "/metrics/"):
            r = await client.get(path, headers=headers)
            assert r.status_code == 404, (path, r.status_code)
            assert r.headers["content-type"] == "application/problem+json"
            assert r.json()["code"] == "not_found"
            assert "gateway_" not in r.text and "x-request-id" in r.headers
        # Liveness says nothing and the public routes are untouched.
        assert (await client.get("/healthz", headers=headers)).status_code == 200
        assert (await client.get("/api/v1/health", headers=headers)).status_code == 200
