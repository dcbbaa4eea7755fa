"""Helpers for end-to-end tests against a running stack (through the gateway, real tokens).

    user = register_user(stack.gateway_url)
    httpx.get(stack.gateway_url + "/api/v1/wallet", headers=user.auth_headers())

Every call makes a fresh, unique email/phone/handle so tests never collide, also across runs
sharing one database.
"""

from __future__ import annotations

import asyncio
import base64
import json
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from instapay_common.db.database import normalize_async_url
from instapay_stack.message_sinks import (
    mail_dir_for,
    messages_to,
    reader_for,
    sms_dir_for,
    wait_for_code,
    wait_for_new_code,
)

DEFAULT_PASSWORD_PREFIX = "Str0ng!Pass-"
# A PIN the weak-PIN rules accept (no repeat, run or common PIN); tests use it unless they test PINs.
DEFAULT_PIN = "482915"
TIMEOUT = 15.0


@dataclass
class TestUser:
    __test__ = False  # not a pytest test class

    user_id: str
    email: str
    phone: str
    handle: str
    password: str
    full_name: str
    pin: str | None = None
    access_token: str = ""
    refresh_token: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def auth_headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}", **extra}


def unique_identity() -> dict[str, str]:
    """A fresh email, E.164 phone (+2010 + 8 random digits) and handle."""
    tag = secrets.token_hex(5)
    return {
        "email": f"user.{tag}@example.com",
        "phone": "+2010" + "".join(secrets.choice("0123456789") for _ in range(8)),
        "handle": f"u.{tag}",
        "full_name": f"Test User{tag[:3]}",
    }


def _check(resp: httpx.Response, expected: int, what: str) -> dict[str, Any]:
    if resp.status_code != expected:
        raise AssertionError(f"{what}: expected {expected}, got {resp.status_code}: {resp.text}")
    return resp.json() if resp.content else {}


def login(gateway_url: str, username: str, password: str, *, client: httpx.Client | None = None) -> dict[str, Any]:
    """POST /api/v1/auth/login; returns the token response (asserts 200)."""
    c = client or httpx.Client(timeout=TIMEOUT)
    try:
        return _check(
            c.post(gateway_url + "/api/v1/auth/login", json={"username": username, "password": password}), 200, "login"
        )
    finally:
        if client is None:
            c.close()


def set_pin(gateway_url: str, user: TestUser, pin: str, *, client: httpx.Client | None = None) -> None:
    c = client or httpx.Client(timeout=TIMEOUT)
    try:
        _check(
            c.put(
                gateway_url + "/api/v1/auth/pin",
                json={"pin": pin, "password": user.password},
                headers=user.auth_headers(),
            ),
            204,
            "set pin",
        )
        user.pin = pin
    finally:
        if client is None:
            c.close()


def post_again_on_503(client: httpx.Client, url: str, **kwargs: Any) -> httpx.Response:
    """POSTs, and on 503 (the API's "nothing was done, send the same request again shortly") sends
    it again after 0.5, 1 and 2 s, as a client does; the last answer whatever it is."""
    for wait in (0.5, 1.0, 2.0, 0.0):
        resp = client.post(url, **kwargs)
        if resp.status_code != 503 or not wait:
            break
        time.sleep(wait)
    return resp


def send_and_read_code(
    gateway_url: str, user: TestUser, channel: str = "phone", *, client: httpx.Client | None = None
) -> str:
    """Asks for a verification code for the user's phone (SMS) or e-mail and reads it back from
    the stack's message sinks (instapay_stack.message_sinks)."""
    email = channel == "email"
    to = user.email if email else user.phone
    reader = reader_for(gateway_url)
    directory = mail_dir_for(gateway_url) if email else sms_dir_for(gateway_url)
    seen = messages_to(directory, to, email=email) if reader is None else set()
    before = len(reader(to, email)) if reader is not None else 0
    c = client or httpx.Client(timeout=TIMEOUT)
    try:
        # 503 is "the code could not be sent right now; try again shortly" (nothing stored, no send
        # counted).
        resp = post_again_on_503(c, gateway_url + f"/api/v1/auth/verify/{channel}/send", headers=user.auth_headers())
        _check(resp, 202, f"send {channel} code")
    finally:
        if client is None:
            c.close()
    if reader is not None:
        return wait_for_new_code(reader, to, email=email, after=before)
    return wait_for_code(directory=directory, to=to, seen=seen, email=email)


def verify_contact(
    gateway_url: str, user: TestUser, channel: str = "phone", *, client: httpx.Client | None = None
) -> None:
    """Verifies the user's phone (what money needs) or e-mail with the code the stack sent."""
    code = send_and_read_code(gateway_url, user, channel, client=client)
    c = client or httpx.Client(timeout=TIMEOUT)
    try:
        _check(
            c.post(gateway_url + f"/api/v1/auth/verify/{channel}", json={"code": code}, headers=user.auth_headers()),
            204,
            f"verify {channel}",
        )
    finally:
        if client is None:
            c.close()


def register_user(
    gateway_url: str,
    *,
    pin: str | None = DEFAULT_PIN,
    verify_phone: bool = True,
    verify_email: bool = True,
    client: httpx.Client | None = None,
    **overrides: Any,
) -> TestUser:
    """Registers a new user, logs in, verifies the phone and the e-mail with the codes the stack
    sent (its SMS and mail sinks), sets the PIN (pin=None skips it). verify_phone=False leaves an
    account that moves no money and is no recipient; verify_email=False one not found by e-mail.
    Overrides: email, phone, handle, full_name, password."""
    body = unique_identity()
    body["password"] = DEFAULT_PASSWORD_PREFIX + secrets.token_hex(4)
    body.update(overrides)
    c = client or httpx.Client(timeout=TIMEOUT)
    try:
        # 503 here is "a service the registration needs is unavailable; nothing was kept" (a
        # service slow to answer on a loaded machine, e.g. tests running in parallel).
        created = _check(post_again_on_503(c, gateway_url + "/api/v1/auth/register", json=body), 201, "register")
        tokens = login(gateway_url, body["email"], body["password"], client=c)
        user = TestUser(
            user_id=created["user_id"],
            email=created["email"],
            phone=created["phone"],
            handle=created["handle"],
            password=body["password"],
            full_name=body["full_name"],
            access_token=tokens["access_token"],
            refresh_token=tokens["refresh_token"],
        )
        if verify_phone:
            verify_contact(gateway_url, user, "phone", client=c)
        if verify_email:
            verify_contact(gateway_url, user, "email", client=c)
        if pin is not None:
            set_pin(gateway_url, user, pin, client=c)
        return user
    finally:
        if client is None:
            c.close()


async def register_user_async(gateway_url: str, **kwargs: Any) -> TestUser:
    """Same as register_user, off the event loop (for async tests)."""
    return await asyncio.to_thread(register_user, gateway_url, **kwargs)


def make_admin(stack: Any, user: TestUser) -> TestUser:
    """Grants the admin role with the operator command (as `make admin` does) and logs in again,
    so `user.access_token` carries `roles: ["admin"]`."""
    import subprocess
    import sys

    subprocess.run(
        [sys.executable, "-m", "auth_service.admin", "grant", "--email", user.email],
        env=stack.service_env("auth"),
        check=True,
        capture_output=True,
        timeout=60,
    )
    tokens = login(stack.gateway_url, user.email, user.password)
    user.access_token, user.refresh_token = tokens["access_token"], tokens["refresh_token"]
    return user


def approve_pending(gateway_url: str, approver: TestUser, *, action: str, subject: str) -> dict[str, Any]:
    """Two-person control: `approver` (another admin than the proposer) approves the newest pending
    approval of `action` on `subject` (e.g. "wallet.freeze" on a user id); the approval answered."""
    with httpx.Client(timeout=TIMEOUT) as c:
        page = _check(
            c.get(
                gateway_url + "/api/v1/admin/approvals", params={"status": "pending"}, headers=approver.auth_headers()
            ),
            200,
            "list pending approvals",
        )
        found = [a for a in page["items"] if a["action"] == action and a["subject"] == subject]
        assert found, f"no pending {action} of {subject}"
        path = f"/api/v1/admin/approvals/{found[0]['approval_id']}/approve"
        return _check(c.post(gateway_url + path, headers=approver.auth_headers()), 200, f"approve {action}")


MONEY_SCOPES = frozenset({"transfers:write", "wallet:withdraw"})


def create_api_client(gateway_url: str, user: TestUser, scopes: list[str], name: str = "test client") -> dict[str, Any]:
    """Creates an API client (with the user's password, and PIN for a money scope) and returns
    {client_id, client_secret, ..., access_token}."""
    body: dict[str, Any] = {"name": name, "scopes": scopes, "password": user.password}
    if MONEY_SCOPES & set(scopes):
        body["pin"] = user.pin
    with httpx.Client(timeout=TIMEOUT) as c:
        client = _check(
            c.post(gateway_url + "/api/v1/auth/clients", json=body, headers=user.auth_headers()),
            201,
            "create client",
        )
        token = _check(
            c.post(
                gateway_url + "/api/v1/auth/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": client["client_id"],
                    "client_secret": client["client_secret"],
                },
            ),
            200,
            "client token",
        )
    client["access_token"] = token["access_token"]
    return client


def claims_of(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, claims) of a JWT, unverified: for asserting on their shape only."""
    head, body, _ = token.split(".")

    def part(s: str) -> dict[str, Any]:
        decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)))
        return decoded

    return part(head), part(body)


def problem(resp: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert resp.status_code == status, f"expected {status} {code}, got {resp.status_code}: {resp.text}"
    assert resp.headers["content-type"].startswith("application/problem+json"), resp.headers["content-type"]
    body: dict[str, Any] = resp.json()
    assert body["code"] == code, body
    return body


async def fetch_rows(database_url: str, sql: str, **params: Any) -> list[dict[str, Any]]:
    engine = create_async_engine(normalize_async_url(database_url))
    try:
        async with engine.connect() as conn:
            result = await conn.execute(text(sql), params)
            return [dict(r._mapping) for r in result]
    finally:
        await engine.dispose()


async def next_notification(lines: AsyncIterator[str], of_type: str, *, within: float) -> dict[str, Any]:
    """Reads Server-Sent Events frames from a notification stream (`aiter_lines()` of
    `GET /api/v1/notifications/stream`) until a `notification` of `of_type` arrives, within
    `within` seconds; returns its data with the frame's id as `_id`."""

    async def consume() -> dict[str, Any]:
        frame: dict[str, str] = {}
        async for line in lines:
            if line == "":
                if frame.get("event") == "notification":
                    data = json.loads(frame["data"])
                    if data["type"] == of_type:
                        return {**data, "_id": frame.get("id")}
                frame = {}
            elif not line.startswith(":"):  # a comment line (keep-alive)
                key, _, value = line.partition(":")
                frame[key] = value.removeprefix(" ")
        raise AssertionError("the notification stream ended")

    return await asyncio.wait_for(consume(), timeout=within)
