"""`GET /api/v1/admin/audit` is answered by the gateway: it asks every audited service for its
rows (`/admin/audit`, with the admin's token), merges them newest first, and pages through the
merged order with one cursor, ties in time included; admins only; a silent service fails it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from instapay_common.audit.chain import AUDITED_SERVICES, rfc3339_micro
from instapay_stack.testing import start_fake

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _row(service: str, row_id: int, at: datetime) -> dict[str, Any]:
    return {
        "service": service,
        "id": row_id,
        "at": rfc3339_micro(at),
        "actor": "system",
        "actor_role": "system",
        "action": f"{service}.thing",
        "subject": None,
        "details": {},
        "ip": None,
        "request_id": None,
        "prev_hash": "0" * 64,
        "hash": "1" * 64,
    }


def _fake_service(service: str, rows: list[dict[str, Any]], seen: list[dict[str, str]]) -> web.Application:
    """A service's /admin/audit: its rows strictly before (before_at, before_id), newest first."""

    async def audit(request: web.Request) -> web.Response:
        seen.append({"service": service, **request.query, "authorization": request.headers.get("Authorization", "")})
        q = request.query
        found = rows
        if "before_at" in q:
            key = (datetime.fromisoformat(q["before_at"]), int(q["before_id"]))
            found = [r for r in rows if (datetime.fromisoformat(r["at"]), r["id"]) < key]
        found = sorted(found, key=lambda r: (datetime.fromisoformat(r["at"]), r["id"]), reverse=True)
        return web.json_response({"items": found[: int(q["limit"])], "next_cursor": None})

    async def ready(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ready"})

    app = web.Application()
    app.router.add_get("/admin/audit", audit)
    app.router.add_get("/readyz", ready)
    return app


async def test_admins_page_through_every_services_rows_newest_first(make_gateway, serve, issuer):
    # Each service's ids grow with time; two services share instants (T0 + 2 s, T0 + 5 s).
    rows = {
        "auth": [_row("auth", i + 1, T0 + timedelta(seconds=s)) for i, s in enumerate([1, 2, 5, 7])],
        "transaction": [_row("transaction", i + 1, T0 + timedelta(seconds=s)) for i, s in enumerate([2, 3, 5, 5])],
        "notification": [_row("notification", i + 1, T0 + timedelta(seconds=s)) for i, s in enumerate([0, 6])],
    }
    seen: list[dict[str, str]] = []
    runners, urls = [], {}
    for service in AUDITED_SERVICES:
        runner, urls[f"{service}_url"] = await start_fake(_fake_service(service, rows[service], seen))
        runners.append(runner)
    try:
        app = make_gateway(**urls)
        async with serve(app) as clients:
            client = clients()
            admin = {"Authorization": f"Bearer {issuer.token(roles=['admin'])}"}

            got: list[tuple[str, int]] = []
            cursor = None
            for _ in range(10):
                r = await client.get(
                    "/api/v1/admin/audit", headers=admin, params={"limit": 3, **({"cursor": cursor} if cursor else {})}
                )
                assert r.status_code == 200, r.text
                page = r.json()
                assert len(page["items"]) <= 3
                got += [(e["service"], e["id"]) for e in page["items"]]
                cursor = page["next_cursor"]
                if cursor is None:
                    break
            everything = sorted(
                (r for service_rows in rows.values() for r in service_rows),
                key=lambda r: (r["at"], r["service"], r["id"]),
                reverse=True,
            )
            assert got == [(r["service"], r["id"]) for r in everything]  # each once, in order
            # Every service was asked with the admin's own token; filters are passed on.
            assert {s["authorization"] for s in seen} == {admin["Authorization"]}
            seen.clear()
            r = await client.get(
                "/api/v1/admin/audit", headers=admin, params={"action": "wallet.freeze", "to": "2026-12-01"}
            )
            assert r.status_code == 200
            assert {(s["service"], s["action"], s["to"]) for s in seen} == {
                (s, "wallet.freeze", "2026-12-01") for s in AUDITED_SERVICES
            }

            user = {"Authorization": f"Bearer {issuer.token(str(uuid.uuid4()))}"}
            r = await client.get("/api/v1/admin/audit", headers=user)
            assert r.status_code == 403 and r.json()["code"] == "forbidden"
            api_client = {"Authorization": f"Bearer {issuer.token(roles=['admin'], client_id='ipc_x')}"}
            assert (await client.get("/api/v1/admin/audit", headers=api_client)).status_code == 403
            r = await client.get("/api/v1/admin/audit")
            assert r.status_code == 401 and r.json()["code"] == "unauthenticated"
            for params in ({"cursor": "nope"}, {"limit": 0}, {"from": "2026-12-02", "to": "2026-12-01"}, {"from": "0"}):
                r = await client.get("/api/v1/admin/audit", headers=admin, params=params)
                assert r.status_code == 422 and r.json()["code"] == "validation_error", params

            await runners.pop().cleanup()  # the notification service goes away: no page with a hole
            r = await client.get("/api/v1/admin/audit", headers=admin)
            assert r.status_code == 503 and r.json()["code"] == "service_unavailable"
            assert "notification" in r.json()["detail"]
    finally:
        for runner in runners:
            await runner.cleanup()
