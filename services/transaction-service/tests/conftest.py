"""Fixtures for in-process transaction-service tests: the app on a real migrated database,
TestIssuer tokens, and tiny real HTTP servers standing in for the auth and user services."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import text

from instapay_stack.e2e import DEFAULT_PIN
from instapay_stack.testing import internal_headers, running_app, start_fake
from instapay_stack.tokens import TestIssuer
from transaction_service.config import TransactionSettings
from transaction_service.main import build_app

GOOD_PIN = DEFAULT_PIN


@dataclass
class FakeDirectory:
    """Users known to the stand-in user service, and PINs known to the stand-in auth service."""

    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    pins: dict[str, str] = field(default_factory=dict)

    def add(self, handle: str, *, pin: str | None = GOOD_PIN) -> dict[str, Any]:
        user = {
            "user_id": str(uuid.uuid4()),
            "handle": handle,
            "display_name": f"{handle.title()} X.",
            "email": f"{handle}@example.com",
            "phone": f"+2010{uuid.uuid4().int % 10**8:08d}",
        }
        self.users[user["user_id"]] = user
        if pin:
            self.pins[user["user_id"]] = pin
        return user

    def find(self, q: str) -> dict[str, Any] | None:
        q = q.removeprefix("@").lower()
        for user in self.users.values():
            if q in (user["handle"], user["email"], user["phone"]):
                return user
        return None


def _problem(status: int, code: str) -> web.Response:
    return web.json_response({"status": status, "code": code, "title": code, "detail": code}, status=status)


async def start_peers(directory: FakeDirectory) -> tuple[web.AppRunner, str]:
    async def verify(request: web.Request) -> web.Response:
        # The stand-in auth service checks the caller as the real one does (its dev credential).
        if request.headers.get("X-Internal-Token") != internal_headers("transaction")["X-Internal-Token"]:
            return _problem(401, "unauthenticated")
        body = await request.json()
        expected = directory.pins.get(body["user_id"])
        if expected is None:
            return _problem(403, "pin_not_set")
        if body["pin"] != expected:
            return _problem(403, "invalid_pin")
        return web.Response(status=204)

    async def resolve(request: web.Request) -> web.Response:
        user = directory.find(request.query.get("q", ""))
        if user is None:
            return _problem(404, "recipient_not_found")
        return web.json_response({k: user[k] for k in ("user_id", "handle", "display_name")})

    async def profile(request: web.Request) -> web.Response:
        user = directory.users.get(request.match_info["user_id"])
        return web.json_response(user) if user else _problem(404, "not_found")

    async def parties(request: web.Request) -> web.Response:
        recipient = directory.find(request.query.get("q", ""))
        if recipient is None:
            return _problem(404, "recipient_not_found")
        sender = directory.users.get(request.query.get("sender_id", ""))
        keys = ("user_id", "handle", "display_name")
        return web.json_response(
            {"recipient": {k: recipient[k] for k in keys}, "sender": {k: sender[k] for k in keys} if sender else None}
        )

    app = web.Application()
    app.router.add_post("/internal/pin/verify", verify)
    app.router.add_get("/internal/users/resolve", resolve)
    app.router.add_get("/internal/users/parties", parties)
    app.router.add_get("/internal/users/{user_id}", profile)
    return await start_fake(app)


@dataclass
class Ctx:
    client: Any
    issuer: TestIssuer
    directory: FakeDirectory
    settings: TransactionSettings
    app: Any

    def auth(self, user_id: str, **kw: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.issuer.token(user_id, **kw)}"}

    def admin(self) -> dict[str, str]:
        """A new admin's headers (each call another person: two-person control tells them apart)."""
        return self.auth(str(uuid.uuid4()), roles=["admin"])

    async def freeze(self, user: dict[str, Any], *, frozen: bool = True, reason: str | None = "review") -> Any:
        """A freeze (or unfreeze) as admins make one: one proposes, another approves; the
        approval as the approver got it (its `result` is the wallet)."""
        action = "freeze" if frozen else "unfreeze"
        r = await self.client.post(
            f"/api/v1/admin/wallets/{user['user_id']}/{action}", headers=self.admin(), json={"reason": reason}
        )
        assert r.status_code == 202, r.text
        r = await self.client.post(f"/api/v1/admin/approvals/{r.json()['approval_id']}/approve", headers=self.admin())
        assert r.status_code == 200, r.text
        return r.json()

    def internal(self) -> dict[str, str]:
        """The auth service's credential: the wallet routes' only caller."""
        return internal_headers("auth")

    async def user(
        self, handle: str | None = None, *, balance: str | None = None, phone_verified: bool = True, **kw: Any
    ) -> dict[str, Any]:
        """A user with a wallet, its phone verified unless told otherwise (as the auth service
        tells after the code), and optionally a topped-up balance."""
        user = self.directory.add(handle or f"u{uuid.uuid4().hex[:10]}", **kw)
        r = await self.client.post("/internal/wallets", json={"user_id": user["user_id"]}, headers=self.internal())
        assert r.status_code == 201, r.text
        if phone_verified:
            await self.set_phone_verified(user, True)
        if balance:
            r = await self.client.post(
                "/api/v1/wallet/topups",
                headers={**self.auth(user["user_id"]), "Idempotency-Key": uuid.uuid4().hex},
                json={"amount": balance, "source": {"type": "card", "reference": "card-4242"}},
            )
            assert r.status_code == 201, r.text
        return user

    async def set_phone_verified(self, user: dict[str, Any], verified: bool) -> None:
        r = await self.client.put(
            f"/internal/wallets/{user['user_id']}/verification",
            json={"phone_verified": verified},
            headers=self.internal(),
        )
        assert r.status_code == 204, r.text

    # ---- funding: what the outbox relay and the provider do, and ledger reads

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.app.state.db.sessionmaker() as s:
            return (await s.execute(text(sql), params)).scalar_one()

    async def withdraw(self, user: dict[str, Any], amount: str, reference: str = "iban-1") -> Any:
        return await self.client.post(
            "/api/v1/wallet/withdrawals",
            headers={**self.auth(user["user_id"]), "Idempotency-Key": uuid.uuid4().hex},
            json={"amount": amount, "destination": {"type": "bank", "reference": reference}, "pin": GOOD_PIN},
        )

    async def topup(self, user: dict[str, Any], amount: str, method: str = "card", reference: str = "ref-1") -> Any:
        return await self.client.post(
            "/api/v1/wallet/topups",
            headers={**self.auth(user["user_id"]), "Idempotency-Key": uuid.uuid4().hex},
            json={"amount": amount, "source": {"type": method, "reference": reference}},
        )

    async def deliver_payout_requests(self, *op_ids: uuid.UUID) -> list[str]:
        """What the outbox relay does for subscriber `payouts`: the `withdrawal.requested` events of
        these operations posted to POST /internal/events/batch; returns each event's outcome."""
        wanted = {str(op_id) for op_id in op_ids}
        events: list[dict[str, Any]] = []
        after = 0
        while True:  # the whole event log, page by page (tests share the database)
            feed = await self.client.get(
                "/internal/events", params={"after_seq": after, "limit": 1000}, headers=internal_headers("reporting")
            )
            assert feed.status_code == 200, feed.text
            page = feed.json()
            events += [
                e
                for e in page["items"]
                if e["type"] == "withdrawal.requested" and e["data"]["transaction_id"] in wanted
            ]
            if not page["items"]:
                break
            after = page["next_after_seq"]
        if not events:
            return []
        r = await self.client.post("/internal/events/batch", json={"events": events}, headers=internal_headers("relay"))
        assert r.status_code == 200, r.text
        return [result["outcome"] for result in r.json()["results"]]

    async def post_callback(self, headers: dict[str, str], body: bytes) -> Any:
        return await self.client.post("/api/v1/funding/webhooks/in_process", headers=headers, content=body)

    async def balances(self, user: dict[str, Any]) -> tuple[Decimal, Decimal]:
        """(balance, available_balance) of the user's wallet."""
        w = (await self.client.get("/api/v1/wallet", headers=self.auth(user["user_id"]))).json()
        return Decimal(w["balance"]), Decimal(w["available_balance"])


def make_settings(database_url: str, peers_url: str, **overrides: Any) -> TransactionSettings:
    return TransactionSettings(
        database_url=database_url,
        auth_url=peers_url,
        user_url=peers_url,
        environment="test",
        # the stand-in peers share the test's event loop, which 50 clients keep busy
        http_timeout_seconds=60,
        # The tests drive scheduled runs themselves; test_schedules starts the real worker once.
        **{"schedule_worker_enabled": False, **overrides},
    )


@asynccontextmanager
async def open_ctx(database_url: str, **overrides: Any) -> AsyncIterator[Ctx]:
    directory = FakeDirectory()
    runner, url = await start_peers(directory)
    settings = make_settings(database_url, url, **overrides)
    app = build_app(settings)
    issuer = TestIssuer(settings)
    try:
        async with running_app(app) as client:
            issuer.install(app)
            yield Ctx(client=client, issuer=issuer, directory=directory, settings=settings, app=app)
    finally:
        await runner.cleanup()


@pytest.fixture
async def ctx(database_url: str) -> AsyncIterator[Ctx]:
    async with open_ctx(database_url) as c:
        yield c


@pytest.fixture
def ctx_factory(database_url: str):
    """`async with ctx_factory(limit_daily="150") as c:` an app with other settings."""
    return lambda **overrides: open_ctx(database_url, **overrides)


@pytest.fixture
def ctx_at():
    """`async with ctx_at(database_url) as c:` an app on another database (a migration test's own)."""
    return open_ctx
