"""Request ids on answers the app itself did not render: an unexpected error's 500."""

import json

import httpx
from fastapi import APIRouter
from pydantic import BaseModel

from instapay_common.settings import ServiceSettings
from instapay_common.web.app import create_service_app

router = APIRouter()


class Named(BaseModel):
    name: str


@router.post("/echo")
async def echo(body: Named) -> dict:
    return body.model_dump()


@router.get("/overflow")
async def overflow() -> dict:
    raise OverflowError("date value out of range")


async def test_unexpected_error_answer_and_log_carry_the_request_id(capsys):
    """An unexpected error (here an OverflowError) answers the request id the detail asks the client
    to quote, and the error's log line carries the same id."""
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


async def test_an_unexpected_error_is_answered_inside_the_app_with_its_request_id_header(capsys):
    """The 500 is the request's own answer: X-Request-ID header and access log status 500, and the
    exception does not reach the server (which would close the keep-alive connection)."""
    app = create_service_app(ServiceSettings(service_name="rid-test"), title="t", routers=[router])
    async with app.router.lifespan_context(app):
        # raise_app_exceptions on: an exception the app re-raised would fail this request.
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            r = await client.get("/overflow", headers={"X-Request-ID": "probe-header"})
            bad_json = await client.post("/echo", content=b'{"name":', headers={"content-type": "application/json"})
    assert r.status_code == 500 and r.headers["content-type"] == "application/problem+json"
    assert r.headers["x-request-id"] == "probe-header"
    assert r.json()["request_id"] == "probe-header"
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    access = [line for line in lines if line["event"] == "request" and line.get("path") == "/overflow"]
    assert [(a["status"], a["request_id"]) for a in access] == [(500, "probe-header")]
    # A body that is not JSON names the body, not a character offset.
    assert bad_json.status_code == 422
    assert [e["field"] for e in bad_json.json()["errors"]] == ["body"]
