"""JSON logs with service and request id; metrics labelled by route template."""

import json
import logging
import socket

import httpx
import pytest
from fastapi import APIRouter

from instapay_common.logging import get_logger
from instapay_common.settings import ServiceSettings
from instapay_common.web.app import create_service_app
from instapay_stack.testing import running_app

router = APIRouter()


@router.get("/items/{item_id}")
async def get_item(item_id: str) -> dict:
    get_logger("test").info("item_read", item=item_id)
    return {"id": item_id}


async def test_log_lines_are_json_with_service_and_request_id(capsys):
    app = create_service_app(ServiceSettings(service_name="obs-test"), title="t", routers=[router])
    async with running_app(app) as client:
        await client.get("/items/42", headers={"X-Request-ID": "trace-me"})
    logging.getLogger().handlers[0].flush()
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert lines, "no JSON log lines captured"
    for line in lines:
        assert line["service"] == "obs-test"
        assert "request_id" in line
    item = next(line for line in lines if line["event"] == "item_read")
    assert item["request_id"] == "trace-me"
    access = next(line for line in lines if line["event"] == "request")
    assert access["status"] == 200 and access["request_id"] == "trace-me"


async def test_metrics_use_route_templates_not_raw_paths():
    app = create_service_app(ServiceSettings(service_name="metrics-test"), title="t", routers=[router])
    async with running_app(app) as client:
        for i in range(3):
            await client.get(f"/items/{i}")
        text = (await client.get("/metrics")).text
    assert 'route="/items/{item_id}"' in text
    assert 'http_requests_total{method="GET",route="/items/{item_id}",service="metrics-test",status="200"} 3.0' in text
    assert "/items/1" not in text


async def test_metrics_port_serves_metrics_and_nothing_else():
    """METRICS_PORT: a port Prometheus may be let into without reaching the API."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = ServiceSettings(service_name="metrics-port-test", metrics_port=port)
    app = create_service_app(settings, title="t", routers=[router])
    async with running_app(app) as client:
        await client.get("/items/7")
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as metrics_only:
            scraped = await metrics_only.get("/metrics")
            assert scraped.status_code == 200
            assert 'service="metrics-port-test"' in scraped.text
            for path in ("/items/7", "/healthz", "/readyz", "/docs"):
                assert (await metrics_only.get(path)).status_code == 404, path
    async with httpx.AsyncClient() as after:
        with pytest.raises(httpx.ConnectError):  # closed with the app
            await after.get(f"http://127.0.0.1:{port}/metrics", timeout=2)
