"""An API client deleted or revoked (auth's `security.api_client_revoked`): its webhook endpoints
are disabled for good (`client_revoked`) and a later event sends them nothing, while the user's
own endpoints and another client's keep receiving."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from instapay_common.db import rawsql
from instapay_common.db.rawsql import Sql
from instapay_common.security.scopes import TRANSACTIONS_READ
from instapay_stack.tokens import TestIssuer

_AUDITED = Sql(
    "SELECT count(*) FROM notifications.audit_log WHERE action = 'webhook.endpoint_disabled' AND subject = :s"
)


@pytest.fixture
async def hooks_service(serve_app, make_settings, empty_notifications_db, fast_webhooks) -> AsyncIterator[Any]:
    async with serve_app(make_settings(database_url=empty_notifications_db, **fast_webhooks), TestIssuer()) as svc:
        yield svc


def as_client(svc, user: dict, client_id: str) -> dict[str, str]:
    return svc.auth(user["user_id"], client_id=client_id, scopes=frozenset({TRANSACTIONS_READ}))


async def endpoint(svc, headers: dict[str, str], url: str) -> dict[str, Any]:
    r = await svc.client.post(
        "/api/v1/webhooks/endpoints", json={"url": url, "events": ["transfer.received"]}, headers=headers
    )
    assert r.status_code == 201, r.text
    return r.json()


def revoked(ev, user: dict, client_id: str, reason: str = "deleted") -> dict[str, Any]:
    return ev.envelope(
        "security.api_client_revoked",
        {"user_id": user["user_id"], "client_id": client_id, "reason": reason},
    )


async def test_a_deleted_clients_endpoints_get_nothing_after_the_deletion(hooks_service, users, receiver, ev):
    svc = hooks_service
    alice, bob = users.add("alice"), users.add("bob")
    gone = await endpoint(svc, as_client(svc, bob, "ipc_gone"), receiver.hook("/gone"))
    kept = await endpoint(svc, as_client(svc, bob, "ipc_kept"), receiver.hook("/kept"))
    own = await endpoint(svc, svc.auth(bob["user_id"]), receiver.hook("/own"))

    event = revoked(ev, bob, "ipc_gone")
    for _ in range(2):  # a redelivery changes nothing more
        assert (await svc.post_event(event)).status_code == 204
    assert (await svc.post_event(ev.transfer(alice, bob))).status_code == 204

    got = await receiver.wait_for(2)
    assert sorted(r.path for r in got) == ["/kept", "/own"]
    listed = (await svc.client.get("/api/v1/webhooks/endpoints", headers=svc.auth(bob["user_id"]))).json()["items"]
    state = {e["id"]: (e["status"], e["disabled_reason"]) for e in listed}
    assert state == {
        gone["id"]: ("disabled", "client_revoked"),
        kept["id"]: ("enabled", None),
        own["id"]: ("enabled", None),
    }
    r = await svc.client.get(f"/api/v1/webhooks/endpoints/{gone['id']}/deliveries", headers=svc.auth(bob["user_id"]))
    assert r.status_code == 200 and r.json()["items"] == []  # no delivery was even created
    assert [r.path for r in receiver.received].count("/gone") == 0

    # The owner cannot bring it back; a user-level endpoint of their own is the way.
    r = await svc.client.patch(
        f"/api/v1/webhooks/endpoints/{gone['id']}", json={"status": "enabled"}, headers=svc.auth(bob["user_id"])
    )
    assert r.status_code == 422 and r.json()["code"] == "validation_error", r.text
    assert r.headers["content-type"].startswith("application/problem+json")

    async with rawsql.connection(svc.app.state.db) as conn:
        audited = await conn.fetchval(_AUDITED, s=gone["id"])
    assert audited == 1


async def test_every_client_revoked_at_a_password_change_is_cut_off(hooks_service, users, receiver, ev):
    svc = hooks_service
    alice, bob = users.add("alice"), users.add("bob")
    first = await endpoint(svc, as_client(svc, bob, "ipc_one"), receiver.hook("/one"))
    second = await endpoint(svc, as_client(svc, bob, "ipc_two"), receiver.hook("/two"))
    # Auth emits one event per client it revoked, in one batch of the relay.
    r = await svc.post_batch(
        [revoked(ev, bob, "ipc_one", "password_changed"), revoked(ev, bob, "ipc_two", "password_changed")]
    )
    assert r.status_code in (200, 204), r.text
    assert (await svc.post_event(ev.transfer(alice, bob))).status_code == 204
    own = await endpoint(svc, svc.auth(bob["user_id"]), receiver.hook("/own"))
    assert (await svc.post_event(ev.transfer(alice, bob))).status_code == 204

    [got] = await receiver.wait_for(1)
    assert got.path == "/own"
    for e in (first, second):
        r = await svc.client.get(f"/api/v1/webhooks/endpoints/{e['id']}/deliveries", headers=svc.auth(bob["user_id"]))
        assert r.json()["items"] == []
    assert len(receiver.received) == 1 and own["status"] == "enabled"


async def test_a_revocation_event_without_a_client_is_refused(hooks_service, users, ev):
    bob = users.add("bob")
    r = await hooks_service.post_event(ev.envelope("security.api_client_revoked", {"user_id": bob["user_id"]}))
    assert r.status_code == 422, r.text
