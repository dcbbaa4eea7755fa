"""Registration while the user or transaction service is down: 503, nothing left behind, and the
same request succeeds once the service is back (stack.supervisor kill/restart)."""

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from instapay_common.db.database import normalize_async_url
from instapay_stack.e2e import fetch_rows, problem, unique_identity
from instapay_stack.testing import internal_headers

PASSWORD = "Cairo-Tower-1961"


async def _traces(stack, body) -> dict[str, int]:
    url = stack.config.database_url
    creds = await fetch_rows(
        url, "SELECT user_id FROM auth.credentials WHERE email = :e OR phone = :p", e=body["email"], p=body["phone"]
    )
    profiles = await fetch_rows(
        url, "SELECT user_id FROM users.profiles WHERE email = :e OR phone = :p", e=body["email"], p=body["phone"]
    )
    return {"credentials": len(creds), "profiles": len(profiles)}


@pytest.mark.parametrize("down", ["user", "transaction"])
async def test_registration_with_a_service_down_leaves_no_trace_and_can_be_resent(stack, down):
    body = {**unique_identity(), "password": PASSWORD}
    stack.supervisor.kill(down)
    try:
        async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as gw:
            problem(await gw.post("/api/v1/auth/register", json=body), 503, "service_unavailable")
            assert await _traces(stack, body) == {"credentials": 0, "profiles": 0}
            problem(
                await gw.post("/api/v1/auth/login", json={"username": body["email"], "password": PASSWORD}),
                401,
                "invalid_credentials",
            )
    finally:
        stack.supervisor.restart(down, timeout=180)
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as gw:
        again = await gw.post("/api/v1/auth/register", json=body)
        assert again.status_code == 201, again.text
        assert await _traces(stack, body) == {"credentials": 1, "profiles": 1}
        login = await gw.post("/api/v1/auth/login", json={"username": body["handle"], "password": PASSWORD})
        assert login.status_code == 200, login.text
    async with httpx.AsyncClient(timeout=10) as direct:
        wallet = await direct.post(
            stack.url_of("transaction") + "/internal/wallets",
            json={"user_id": again.json()["user_id"]},
            headers=internal_headers("auth", stack.env),
        )
    assert wallet.status_code == 200, wallet.text  # the wallet already existed


async def test_registration_abandoned_half_way_is_resumed_or_cleared(stack):
    """A pending row left by a crashed registration: the same request resumes it; after 10 minutes
    a different request for the same e-mail clears it instead of leaving it behind forever."""
    body = {**unique_identity(), "password": PASSWORD}
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as gw:
        assert (await gw.post("/api/v1/auth/register", json=body)).status_code == 201
        engine = create_async_engine(normalize_async_url(stack.config.database_url))
        try:
            async with engine.begin() as conn:  # as if the last step had never finished
                await conn.execute(
                    text("UPDATE auth.credentials SET status = 'pending' WHERE email = :e"), {"e": body["email"]}
                )
            problem(
                await gw.post("/api/v1/auth/login", json={"username": body["email"], "password": PASSWORD}),
                401,
                "invalid_credentials",
            )
            # Another password is another person: the unverified e-mail and phone block nobody,
            # the handle does.
            problem(
                await gw.post("/api/v1/auth/register", json={**body, "password": "Other-Secret-99x"}),
                409,
                "handle_taken",
            )
            resumed = await gw.post("/api/v1/auth/register", json=body)
            assert resumed.status_code == 201, resumed.text
            assert await _traces(stack, body) == {"credentials": 1, "profiles": 1}
            async with engine.begin() as conn:
                await conn.execute(
                    text(
                        "UPDATE auth.credentials SET status = 'pending', "
                        "created_at = now() - interval '1 hour' WHERE email = :e"
                    ),
                    {"e": body["email"]},
                )
        finally:
            await engine.dispose()
        other = {**unique_identity(), "email": body["email"], "password": PASSWORD}
        fresh = await gw.post("/api/v1/auth/register", json=other)
        assert fresh.status_code == 201, fresh.text
        assert fresh.json()["user_id"] != resumed.json()["user_id"]
        assert await _traces(stack, body) == {"credentials": 1, "profiles": 1}
