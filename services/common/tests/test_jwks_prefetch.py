"""A service fetches the signing keys when it starts, retrying until the key server answers, so its
first request with a valid token is accepted without a fetch of its own (container DNS can take
seconds to settle right after a stack starts: such a first fetch timed out and answered 401)."""

from __future__ import annotations

import asyncio

from aiohttp import web
from fastapi import APIRouter

from instapay_common.security.tokens import CurrentPrincipal
from instapay_common.settings import ServiceSettings
from instapay_common.web.app import create_service_app
from instapay_stack.testing import running_app, start_fake
from instapay_stack.tokens import TestIssuer

router = APIRouter()


@router.get("/me")
async def me(principal: CurrentPrincipal) -> dict[str, str]:
    return {"user_id": principal.user_id}


async def test_keys_are_fetched_at_start_until_the_key_server_answers():
    issuer = TestIssuer()
    asked: list[int] = []

    async def jwks(_request: web.Request) -> web.Response:
        asked.append(1)
        if len(asked) < 3:  # the key server is not reachable yet for the first two tries
            return web.Response(status=503)
        return web.json_response(issuer.jwks())

    fake = web.Application()
    fake.router.add_get("/.well-known/jwks.json", jwks)
    runner, url = await start_fake(fake)
    try:
        settings = ServiceSettings(service_name="prefetch-test", jwks_url=f"{url}/.well-known/jwks.json")
        app = create_service_app(settings, title="t", routers=[router])
        async with running_app(app) as client:
            for _ in range(100):  # 0.5 s + 1 s of backoff before the third try
                if app.state.jwt_verifier._keys:
                    break
                await asyncio.sleep(0.05)
            assert len(asked) == 3
            r = await client.get("/me", headers={"Authorization": f"Bearer {issuer.token('u1')}"})
            assert r.status_code == 200, r.text
            assert r.json() == {"user_id": "u1"}
            assert len(asked) == 3  # the request found the keys there, it fetched nothing
            await asyncio.sleep(0.6)
            assert len(asked) == 3  # and the prefetch stopped once it had them
    finally:
        await runner.cleanup()
