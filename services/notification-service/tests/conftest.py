"""Fixtures for notification-service tests: the app served by a real uvicorn (SSE needs a real
streaming server) on a private migrated database, TestIssuer tokens, a tiny real HTTP server
standing in for user-service's profile endpoint, and the real SMTP sink."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from aiohttp import web

from instapay_stack.migrate import migrate_all
from instapay_stack.postgres import drop_database, ensure_database
from instapay_stack.processes import free_port_base
from instapay_stack.services import SERVICES
from instapay_stack.smtp_sink import SmtpSink
from instapay_stack.testing import internal_headers, start_fake
from instapay_stack.tokens import TestIssuer
from notification_service.config import NotificationSettings
from notification_service.main import build_app

RELAY = internal_headers("relay")


@contextlib.contextmanager
def _migrated_database(pg) -> Iterator[str]:
    name = f"notif_{os.getpid()}_{secrets.token_hex(3)}"
    url = ensure_database(pg, name)
    try:
        migrate_all(url, services=[s for s in SERVICES if s.name == "notification"], progress=lambda _m: None)
        yield url
    finally:
        drop_database(pg, name)


@pytest.fixture(scope="session")
def notifications_db(pg) -> Iterator[str]:
    with _migrated_database(pg) as url:
        yield url


@pytest.fixture
def empty_notifications_db(pg) -> Iterator[str]:
    """A database of its own, for a test that must see only its own rows (the dispatcher claims
    every due delivery, including those other tests left pending)."""
    with _migrated_database(pg) as url:
        yield url


@dataclass
class Users:
    """Profiles served by the stand-in user-service."""

    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: int = 0
    lookups: int = 0  # of those calls, `POST /internal/users/lookup`

    def add(
        self, handle: str, *, language: str = "en", email: bool = False, sms: bool = False, verified: bool = True
    ) -> dict[str, Any]:
        uid = str(uuid.uuid4())
        self.profiles[uid] = {
            "user_id": uid,
            "full_name": handle.title(),
            "handle": handle,
            "display_name": f"{handle.title()} X.",
            "email": f"{handle}@example.com",
            "phone": f"+2010{uuid.uuid4().int % 10**8:08d}",
            "preferences": {"language": language, "notify_email": email, "notify_sms": sms, "notify_push": True},
            "email_verified": verified,
            "phone_verified": verified,
        }
        return self.profiles[uid]

    async def handle(self, request: web.Request) -> web.Response:
        self.calls += 1
        if request.headers.get("X-Internal-Token") != internal_headers("notification")["X-Internal-Token"]:
            return web.json_response({"status": 401, "code": "unauthenticated"}, status=401)
        profile = self.profiles.get(request.match_info["user_id"])
        if profile is None:
            return web.json_response({"status": 404, "code": "not_found"}, status=404)
        return web.json_response(profile)

    async def lookup(self, request: web.Request) -> web.Response:
        """`POST /internal/users/lookup`: the profiles that exist among `ids`, in order."""
        self.calls += 1
        self.lookups += 1
        if request.headers.get("X-Internal-Token") != internal_headers("notification")["X-Internal-Token"]:
            return web.json_response({"status": 401, "code": "unauthenticated"}, status=401)
        ids = list(dict.fromkeys((await request.json())["ids"]))
        return web.json_response({"items": [self.profiles[i] for i in ids if i in self.profiles]})


@pytest.fixture
async def users() -> AsyncIterator[Users]:
    directory = Users()
    app = web.Application()
    app.router.add_get("/internal/users/{user_id}", directory.handle)
    app.router.add_post("/internal/users/lookup", directory.lookup)
    runner, directory.url = await start_fake(app)  # type: ignore[attr-defined]
    yield directory
    await runner.cleanup()


@pytest.fixture
def smtp_port() -> int:
    return free_port_base(1)


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    return tmp_path / "mail"


@pytest.fixture
def smtp_sink(smtp_port: int, mail_dir: Path):
    sink = SmtpSink(mail_dir, port=smtp_port).start()
    yield sink
    sink.stop()


@dataclass
class Service:
    url: str
    app: Any
    issuer: TestIssuer
    client: httpx.AsyncClient

    def auth(self, user_id: str, **kw: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.issuer.token(user_id, **kw)}"}

    async def post_event(self, event: dict[str, Any]) -> httpx.Response:
        return await self.client.post("/internal/events", json=event, headers=RELAY)

    async def post_batch(self, events: list[Any], *, headers: dict[str, str] | None = RELAY) -> httpx.Response:
        return await self.client.post("/internal/events/batch", json={"events": events}, headers=headers or {})


@contextlib.asynccontextmanager
async def serve(settings: NotificationSettings, issuer: TestIssuer) -> AsyncIterator[Service]:
    app = build_app(settings)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=settings.port, log_level="warning", lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    issuer.install(app)
    url = f"http://127.0.0.1:{settings.port}"
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        yield Service(url, app, issuer, client)
    server.should_exit = True
    await task


@pytest.fixture
def make_settings(notifications_db, users, smtp_port, tmp_path) -> Callable[..., NotificationSettings]:
    def make(**overrides: Any) -> NotificationSettings:
        values: dict[str, Any] = dict(
            database_url=notifications_db,
            user_url=users.url,
            environment="test",
            port=free_port_base(1),
            smtp_port=smtp_port,
            sms_dir=str(tmp_path / "sms"),
            delivery_poll_seconds=0.05,
            delivery_backoff_base_seconds=0.05,
            delivery_backoff_cap_seconds=0.2,
            profile_cache_seconds=0,
            sse_keepalive_seconds=1.0,
        )
        values.update(overrides)
        return NotificationSettings(**values)

    return make


@pytest.fixture
async def service(make_settings) -> AsyncIterator[Service]:
    async with serve(make_settings(), TestIssuer()) as svc:
        yield svc


class Events:
    """Builders of event envelopes (a fixture: test modules cannot import conftest by name)."""

    party = staticmethod(lambda user, balance=None: party(user, balance))
    envelope = staticmethod(lambda *a, **kw: envelope(*a, **kw))
    transfer = staticmethod(lambda *a, **kw: transfer_event(*a, **kw))


@pytest.fixture
def ev() -> type[Events]:
    return Events


@pytest.fixture
def serve_app():
    return serve


def party(user: dict[str, Any], balance: str | None = None) -> dict[str, Any]:
    p = {"user_id": user["user_id"], "handle": user["handle"], "display_name": user["display_name"]}
    if balance is not None:
        p["balance_after"] = balance
    return p


def envelope(event_type: str, data: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
    return {
        "id": event_id or str(uuid.uuid4()),
        "type": event_type,
        "occurred_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "source": "transaction-service",
        "data": data,
    }


def transfer_event(sender: dict, recipient: dict, amount: str = "125.50", **kw: Any) -> dict[str, Any]:
    return envelope(
        "transfer.completed",
        {
            "transfer_id": str(uuid.uuid4()),
            "amount": amount,
            "currency": "EGP",
            "note": "lunch",
            "created_at": datetime.now(UTC).isoformat(),
            "payment_request_id": None,
            "sender": party(sender, "874.50"),
            "recipient": party(recipient, "1125.50"),
        },
        **kw,
    )


# --- webhooks -------------------------------------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: str


@dataclass
class Receiver:
    """A third party's webhook receiver on loopback: answers each request with the next step of
    `script` (a status, (status, headers), or "stall": answer only after `stall_seconds`), then 200;
    records every request as it arrives."""

    script: list[Any] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    stall_seconds: float = 2.0
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(Received(request.path, dict(request.headers), await request.text()))
        step = self.script.pop(0) if self.script else 200
        if step == "stall":
            await asyncio.sleep(self.stall_seconds)
            return web.Response(status=200)
        status, headers = step if isinstance(step, tuple) else (step, {})
        return web.Response(status=status, headers=headers)

    def hook(self, path: str = "/hook") -> str:
        return f"{self.url}{path}"

    async def wait_for(self, count: int, within: float = 20.0) -> list[Received]:
        deadline = asyncio.get_running_loop().time() + within
        while len(self.received) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"receiver got {len(self.received)} requests, expected {count}")
            await asyncio.sleep(0.02)
        return self.received


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hooks = Receiver()
    app = web.Application()
    app.router.add_post("/{tail:.*}", hooks.handle)
    runner, hooks.url = await start_fake(app)
    yield hooks
    await runner.cleanup()


# A delivery test's settings: development mode (loopback receivers), a short timeout, the retry
# schedule scaled down (8 attempts in about 5 s), the sender polling often.
FAST_WEBHOOKS: dict[str, Any] = dict(
    environment="development",
    webhook_timeout_seconds=0.5,
    webhook_retry_scale=0.00005,
    webhook_poll_seconds=0.05,
)


@pytest.fixture
def fast_webhooks() -> dict[str, Any]:
    return dict(FAST_WEBHOOKS)
