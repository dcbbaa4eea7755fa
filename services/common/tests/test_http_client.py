"""ServiceClient passes an upstream's problem on with what a client needs to act on it."""

import pytest
from aiohttp import web

from instapay_common.security.internal import InternalCredentials
from instapay_common.web.http_client import ServiceClient, UpstreamError, new_session
from instapay_stack.testing import start_fake


async def test_upstream_problem_keeps_its_retry_after():
    """An upstream's problem passed on keeps its Retry-After: a transfer with a locked PIN answers
    423 `pin_locked` with the Retry-After of auth's own 423, so the client knows when to retry."""

    async def locked(_: web.Request) -> web.Response:
        return web.json_response(
            {"status": 423, "code": "pin_locked", "title": "Locked", "detail": "in 900 s"},
            status=423,
            headers={"Retry-After": "900"},
            content_type="application/problem+json",
        )

    async def invalid(_: web.Request) -> web.Response:
        return web.json_response({"status": 403, "code": "invalid_pin", "title": "Wrong PIN"}, status=403)

    app = web.Application()
    app.router.add_post("/locked", locked)
    app.router.add_post("/invalid", invalid)
    runner, url = await start_fake(app)
    session = new_session(timeout_seconds=5)
    try:
        client = ServiceClient(
            session, url, name="auth", credentials=InternalCredentials("transaction", {"transaction": "t"})
        )
        with pytest.raises(UpstreamError) as exc:
            await client.request("POST", "/locked", json={})
        assert (exc.value.status, exc.value.code, exc.value.detail) == (423, "pin_locked", "in 900 s")
        assert exc.value.headers == {"Retry-After": "900"}
        with pytest.raises(UpstreamError) as exc:
            await client.request("POST", "/invalid", json={})
        assert exc.value.status == 403 and exc.value.headers == {}
    finally:
        await session.close()
        await runner.cleanup()
