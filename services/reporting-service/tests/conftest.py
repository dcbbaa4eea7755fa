"""Fixtures for reporting-service tests: the app in-process on a private migrated database,
TestIssuer tokens, and a simulated ledger that emits the events the transaction service would."""

from __future__ import annotations

import os
import random
import secrets
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from instapay_stack.migrate import migrate_all
from instapay_stack.postgres import drop_database, ensure_database
from instapay_stack.services import SERVICES
from instapay_stack.testing import internal_headers, running_app
from instapay_stack.tokens import TestIssuer
from reporting_service.config import ReportingSettings
from reporting_service.main import build_app


def _migrated_db(pg, prefix: str) -> Iterator[str]:
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
    url = ensure_database(pg, name)
    migrate_all(url, services=[s for s in SERVICES if s.name == "reporting"], progress=lambda _m: None)
    yield url
    drop_database(pg, name)


@pytest.fixture(scope="session")
def reporting_db(pg) -> Iterator[str]:
    yield from _migrated_db(pg, "reporting")


@pytest.fixture
def fresh_db(pg) -> Iterator[str]:
    """A migrated reporting database of the test's own (not shared with the `reporting` app)."""
    yield from _migrated_db(pg, "reporting_fresh")


@dataclass
class Client:
    http: httpx.AsyncClient
    issuer: TestIssuer
    app: Any

    def auth(self, user_id: str, **kw: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.issuer.token(user_id, **kw)}"}

    async def post_event(self, event: dict[str, Any]) -> httpx.Response:
        return await self.http.post("/internal/events", json=event, headers=internal_headers("relay"))

    async def get(self, path: str, user_id: str, **params: Any) -> httpx.Response:
        return await self.http.get(path, params=params, headers=self.auth(user_id))


@pytest.fixture
async def reporting(reporting_db) -> AsyncIterator[Client]:
    settings = ReportingSettings(database_url=reporting_db, environment="test")
    app = build_app(settings)
    async with running_app(app) as http:
        issuer = TestIssuer()
        issuer.install(app)
        async with app.state.db.engine.begin() as conn:
            from sqlalchemy import text

            from reporting_service.models import READ_MODEL

            names = ", ".join(f"reporting.{t.name}" for t in READ_MODEL)
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
        yield Client(http, issuer, app)


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass
class Ledger:
    """A tiny ledger that emits transaction-service events (with seq, like GET /internal/events),
    and keeps each user's history the way the history endpoint would answer it."""

    rng: random.Random
    balances: dict[str, Decimal] = field(default_factory=dict)
    handles: dict[str, str] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    auth_events: list[dict[str, Any]] = field(default_factory=list)
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def user(self, handle: str, at: datetime) -> str:
        uid = str(uuid.uuid4())
        self.balances[uid] = Decimal("0.00")
        self.handles[uid] = handle
        self.history[uid] = []
        self.auth_events.append(
            self._envelope(
                "user.registered",
                {
                    "user_id": uid,
                    "email": f"{handle}@example.com",
                    "phone": None,
                    "handle": handle,
                    "full_name": handle.title(),
                },
                at,
                source="auth-service",
                log=self.auth_events,
            )
        )
        return uid

    def _envelope(
        self,
        kind: str,
        data: dict[str, Any],
        at: datetime,
        *,
        source: str = "transaction-service",
        log: list | None = None,
    ) -> dict[str, Any]:
        log = self.events if log is None else log
        return {
            "seq": len(log) + 1,
            "id": str(uuid.uuid4()),
            "type": kind,
            "occurred_at": iso(at),
            "source": source,
            "data": data,
        }

    def _party(self, uid: str) -> dict[str, Any]:
        return {
            "user_id": uid,
            "handle": self.handles[uid],
            "display_name": self.handles[uid].title() + " X.",
            "balance_after": f"{self.balances[uid]:.2f}",
        }

    def topup(self, uid: str, amount: Decimal, at: datetime) -> dict[str, Any]:
        self.balances[uid] += amount
        tid = str(uuid.uuid4())
        e = self._envelope(
            "topup.completed",
            {
                "transaction_id": tid,
                "user_id": uid,
                "handle": self.handles[uid],
                "amount": f"{amount:.2f}",
                "currency": "EGP",
                "balance_after": f"{self.balances[uid]:.2f}",
                "source_type": "card",
                "created_at": iso(at),
            },
            at,
        )
        self.events.append(e)
        self.history[uid].append(
            {"type": "topup", "direction": "in", "amount": amount, "at": at, "balance_after": self.balances[uid]}
        )
        return e

    def withdraw(self, uid: str, amount: Decimal, at: datetime) -> dict[str, Any]:
        self.balances[uid] -= amount
        e = self._envelope(
            "withdrawal.completed",
            {
                "transaction_id": str(uuid.uuid4()),
                "user_id": uid,
                "handle": self.handles[uid],
                "amount": f"{amount:.2f}",
                "currency": "EGP",
                "balance_after": f"{self.balances[uid]:.2f}",
                "destination_type": "bank",
                "created_at": iso(at),
            },
            at,
        )
        self.events.append(e)
        self.history[uid].append(
            {"type": "withdrawal", "direction": "out", "amount": amount, "at": at, "balance_after": self.balances[uid]}
        )
        return e

    def transfer(self, sender: str, recipient: str, amount: Decimal, at: datetime) -> dict[str, Any]:
        self.balances[sender] -= amount
        self.balances[recipient] += amount
        e = self._envelope(
            "transfer.completed",
            {
                "transfer_id": str(uuid.uuid4()),
                "amount": f"{amount:.2f}",
                "currency": "EGP",
                "note": "=1+1 lunch",
                "created_at": iso(at),
                "payment_request_id": None,
                "sender": self._party(sender),
                "recipient": self._party(recipient),
            },
            at,
        )
        self.events.append(e)
        self.history[sender].append(
            {
                "type": "transfer",
                "direction": "out",
                "amount": amount,
                "at": at,
                "balance_after": self.balances[sender],
                "counterparty": recipient,
            }
        )
        self.history[recipient].append(
            {
                "type": "transfer",
                "direction": "in",
                "amount": amount,
                "at": at,
                "balance_after": self.balances[recipient],
                "counterparty": sender,
            }
        )
        return e

    def random_activity(self, users: list[str], count: int, start: datetime, days: int) -> None:
        """`count` random movements in time order across `days` days (transfers mostly)."""
        stamps = sorted(start + timedelta(seconds=self.rng.randrange(days * 86400)) for _ in range(count))
        for at in stamps:
            uid = self.rng.choice(users)
            amount = Decimal(self.rng.randrange(1, 500_00)) / 100
            roll = self.rng.random()
            if roll < 0.15 or self.balances[uid] < amount:
                self.topup(uid, amount + Decimal("100.00"), at)
            elif roll < 0.22:
                self.withdraw(uid, amount, at)
            else:
                other = self.rng.choice([u for u in users if u != uid])
                self.transfer(uid, other, amount, at)


@pytest.fixture
def ledger() -> Ledger:
    return Ledger(random.Random(20261125))
