"""Rebuild: truncate the read model and replay the event logs -> exactly the live-built model."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from aiohttp import web
from sqlalchemy import text

from instapay_common.security.scopes import ROLE_ADMIN
from instapay_common.web.http_client import ServiceClient, new_session
from instapay_stack.testing import start_fake
from reporting_service.config import ReportingSettings
from reporting_service.rebuild import rebuild

START = datetime(2026, 6, 1, tzinfo=UTC)
TABLES = (
    "user_daily",
    "counterparty_daily",
    "counterparty_totals",
    "counterparty_running",
    "parties",
    "platform_daily",
    "users",
)


# The reporting service's own credential (ENVIRONMENT=test: the development one).
CREDENTIALS = ReportingSettings(environment="test").internal_credentials()
REPORTING = CREDENTIALS.headers()


class EventLog:
    """Serves `GET /internal/events?after_seq=&limit=` over a list, like transaction-service."""

    def __init__(self, events: list[dict]) -> None:
        self.events = events
        self.pages = 0

    async def handle(self, request: web.Request) -> web.Response:
        if request.headers.get("X-Internal-Token") != REPORTING["X-Internal-Token"]:
            return web.json_response({"status": 401, "code": "unauthenticated"}, status=401)
        after, limit = int(request.query.get("after_seq", 0)), int(request.query.get("limit", 100))
        items = [e for e in self.events if e["seq"] > after][:limit]
        self.pages += 1
        return web.json_response({"items": items, "next_after_seq": items[-1]["seq"] if items else after})


@pytest.fixture
async def logs(ledger) -> AsyncIterator[dict[str, str]]:
    runners, urls = [], {}
    for name in ("transaction", "auth"):
        log = EventLog(ledger.events if name == "transaction" else ledger.auth_events)
        app = web.Application()
        app.router.add_get("/internal/events", log.handle)
        # an older service without the event log answers a problem+json 404, as FastAPI does
        app.router.add_get(
            "/old/internal/events",
            lambda _r: web.json_response({"status": 404, "code": "not_found", "title": "Not found"}, status=404),
        )
        runner, urls[name] = await start_fake(app)
        runners.append(runner)
    yield urls
    for r in runners:
        await r.cleanup()


async def snapshot(reporting, users: list[str]) -> dict:
    out: dict = {}
    async with reporting.app.state.db.engine.connect() as conn:
        for table in TABLES:
            rows = (await conn.execute(text(f"SELECT * FROM reporting.{table}"))).all()
            out[table] = sorted(tuple(r) for r in rows)
        out["movements"] = [
            tuple(r)
            for r in (
                await conn.execute(
                    text(
                        "SELECT user_id, event_id, occurred_at, type, direction, "
                        "amount, balance_after, counterparty_id, "
                        "reference FROM reporting.movements ORDER BY user_id, occurred_at, id"
                    )
                )
            ).all()
        ]
    for uid in users:
        for path, params in (
            ("/api/v1/reports/summary", {"from": "2026-06-01", "to": "2026-08-31", "granularity": "week"}),
            ("/api/v1/reports/statement", {"from": "2026-06-10", "to": "2026-07-20"}),
            ("/api/v1/reports/statement", {"from": "2026-06-10", "to": "2026-07-20", "format": "csv"}),
        ):
            r = await reporting.get(path, uid, **params)
            assert r.status_code == 200
            out[(uid, path, tuple(params.items()))] = r.text
    admin = reporting.auth(users[0], roles=[ROLE_ADMIN])
    out["overview"] = (
        await reporting.http.get(
            "/api/v1/admin/reports/overview", params={"from": "2026-06-01", "to": "2026-08-31"}, headers=admin
        )
    ).json()
    return out


async def test_rebuild_replays_to_an_identical_read_model(reporting, ledger, logs):
    users = [ledger.user(h, START) for h in ("amal", "badr", "camelia", "dina", "ehab")]
    ledger.random_activity(users, 400, START, days=80)
    for e in ledger.auth_events + ledger.events:
        assert (await reporting.post_event(e)).status_code == 204
    before = await snapshot(reporting, users)
    assert len(before["movements"]) > 400 and before["overview"]["users"]["total"] == 5

    http = new_session(timeout_seconds=10)
    try:
        sources = {name: ServiceClient(http, url, name=name, credentials=CREDENTIALS) for name, url in logs.items()}
        result = await rebuild(reporting.app.state.db, sources, optional=frozenset({"auth"}))
    finally:
        await http.close()
    assert result.sources == {"transaction": len(ledger.events), "auth": 5}
    assert result.applied == len(ledger.events) + 5
    after = await snapshot(reporting, users)
    assert after == before

    # a redelivery after the rebuild is still recognized as a duplicate
    assert (await reporting.post_event(ledger.events[0])).status_code == 204
    assert await snapshot(reporting, users) == before


async def test_rebuild_without_an_auth_event_log_keeps_going(reporting, ledger, logs):
    uid = ledger.user("amal", START)
    ledger.topup(uid, Decimal("10.00"), START)
    http = new_session(timeout_seconds=10)
    try:
        missing = ServiceClient(http, logs["transaction"] + "/old", name="auth", credentials=CREDENTIALS)
        present = ServiceClient(http, logs["transaction"], name="transaction", credentials=CREDENTIALS)
        result = await rebuild(
            reporting.app.state.db, {"transaction": present, "auth": missing}, optional=frozenset({"auth"})
        )
    finally:
        await http.close()
    assert result.sources == {"transaction": 1}
    body = (await reporting.get("/api/v1/reports/summary", uid, **{"from": "2026-06-01", "to": "2026-06-01"})).json()
    assert body["total_received"] == "10.00"
