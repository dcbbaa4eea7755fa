"""Request ids on answers the app itself did not render: an unexpected error's 500."""

import json

import httpx
from fastapi import APIRouter

from instapay_common.app import create_service_app
from instapay_common.settings import ServiceSettings

router = APIRouter()


@router.get("/overflow")
async def overflow() -> dict:
    raise OverflowError("date value out of range")


async def test_unexpected_error_answer_and_log_carry_the_request_id(capsys):
    """Found by a deep schemathesis run: `?to=9999-12-31` (an OverflowError) answered
    `"request_id": null` while the detail asks the client to quote it, and the error log line had none."""
    app = create_service_app(ServiceSettings(service_name="rid-test"), title="t", routers=[router])
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            r = await client.get("/overflow", headers={"X-Request-ID": "probe-500"})
            after = await client.get("/healthz")
    assert r.status_code == 500 and r.json()["code"] == "internal_error"
    assert r.json()["request_id"] == "probe-500"
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    errors = [line for line in lines if line["event"] == "unhandled_error"]
    assert [e["request_id"] for e in errors] == ["probe-500"], lines
    assert after.headers["x-request-id"] != "probe-500"  # the next request gets its own
