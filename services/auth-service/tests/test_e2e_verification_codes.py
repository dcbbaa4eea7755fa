"""One-time codes through the gateway: stored only as an HMAC, never logged, 10 minutes, 5 tries,
resends limited (contract: "Verification and recovery"). The clock is moved by rewriting the
code's timestamps in the database, as 10 minutes or an hour passing would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from auth_service.codes import code_digest
from instapay_common.db.database import normalize_async_url
from instapay_stack.e2e import TestUser, fetch_rows, problem, register_user, send_and_read_code

SEND = "/api/v1/auth/verify/phone/send"
VERIFY = "/api/v1/auth/verify/phone"


@pytest.fixture
def gw(stack):
    with httpx.Client(base_url=stack.gateway_url, timeout=20) as client:
        yield client


async def _code_row(stack, user: TestUser) -> dict[str, Any]:
    rows = await fetch_rows(
        stack.config.database_url,
        "SELECT * FROM auth.verification_codes WHERE user_id = :u AND purpose = 'phone'",
        u=user.user_id,
    )
    assert len(rows) == 1
    return rows[0]


async def _execute(stack, sql: str, **params: Any) -> None:
    engine = create_async_engine(normalize_async_url(stack.config.database_url))
    try:
        async with engine.begin() as conn:
            await conn.execute(text(sql), params)
    finally:
        await engine.dispose()


def _logs(stack) -> str:
    return "".join(p.read_text(errors="replace") for p in Path(stack.config.log_dir).glob("*.log"))


def _unverified(stack) -> TestUser:
    return register_user(stack.gateway_url, pin=None, verify_phone=False, verify_email=False)


async def test_a_code_is_stored_as_an_hmac_and_never_logged(stack):
    user = _unverified(stack)
    code = send_and_read_code(stack.gateway_url, user)
    row = await _code_row(stack, user)
    pepper = stack.service_env("auth")["PIN_PEPPER"]
    expected = code_digest(pepper, user_id=user.user_id, purpose="phone", destination=user.phone, code=code)
    assert row["code_hash"] == expected and code not in str(row)
    logs = _logs(stack)
    assert "/api/v1/auth/verify/phone/send" in logs  # the logs do cover the request
    assert code not in logs


async def test_five_wrong_tries_kill_the_code(gw, stack):
    user = _unverified(stack)
    code = send_and_read_code(stack.gateway_url, user)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        body = problem(gw.post(VERIFY, json={"code": wrong}, headers=user.auth_headers()), 422, "invalid_code")
        assert f"{left} tries left" in body["detail"]
    problem(gw.post(VERIFY, json={"code": "not-a-code"}, headers=user.auth_headers()), 422, "invalid_code")
    # The right code after five wrong ones: the code is dead.
    problem(gw.post(VERIFY, json={"code": code}, headers=user.auth_headers()), 429, "rate_limited")
    assert gw.get("/api/v1/users/me", headers=user.auth_headers()).json()["phone_verified"] is False
    await _execute(stack, "UPDATE auth.verification_codes SET last_sent_at = now() - interval '61 seconds'")
    fresh = send_and_read_code(stack.gateway_url, user)
    assert gw.post(VERIFY, json={"code": fresh}, headers=user.auth_headers()).status_code == 204
    problem(gw.post(SEND, headers=user.auth_headers()), 409, "already_verified")


async def test_a_code_expires_after_ten_minutes(gw, stack):
    user = _unverified(stack)
    code = send_and_read_code(stack.gateway_url, user)
    row = await _code_row(stack, user)
    assert 595 <= (row["expires_at"] - row["last_sent_at"]).total_seconds() <= 600
    await _execute(
        stack,
        "UPDATE auth.verification_codes SET expires_at = now() - interval '1 second' WHERE user_id = :u",
        u=user.user_id,
    )
    problem(gw.post(VERIFY, json={"code": code}, headers=user.auth_headers()), 422, "code_expired")


async def test_resending_is_limited_per_minute_and_per_hour(gw, stack):
    user = _unverified(stack)
    send_and_read_code(stack.gateway_url, user)
    problem(gw.post(SEND, headers=user.auth_headers()), 429, "rate_limited")
    retry = int(gw.post(SEND, headers=user.auth_headers()).headers["Retry-After"])
    assert 1 <= retry <= 60
    for _ in range(4):  # a minute passes before each: 5 sends in the hour in all
        await _execute(
            stack,
            "UPDATE auth.verification_codes SET last_sent_at = now() - interval '61 seconds' WHERE user_id = :u",
            u=user.user_id,
        )
        send_and_read_code(stack.gateway_url, user)
    await _execute(
        stack,
        "UPDATE auth.verification_codes SET last_sent_at = now() - interval '61 seconds' WHERE user_id = :u",
        u=user.user_id,
    )
    over = gw.post(SEND, headers=user.auth_headers())
    problem(over, 429, "rate_limited")
    assert 60 < int(over.headers["Retry-After"]) <= 3600
    # The previous code still works: a refused resend replaces nothing.
    row = await _code_row(stack, user)
    assert row["sends_in_window"] == 5 and row["code_hash"] is not None
