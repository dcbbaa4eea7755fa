"""problem+json for domain errors, validation errors, unknown routes and unexpected failures."""

from decimal import Decimal

from fastapi import APIRouter
from pydantic import BaseModel
from starlette.staticfiles import StaticFiles

from instapay_common.errors import Conflict
from instapay_common.settings import ServiceSettings
from instapay_common.web.app import create_service_app
from instapay_stack.testing import running_app

router = APIRouter()


class Body(BaseModel):
    amount: Decimal


@router.post("/things")
async def create_thing(body: Body) -> dict:
    return {"amount": str(body.amount)}


@router.get("/things")
async def list_things() -> list:
    return []


@router.get("/conflict")
async def conflict() -> dict:
    raise Conflict("that handle is taken")


@router.get("/boom")
async def boom() -> dict:
    raise RuntimeError("secret internal detail: host db-7.internal")


def make_app():
    return create_service_app(ServiceSettings(service_name="errors-test"), title="t", routers=[router])


async def test_domain_error_is_problem_json():
    async with running_app(make_app()) as client:
        r = await client.get("/conflict", headers={"X-Request-ID": "req-123"})
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["code"] == "conflict" and body["status"] == 409
    assert body["detail"] == "that handle is taken"
    assert body["request_id"] == "req-123" == r.headers["x-request-id"]


async def test_validation_error_lists_fields():
    async with running_app(make_app()) as client:
        r = await client.post("/things", json={"amount": "abc"})
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "validation_error"
    assert body["errors"][0]["field"] == "amount"


async def test_unexpected_error_hides_internals():
    app = make_app()
    async with app.router.lifespan_context(app):
        import httpx

        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            r = await client.get("/boom")
    assert r.status_code == 500
    assert r.json()["code"] == "internal_error"
    assert "db-7" not in r.text and "Traceback" not in r.text


async def test_unknown_route_is_problem_json():
    async with running_app(make_app()) as client:
        r = await client.get("/nope")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


async def test_unsafe_request_id_is_replaced():
    async with running_app(make_app()) as client:
        r = await client.get("/conflict", headers={"X-Request-ID": "bad id\twith spaces"})
    assert r.headers["x-request-id"] != "bad id\twith spaces"
    assert len(r.headers["x-request-id"]) == 32


async def test_method_not_allowed_lists_every_method_of_the_path(tmp_path):
    """A 405's Allow lists every method the resource supports (RFC 9110), even when each method is
    its own route (Starlette's own answer names only the first route's)."""
    app = make_app()
    # A mount at the root (the gateway serves the web app so) takes every method of every path the
    # routes do not, and answers 405 itself: its match is not counted.
    app.mount("/", StaticFiles(directory=tmp_path))
    async with running_app(app) as client:
        r = await client.delete("/things")
        single = await client.put("/conflict")
    assert r.status_code == 405 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "method_not_allowed"
    assert r.headers["allow"] == "GET, POST"
    assert single.status_code == 405 and single.headers["allow"] == "GET"
