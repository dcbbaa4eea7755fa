"""Every change to a webhook endpoint is a row of the notification service's audit chain, in the
transaction of the change: who (the owner, or their API client), what, which endpoint; admins
read them at /admin/audit (the gateway's fan-out), and the chain verifies."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from instapay_common.audit import chain
from instapay_common.db import rawsql
from instapay_common.security.scopes import TRANSACTIONS_READ
from instapay_stack.tokens import TestIssuer

URL = "https://hooks.partner.example/instapay"


async def public_names(host: str, port: int) -> list[str]:
    return ["93.184.216.34"]


@pytest.fixture
async def api(serve_app, make_settings) -> AsyncIterator[Any]:
    async with serve_app(make_settings(webhook_worker_enabled=False), TestIssuer()) as svc:
        svc.app.state.webhook_sender.lookup.lookup = public_names
        yield svc


async def test_endpoint_changes_are_audited_and_the_chain_holds(api, users):
    alice = users.add("alice")["user_id"]
    me = api.auth(alice)
    r = await api.client.post(
        "/api/v1/webhooks/endpoints", json={"url": URL, "events": ["transfer.received"]}, headers=me
    )
    assert r.status_code == 201, r.text
    endpoint = r.json()["id"]
    assert (
        await api.client.patch(f"/api/v1/webhooks/endpoints/{endpoint}", json={"status": "disabled"}, headers=me)
    ).status_code == 200
    assert (
        await api.client.post(f"/api/v1/webhooks/endpoints/{endpoint}/rotate-secret", headers=me)
    ).status_code == 200
    as_client = api.auth(alice, client_id="ipc_audit", scopes=frozenset({TRANSACTIONS_READ}))
    r = await api.client.post(
        "/api/v1/webhooks/endpoints", json={"url": URL, "events": ["transfer.received"]}, headers=as_client
    )
    assert r.status_code == 201, r.text
    assert (await api.client.delete(f"/api/v1/webhooks/endpoints/{endpoint}", headers=me)).status_code == 204
    # Refused changes leave no row.
    assert (await api.client.delete(f"/api/v1/webhooks/endpoints/{uuid.uuid4()}", headers=me)).status_code == 404

    admin = api.auth(str(uuid.uuid4()), roles=["admin"])
    r = await api.client.get("/admin/audit", headers=admin, params={"actor": alice})
    assert r.status_code == 200, r.text
    rows = r.json()["items"]
    assert [(e["action"], e["subject"] == endpoint, e["actor_role"]) for e in rows] == [
        ("webhook.endpoint_deleted", True, "user"),
        ("webhook.endpoint_created", False, "api_client"),
        ("webhook.secret_rotated", True, "user"),
        ("webhook.endpoint_updated", True, "user"),
        ("webhook.endpoint_created", True, "user"),
    ]
    assert rows[1]["details"]["client_id"] == "ipc_audit" and rows[4]["details"]["url"] == URL
    assert rows[3]["details"] == {"changed": ["status"]}
    assert all(e["service"] == "notification" for e in rows)
    assert (await api.client.get("/admin/audit", headers=me)).status_code == 403

    async with rawsql.connection(api.app.state.db) as conn:
        report = await chain.verify(chain.RawRunner(conn), "notifications")
    assert report.ok and report.rows >= 5
