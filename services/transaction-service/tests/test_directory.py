"""The recipient directory: transfers resolve their parties from a local copy of the profiles,
fed by `user.profile_changed`, and ask the user service only when in any doubt.

The stand-in user service here answers as the real one does since the directory exists (entries
with versions, when the budget counted an identifier, the export) and counts its calls, so a test
sees whether a transfer asked it."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp import web
from prometheus_client import REGISTRY
from sqlalchemy import text

from instapay_common.identifiers import recipient_key
from instapay_common.web.http_client import ServiceClient, new_session
from instapay_stack.e2e import DEFAULT_PIN as GOOD_PIN
from instapay_stack.testing import internal_headers, running_app, start_fake
from instapay_stack.tokens import TestIssuer
from transaction_service.config import TransactionSettings
from transaction_service.main import build_app
from transaction_service.rebuild_directory import rebuild_from

VERSIONS = itertools.count(10_000_000)  # one sequence for every profile, as the user service's


@dataclass
class Profile:
    user_id: str
    handle: str
    phone: str
    email: str
    version: int = field(default_factory=lambda: next(VERSIONS))
    status: str = "active"

    def entry(self) -> dict[str, Any]:
        live = self.status == "active"
        return {
            "user_id": self.user_id,
            "handle": self.handle if live else None,
            "phone": self.phone if live else None,
            "email": self.email if live else None,
            "display_name": f"{self.handle.title()} X.",
            "status": self.status,
            "version": self.version,
        }

    def event(self) -> dict[str, Any]:
        """The envelope the user relay delivers for this state."""
        data = {**self.entry(), "handle": self.handle, "phone": self.phone, "email": self.email}
        data |= {"full_name": "Someone", "phone_verified": True, "email_verified": True}
        return {
            "id": str(uuid.uuid4()),
            "type": "user.profile_changed",
            "occurred_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "source": "user-service",
            "data": data,
        }

    def party(self) -> dict[str, Any]:
        return {"user_id": self.user_id, "handle": self.handle, "display_name": f"{self.handle.title()} X."}


@dataclass
class UserService:
    profiles: dict[str, Profile] = field(default_factory=dict)
    released: set[str] = field(default_factory=set)  # handles in quarantine: resolve to nobody
    counted: dict[tuple[str, str], str] = field(default_factory=dict)
    calls: int = 0

    def add(self) -> Profile:
        tag = uuid.uuid4().hex[:10]
        p = Profile(str(uuid.uuid4()), f"d{tag}", f"+2011{uuid.uuid4().int % 10**8:08d}", f"d{tag}@example.com")
        self.profiles[p.user_id] = p
        return p

    def rename(self, p: Profile, handle: str) -> None:
        self.released.add(p.handle)
        p.handle, p.version = handle, next(VERSIONS)

    def find(self, q: str) -> Profile | None:
        key = recipient_key(q)
        for p in self.profiles.values():
            if key is not None and p.status == "active" and getattr(p, key[0]) == key[1]:
                return p
        return None

    def count(self, acting: str, q: str) -> str:
        return self.counted.setdefault((acting, q.lower()), datetime.now(UTC).isoformat())


def _problem(status: int, code: str) -> web.Response:
    return web.json_response({"status": status, "code": code, "title": code, "detail": code}, status=status)


async def start_user_service(users: UserService) -> tuple[web.AppRunner, str]:
    async def verify(request: web.Request) -> web.Response:
        body = await request.json()
        return web.Response(status=204) if body["pin"] == GOOD_PIN else _problem(403, "invalid_pin")

    async def parties(request: web.Request) -> web.Response:
        users.calls += 1
        q, sender_id = request.query["q"], request.query["sender_id"]
        counted_at = users.count(sender_id, q)
        recipient, sender = users.find(q), users.profiles.get(sender_id)
        if recipient is None:
            return _problem(404, "recipient_not_found")
        return web.json_response(
            {
                "recipient": recipient.party(),
                "sender": sender.party() if sender else None,
                "counted_at": counted_at,
                "entries": [p.entry() for p in (recipient, sender) if p],
            }
        )

    async def export(request: web.Request) -> web.Response:
        after = request.query.get("after", "")
        limit = int(request.query.get("limit", "500"))
        rows = sorted((p for p in users.profiles.values() if p.user_id > after), key=lambda p: p.user_id)[:limit]
        nxt = rows[-1].user_id if len(rows) == limit else None
        return web.json_response({"items": [p.entry() for p in rows], "next_after": nxt})

    async def profile(request: web.Request) -> web.Response:
        p = users.profiles.get(request.match_info["user_id"])
        return web.json_response(p.party()) if p else _problem(404, "not_found")

    app = web.Application()
    app.router.add_post("/internal/pin/verify", verify)
    app.router.add_get("/internal/users/parties", parties)
    app.router.add_get("/internal/users/directory", export)
    app.router.add_get("/internal/users/{user_id}", profile)
    return await start_fake(app)


@dataclass
class World:
    client: Any
    issuer: TestIssuer
    users: UserService
    app: Any
    url: str

    async def wallet(self, p: Profile, balance: str | None = None) -> None:
        auth = internal_headers("auth")
        r = await self.client.post("/internal/wallets", json={"user_id": p.user_id}, headers=auth)
        assert r.status_code == 201, r.text
        r = await self.client.put(
            f"/internal/wallets/{p.user_id}/verification", json={"phone_verified": True}, headers=auth
        )
        assert r.status_code == 204
        if balance:
            r = await self.client.post(
                "/api/v1/wallet/topups",
                headers=self.headers(p),
                json={"amount": balance, "source": {"type": "card", "reference": "card-4242"}},
            )
            assert r.status_code == 201, r.text

    def headers(self, p: Profile) -> dict[str, str]:
        token = self.issuer.token(p.user_id)
        return {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}

    async def send(self, sender: Profile, recipient: str, amount: str = "1.00") -> Any:
        body = {"recipient": recipient, "amount": amount, "currency": "EGP", "pin": GOOD_PIN}
        return await self.client.post("/api/v1/transfers", headers=self.headers(sender), json=body)

    async def deliver(self, *events: dict[str, Any]) -> list[str]:
        """What the user relay does for subscriber `directory`."""
        r = await self.client.post(
            "/internal/events/batch", json={"events": list(events)}, headers=internal_headers("relay")
        )
        assert r.status_code == 200, r.text
        return [x["outcome"] for x in r.json()["results"]]

    async def entry(self, p: Profile) -> dict[str, Any] | None:
        async with self.app.state.db.sessionmaker() as s:
            row = (
                await s.execute(
                    text(
                        "SELECT handle, phone, email, status, version FROM ledger.directory_entries WHERE user_id = :u"
                    ),
                    {"u": p.user_id},
                )
            ).first()
        return dict(row._mapping) if row else None


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    users = UserService()
    runner, url = await start_user_service(users)
    settings = TransactionSettings(
        database_url=database_url, auth_url=url, user_url=url, environment="test", http_timeout_seconds=60
    )
    app = build_app(settings)
    issuer = TestIssuer(settings)
    try:
        async with running_app(app) as client:
            issuer.install(app)
            yield World(client, issuer, users, app, url)
    finally:
        await runner.cleanup()


def hits() -> float:
    return REGISTRY.get_sample_value("directory_resolutions_total", {"outcome": "hit"}) or 0.0


async def test_events_apply_once_and_never_go_back_a_version(world: World):
    p = world.users.add()
    first = p.event()
    world.users.rename(p, "n" + uuid.uuid4().hex[:10])
    second = p.event()
    # Out of order, and redelivered: the newer state wins whatever arrives last.
    assert await world.deliver(second, first, second) == ["applied", "skipped", "skipped"]
    assert (await world.entry(p))["handle"] == p.handle
    assert (await world.entry(p))["version"] == p.version
    # An event from before the user service sent the verification flags is not trusted.
    old = p.event()
    del old["data"]["phone_verified"]
    assert await world.deliver(old) == ["skipped"]


async def test_a_newer_claim_takes_an_identifier_and_an_older_one_never_does(world: World):
    a, b = world.users.add(), world.users.add()
    shared = "s" + uuid.uuid4().hex[:10]
    world.users.rename(a, shared)
    a_holds = a.event()
    world.users.rename(a, "a" + uuid.uuid4().hex[:10])  # a releases it...
    a_released = a.event()
    world.users.rename(b, shared)  # ... and b claims it later (after the quarantine): a newer version
    # b's claim arrives before a's release: b gets the handle, a's stale copy loses it.
    assert await world.deliver(a_holds, b.event()) == ["applied", "applied"]
    assert (await world.entry(a))["handle"] is None and (await world.entry(b))["handle"] == shared
    assert await world.deliver(a_released) == ["applied"]
    assert (await world.entry(a))["handle"] == a.handle
    # An older event claiming what a newer entry holds is stored without it.
    c = world.users.add()
    stale = c.event()
    stale["data"]["handle"] = shared
    stale["data"]["version"] = b.version - 1
    assert await world.deliver(stale) == ["applied"]
    assert (await world.entry(c))["handle"] is None and (await world.entry(b))["handle"] == shared


async def test_a_repeat_transfer_resolves_without_a_call_and_a_new_identifier_with_one(world: World):
    payer, payee = world.users.add(), world.users.add()
    await world.wallet(payer, "100.00")
    await world.wallet(payee)
    await world.deliver(payer.event(), payee.event())
    calls, before = world.users.calls, hits()
    r = await world.send(payer, "@" + payee.handle)
    assert r.status_code == 201, r.text
    assert world.users.calls == calls + 1, "a new identifier for this payer: the user service counts it"
    for _ in range(3):
        r = await world.send(payer, "@" + payee.handle)
        assert r.status_code == 201, r.text
        assert r.json()["recipient"]["user_id"] == payee.user_id
        assert r.json()["sender"]["handle"] == payer.handle
    assert world.users.calls == calls + 1, "repeats come from the directory"
    assert hits() == before + 3
    # The same payee by phone is another identifier: counted by the user service first.
    r = await world.send(payer, payee.phone)
    assert r.status_code == 201 and world.users.calls == calls + 2


async def test_a_renamed_handle_pays_its_last_holder_until_the_event_then_nobody(world: World):
    payer, payee = world.users.add(), world.users.add()
    await world.wallet(payer, "100.00")
    await world.wallet(payee)
    await world.deliver(payer.event(), payee.event())
    old = payee.handle
    assert (await world.send(payer, "@" + old)).status_code == 201  # counted
    world.users.rename(payee, "r" + uuid.uuid4().hex[:10])
    # The event is not delivered yet: the directory still names the last holder, who is the
    # only account that can hold it during its quarantine. The money reaches them, never another.
    r = await world.send(payer, "@" + old)
    assert r.status_code == 201 and r.json()["recipient"]["user_id"] == payee.user_id
    await world.deliver(payee.event())
    calls = world.users.calls
    r = await world.send(payer, "@" + old)
    assert r.status_code == 404 and r.json()["code"] == "recipient_not_found"
    assert world.users.calls == calls + 1, "a handle the directory does not know asks the user service"


async def test_a_deleted_profile_or_an_unknown_sender_asks_the_user_service(world: World):
    payer, payee = world.users.add(), world.users.add()
    await world.wallet(payer, "100.00")
    await world.wallet(payee)
    await world.deliver(payee.event())  # the payer has no entry
    for _ in range(2):
        assert (await world.send(payer, "@" + payee.handle)).status_code == 201
    calls = world.users.calls
    # The first call taught the directory the payer's entry: the next one is a hit.
    assert (await world.send(payer, "@" + payee.handle)).status_code == 201
    assert world.users.calls == calls
    payee.status, payee.version = "deleted", next(VERSIONS)
    await world.deliver(payee.event())
    assert (await world.send(payer, "@" + payee.handle)).status_code == 404
    assert world.users.calls == calls + 1


async def test_a_fallback_refreshes_only_with_a_newer_version(world: World):
    payer, payee = world.users.add(), world.users.add()
    await world.wallet(payer, "100.00")
    await world.wallet(payee)
    newer = payee.event()
    newer["data"]["version"] = payee.version + 5  # the directory already holds a later state
    newer["data"]["display_name"] = "Later X."
    await world.deliver(newer)
    assert (await world.send(payer, payee.email)).status_code == 201  # the call answers the older version
    entry = await world.entry(payee)
    assert entry["version"] == payee.version + 5
    assert (await world.entry(payer))["handle"] == payer.handle  # learnt from the call's answer
    # The payer renames; the event is late. A call (a new identifier) reads the newer version,
    # which updates the entry at once.
    world.users.rename(payer, "p" + uuid.uuid4().hex[:10])
    assert (await world.send(payer, payee.phone)).status_code == 201
    assert (await world.entry(payer))["handle"] == payer.handle


async def test_rebuild_equals_the_user_service_export(world: World):
    kept, gone = world.users.add(), world.users.add()
    await world.deliver(kept.event(), gone.event())
    del world.users.profiles[gone.user_id]  # removed at the user service while the event was lost
    world.users.rename(kept, "k" + uuid.uuid4().hex[:10])  # changed while the event was lost
    http = new_session(timeout_seconds=10)
    try:
        users = ServiceClient(http, world.url, name="user", credentials=world.app.state.settings.internal_credentials())
        applied = await rebuild_from(world.app.state.db, users)
    finally:
        await http.close()
    assert applied == len(world.users.profiles)
    assert await world.entry(gone) is None
    assert await world.entry(kept) == {
        "handle": kept.handle,
        "phone": kept.phone,
        "email": kept.email,
        "status": "active",
        "version": kept.version,
    }
