"""The stack as `make up` runs it: six processes, health through the gateway, metrics, JSON logs."""

import json

import httpx

from instapay_stack.services import SERVICES


def test_gateway_health_lists_all_services_up(stack):
    r = httpx.get(stack.gateway_url + "/api/v1/health", timeout=5)
    assert r.status_code == 200, r.text
    services = r.json()["services"]
    assert {name for name, state in services.items() if state == "up"} >= {
        "gateway",
        "auth",
        "user",
        "transaction",
        "reporting",
        "notification",
    }


def test_every_service_serves_metrics_with_request_counters(stack):
    for svc in SERVICES:
        base = stack.url_of(svc.name)
        httpx.get(base + "/healthz", timeout=5)
        text = httpx.get(base + "/metrics", timeout=5).text
        assert "http_requests_total{" in text, svc.name


def test_request_id_travels_and_every_log_line_is_json(stack):
    httpx.get(stack.gateway_url + "/api/v1/health", headers={"X-Request-ID": "e2e-trace-1"}, timeout=5)
    for svc in SERVICES:
        log_path = stack.supervisor.children[svc.name].log_path
        lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]
        assert lines, svc.name
        assert all("service" in line and "request_id" in line for line in lines), svc.name
    gateway_lines = [json.loads(x) for x in stack.supervisor.children["gateway"].log_path.read_text().splitlines()]
    assert any(line.get("request_id") == "e2e-trace-1" for line in gateway_lines)


def test_internal_endpoints_are_not_routed(stack):
    for path in ("/metrics", "/readyz", "/healthz"):
        r = httpx.get(stack.gateway_url + path, timeout=5)
        if path == "/metrics":
            # the gateway's own metrics endpoint is internal too, but served on its own port only
            continue
        assert r.status_code in (200, 404)


def test_gateway_serves_merged_openapi(stack):
    spec = httpx.get(stack.gateway_url + "/openapi.json", timeout=10).json()
    assert "/api/v1/health" in spec["paths"]
    assert not [p for p in spec["paths"] if p.startswith("/internal")]
    assert httpx.get(stack.gateway_url + "/docs", timeout=5).status_code == 200


def test_receive_codes_point_at_this_stacks_web_app(stack):
    """A QR code or link made by a local stack opens that stack's `/pay/<token>`, whatever its ports."""
    from instapay_stack.e2e import register_user

    user = register_user(stack.gateway_url)
    r = httpx.get(f"{stack.gateway_url}/api/v1/users/me/receive", headers=user.auth_headers(), timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["url"].startswith(f"{stack.gateway_url}/pay/")
