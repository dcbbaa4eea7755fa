"""Notifications end to end through the gateway on the real stack: auth emits events into its
outbox, the auth relay process delivers them, notification-service stores and pushes them."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import httpx

from instapay_stack.e2e import next_notification, register_user_async
from instapay_stack.smtp_sink import read_mailbox


async def _notifications(gw: httpx.AsyncClient, user, **params) -> list[dict]:
    r = await gw.get("/api/v1/notifications", params={"limit": 100, **params}, headers=user.auth_headers())
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def _set_pin(gw: httpx.AsyncClient, user, pin: str) -> None:
    r = await gw.put("/api/v1/auth/pin", json={"pin": pin, "password": user.password}, headers=user.auth_headers())
    assert r.status_code == 204, r.text


async def test_live_push_within_a_second_and_email_only_when_wanted(stack):
    wants, declines = await asyncio.gather(
        register_user_async(stack.gateway_url, pin=None), register_user_async(stack.gateway_url, pin=None)
    )
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=20) as gw:
        for user, email in ((wants, True), (declines, False)):
            r = await gw.patch(
                "/api/v1/users/me", json={"preferences": {"notify_email": email}}, headers=user.auth_headers()
            )
            assert r.status_code == 200, r.text
        # welcome (user.registered) and new sign-in (security.login) arrive without anyone asking
        deadline = time.monotonic() + 15
        while {"account.welcome", "security.login"} - {n["type"] for n in await _notifications(gw, wants)}:
            assert time.monotonic() < deadline, await _notifications(gw, wants)
            await asyncio.sleep(0.2)
        await asyncio.sleep(3.5)  # the notification service caches profiles for 3 s

        async with (
            gw.stream("GET", "/api/v1/notifications/stream", headers=wants.auth_headers()) as s1,
            gw.stream("GET", "/api/v1/notifications/stream", headers=declines.auth_headers()) as s2,
        ):
            assert s1.status_code == 200 and s1.headers["content-type"].startswith("text/event-stream")
            got = []
            for user, stream in ((wants, s1), (declines, s2)):
                await _set_pin(gw, user, "135790")
                answered = time.monotonic()  # the clock starts when the change has been answered
                got.append(await next_notification(stream.aiter_lines(), "security.pin_changed", within=5))
                elapsed = time.monotonic() - answered
                assert elapsed < 1.0, f"the notification took {elapsed:.2f}s to arrive on the stream"
        assert got[0]["title"] == "Your transaction PIN was set" and got[1]["type"] == "security.pin_changed"

    deadline = time.monotonic() + 15
    while not [m for m in read_mailbox(stack.mail_dir) if m["To"] == wants.email and "PIN" in m["Subject"]]:
        assert time.monotonic() < deadline, "no PIN e-mail for the user who wants e-mail"
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)
    pin_mail_to = [m["To"] for m in read_mailbox(stack.mail_dir) if "PIN" in m["Subject"]]
    # e-mail is on by default, so both got welcome/sign-in mails before `declines` turned it off
    assert wants.email in pin_mail_to and declines.email not in pin_mail_to


async def test_events_made_while_notification_service_is_down_arrive_once_after_restart(stack):
    user = await register_user_async(stack.gateway_url, pin=None)
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=20) as gw:
        deadline = time.monotonic() + 15
        while "security.login" not in {n["type"] for n in await _notifications(gw, user)}:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.2)
        stack.supervisor.kill("notification")
        try:
            for i in range(12):
                await _set_pin(gw, user, str(480000 + 7919 * (i + 1)))  # twelve PINs none of them weak
        finally:
            await asyncio.to_thread(stack.supervisor.restart, "notification", timeout=60)
        deadline = time.monotonic() + 60  # the relay's backoff may wait a few seconds before retrying
        while True:
            types = Counter(n["type"] for n in await _notifications(gw, user))
            if types["security.pin_changed"] >= 12 or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        await asyncio.sleep(1.0)  # a duplicate would show up now
        items = await _notifications(gw, user)
    types = Counter(n["type"] for n in items)
    assert types["security.pin_changed"] == 12, types
    assert types["account.welcome"] == 1 and types["security.login"] == 1
    assert len({n["id"] for n in items}) == len(items)
