"""Transfers through the gateway on the real stack, watched from the event side: both parties'
notifications (live on SSE within 1 s, e-mail by preference), and notification + reporting
services killed during 100 transfers then restarted: every event arrives exactly once, and the
reports equal the ledger (wallet balances and the history endpoint) to the piaster."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from instapay_stack.e2e import next_notification, register_user_async
from instapay_stack.smtp_sink import read_mailbox


async def _ok(resp_coro, status: int = 201) -> dict:
    """Retries politely on 429 (rate limits) with the same request, otherwise expects `status`."""
    while True:
        resp = await resp_coro()
        if resp.status_code == 429:
            await asyncio.sleep(float(resp.headers.get("Retry-After", "1")))
            continue
        assert resp.status_code == status, resp.text
        return resp.json() if resp.content else {}


async def topup(gw: httpx.AsyncClient, user, amount: str) -> dict:
    key = secrets.token_hex(8)
    return await _ok(
        lambda: gw.post(
            "/api/v1/wallet/topups",
            json={"amount": amount, "source": {"type": "card", "reference": "test-card"}},
            headers=user.auth_headers(**{"Idempotency-Key": key}),
        )
    )


async def transfer(gw: httpx.AsyncClient, sender, recipient, amount: str) -> dict:
    key = secrets.token_hex(8)
    return await _ok(
        lambda: gw.post(
            "/api/v1/transfers",
            json={"recipient": recipient.handle, "amount": amount, "pin": sender.pin, "note": "e2e"},
            headers=sender.auth_headers(**{"Idempotency-Key": key}),
        )
    )


async def notifications(gw: httpx.AsyncClient, user, kind: str) -> list[dict]:
    out, cursor = [], None
    while True:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = await _ok(lambda p=params: gw.get("/api/v1/notifications", params=p, headers=user.auth_headers()), 200)
        out += [n for n in page["items"] if n["type"] == kind]
        cursor = page["next_cursor"]
        if not cursor:
            return out


async def test_both_sides_see_a_transfer_live_within_a_second_and_mail_follows_preferences(stack):
    alice, bob = await asyncio.gather(register_user_async(stack.gateway_url), register_user_async(stack.gateway_url))
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as gw:
        for user, email in ((alice, False), (bob, True)):
            await _ok(
                lambda u=user, e=email: gw.patch(
                    "/api/v1/users/me", json={"preferences": {"notify_email": e}}, headers=u.auth_headers()
                ),
                200,
            )
        await topup(gw, alice, "500.00")
        await asyncio.sleep(3.5)  # profile cache of the notification service
        async with (
            gw.stream("GET", "/api/v1/notifications/stream", headers=alice.auth_headers()) as sa,
            gw.stream("GET", "/api/v1/notifications/stream", headers=bob.auth_headers()) as sb,
        ):
            la, lb = sa.aiter_lines(), sb.aiter_lines()
            await asyncio.sleep(0.2)
            done = await transfer(gw, alice, bob, "125.50")
            answered = time.monotonic()
            sent, received = await asyncio.gather(
                next_notification(la, "transfer.sent", within=5), next_notification(lb, "transfer.received", within=5)
            )
            elapsed = time.monotonic() - answered
        assert elapsed < 1.0, f"both sides notified after {elapsed:.2f}s"
        assert sent["data"]["transfer_id"] == received["data"]["transfer_id"] == done["id"]
        assert sent["data"]["amount"] == received["data"]["amount"] == "125.50"

    deadline = time.monotonic() + 15
    while not [m for m in read_mailbox(stack.mail_dir) if m["To"] == bob.email and "received" in m["Subject"]]:
        assert time.monotonic() < deadline, "no transfer e-mail for the recipient who wants e-mail"
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)
    assert not [m for m in read_mailbox(stack.mail_dir) if m["To"] == alice.email and "sent" in m["Subject"]]


async def history_totals(gw: httpx.AsyncClient, user) -> dict:
    """Sums of the user's whole history (fresh users: all of it is from today)."""
    sums, counts, cursor = {"in": Decimal("0"), "out": Decimal("0")}, Counter(), None
    while True:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = await _ok(lambda p=params: gw.get("/api/v1/transactions", params=p, headers=user.auth_headers()), 200)
        for row in page["items"]:
            sums[row["direction"]] += Decimal(row["amount"])
            counts[row["direction"]] += 1
        cursor = page["next_cursor"]
        if not cursor:
            return {
                "total_sent": f"{sums['out']:.2f}",
                "total_received": f"{sums['in']:.2f}",
                "count_sent": counts["out"],
                "count_received": counts["in"],
            }


@pytest.mark.timeout(900)
async def test_consumers_down_during_100_transfers_get_each_event_once_and_reports_match_the_ledger(stack):
    alice, bob = await asyncio.gather(register_user_async(stack.gateway_url), register_user_async(stack.gateway_url))
    amounts = [f"{(i * 37) % 900 + 1}.{i % 100:02d}" for i in range(100)]
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as gw:
        await topup(gw, alice, "50000.00")
        stack.supervisor.kill("notification")
        stack.supervisor.kill("reporting")
        try:
            gate = asyncio.Semaphore(4)  # a few at a time: shorter outage, same ledger rules

            async def send(amount: str) -> None:
                async with gate:
                    await transfer(gw, alice, bob, amount)

            await asyncio.gather(*(send(a) for a in amounts))
            await transfer(gw, bob, alice, "1.01")
        finally:
            await asyncio.gather(
                asyncio.to_thread(stack.supervisor.restart, "notification", timeout=90),
                asyncio.to_thread(stack.supervisor.restart, "reporting", timeout=90),
            )
        deadline = time.monotonic() + 180  # relay backoff (capped at 30 s) after the failed attempts
        while len(await notifications(gw, bob, "transfer.received")) < 100:
            assert time.monotonic() < deadline, "notifications did not all arrive after the restart"
            await asyncio.sleep(1.0)
        await asyncio.sleep(2.0)  # a duplicate would show up now
        assert len(await notifications(gw, alice, "transfer.sent")) == 100
        received = await notifications(gw, bob, "transfer.received")
        assert len(received) == 100 and len({n["data"]["transfer_id"] for n in received}) == 100
        assert len(await notifications(gw, bob, "transfer.sent")) == 1

        day = datetime.now(UTC).date().isoformat()
        for user in (alice, bob):
            want = await history_totals(gw, user)
            while True:
                summary = await _ok(
                    lambda u=user: gw.get(
                        "/api/v1/reports/summary",
                        params={"from": day, "to": day, "granularity": "month"},
                        headers=u.auth_headers(),
                    ),
                    200,
                )
                got = {k: summary[k] for k in want}
                if got == want or time.monotonic() > deadline:
                    break
                await asyncio.sleep(1.0)
            assert got == want, user.handle
            wallet = await _ok(lambda u=user: gw.get("/api/v1/wallet", headers=u.auth_headers()), 200)
            statement = await _ok(
                lambda u=user: gw.get(
                    "/api/v1/reports/statement", params={"from": day, "to": day}, headers=u.auth_headers()
                ),
                200,
            )
            assert statement["closing_balance"] == wallet["balance"]
        sent_total = sum(Decimal(a) for a in amounts)
        assert (await history_totals(gw, alice))["total_sent"] == f"{sent_total:.2f}"
