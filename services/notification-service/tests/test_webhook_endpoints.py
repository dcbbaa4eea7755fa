"""The webhook endpoints API as a user (web session) and as API clients see it: the secret shown
once, validation, the per-user cap, changes, deletion, and authorization on every object."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from instapay_common.security.scopes import TRANSACTIONS_READ, WALLET_READ
from instapay_stack.tokens import TestIssuer

URL = "https://hooks.partner.example/instapay"


async def public_names(host: str, port: int) -> list[str]:
    return ["93.184.216.34"]


@pytest.fixture
async def api(serve_app, make_settings) -> AsyncIterator[Any]:
    """The service without its sender (these tests only manage endpoints), in test mode (strict)."""
    async with serve_app(make_settings(webhook_worker_enabled=False), TestIssuer()) as svc:
        svc.app.state.webhook_sender.lookup.lookup = public_names
        yield svc


def client_auth(svc, user_id: str, client_id: str, scopes: frozenset[str] = frozenset({TRANSACTIONS_READ})):
    return svc.auth(user_id, client_id=client_id, scopes=scopes)


async def create(svc, headers: dict[str, str], **body: Any):
    return await svc.client.post(
        "/api/v1/webhooks/endpoints", json={"url": URL, "events": ["transfer.received"], **body}, headers=headers
    )


async def test_create_shows_the_secret_once_and_lists_without_it(api, users):
    alice = users.add("alice")["user_id"]
    r = await create(api, api.auth(alice), events=["transfer.received", "refund.created"], description="shop")
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
    assert created["status"] == "enabled"
    assert created["events"] == ["transfer.received", "refund.created"]
    assert created["client_id"] is None

    listed = (await api.client.get("/api/v1/webhooks/endpoints", headers=api.auth(alice))).json()
    assert [e["id"] for e in listed["items"]] == [created["id"]]
    assert "secret" not in listed["items"][0]
    assert listed["next_cursor"] is None


@pytest.mark.parametrize(
    "body",
    [
        {"events": ["transfer.exploded"]},
        {"events": []},
        {"url": "https://hooks.partner.example/" + "x" * 2100},
        {"description": "d" * 201},
        {"secret": "whsec_mine"},
    ],
)
async def test_invalid_bodies_are_422(api, users, body):
    r = await create(api, api.auth(users.add("alice")["user_id"]), **body)
    assert r.status_code == 422
    assert r.json()["code"] == "validation_error"


async def test_at_most_ten_endpoints_per_user(api, users):
    alice = users.add("alice")["user_id"]
    for _ in range(10):
        assert (await create(api, api.auth(alice))).status_code == 201
    r = await create(api, api.auth(alice))
    assert (r.status_code, r.json()["code"]) == (422, "too_many_webhook_endpoints")
    listed = (await api.client.get("/api/v1/webhooks/endpoints", headers=api.auth(alice))).json()
    assert len(listed["items"]) == 10


async def test_patch_changes_only_what_is_sent_and_delete_removes(api, users):
    alice = users.add("alice")["user_id"]
    created = (await create(api, api.auth(alice), description="shop")).json()
    path = f"/api/v1/webhooks/endpoints/{created['id']}"

    r = await api.client.patch(path, json={"status": "disabled"}, headers=api.auth(alice))
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["disabled_reason"], r.json()["description"]) == ("disabled", "by_user", "shop")
    r = await api.client.patch(
        path,
        json={"status": "enabled", "events": ["topup.completed"], "url": URL + "/v2", "description": None},
        headers=api.auth(alice),
    )
    assert r.status_code == 200
    changed = r.json()
    assert (changed["status"], changed["disabled_reason"]) == ("enabled", None)
    assert changed["events"] == ["topup.completed"] and changed["url"] == URL + "/v2"
    assert changed["description"] is None
    r = await api.client.patch(path, json={"events": ["nope"]}, headers=api.auth(alice))
    assert r.status_code == 422

    assert (await api.client.delete(path, headers=api.auth(alice))).status_code == 204
    assert (await api.client.delete(path, headers=api.auth(alice))).status_code == 404
    listed = (await api.client.get("/api/v1/webhooks/endpoints", headers=api.auth(alice))).json()
    assert listed["items"] == []


async def test_another_users_endpoint_is_not_found(api, users):
    alice, mallory = users.add("alice")["user_id"], users.add("mallory")["user_id"]
    created = (await create(api, api.auth(alice))).json()
    path = f"/api/v1/webhooks/endpoints/{created['id']}"
    as_mallory = api.auth(mallory)
    assert (await api.client.patch(path, json={"status": "disabled"}, headers=as_mallory)).status_code == 404
    assert (await api.client.post(f"{path}/rotate-secret", headers=as_mallory)).status_code == 404
    assert (await api.client.get(f"{path}/deliveries", headers=as_mallory)).status_code == 404
    assert (await api.client.delete(path, headers=as_mallory)).status_code == 404
    listed = (await api.client.get("/api/v1/webhooks/endpoints", headers=as_mallory)).json()
    assert listed["items"] == []
    # Still there, unchanged, for its owner.
    [mine] = (await api.client.get("/api/v1/webhooks/endpoints", headers=api.auth(alice))).json()["items"]
    assert mine["status"] == "enabled"
    r = await api.client.post("/api/v1/webhooks/deliveries/msg_not-an-id/replay", headers=api.auth(alice))
    assert r.status_code == 404


async def test_api_clients_see_their_own_endpoints_and_the_user_sees_all(api, users):
    alice = users.add("alice")["user_id"]
    as_a, as_b = client_auth(api, alice, "cli_a"), client_auth(api, alice, "cli_b")
    a = (await create(api, as_a)).json()
    b = (await create(api, as_b)).json()
    assert (a["client_id"], b["client_id"]) == ("cli_a", "cli_b")

    def ids(r: Any) -> list[str]:
        return [e["id"] for e in r.json()["items"]]

    assert ids(await api.client.get("/api/v1/webhooks/endpoints", headers=as_a)) == [a["id"]]
    assert ids(await api.client.get("/api/v1/webhooks/endpoints", headers=as_b)) == [b["id"]]
    assert ids(await api.client.get("/api/v1/webhooks/endpoints", headers=api.auth(alice))) == [a["id"], b["id"]]
    # Client B cannot touch client A's endpoint; the user can.
    path = f"/api/v1/webhooks/endpoints/{a['id']}"
    assert (await api.client.delete(path, headers=as_b)).status_code == 404
    assert (await api.client.patch(path, json={"status": "disabled"}, headers=api.auth(alice))).status_code == 200


async def test_scopes(api, users):
    alice = users.add("alice")["user_id"]
    r = await create(api, client_auth(api, alice, "cli_a", frozenset({WALLET_READ})))
    assert (r.status_code, r.json()["code"]) == (403, "insufficient_scope")
    r = await api.client.get("/api/v1/webhooks/endpoints", headers=api.auth(alice, scopes=frozenset({WALLET_READ})))
    assert r.status_code == 403
    assert (await api.client.get("/api/v1/webhooks/endpoints")).status_code == 401


async def test_deliveries_page_of_a_new_endpoint_is_empty_and_a_bad_cursor_is_422(api, users):
    alice = users.add("alice")["user_id"]
    created = (await create(api, api.auth(alice))).json()
    path = f"/api/v1/webhooks/endpoints/{created['id']}/deliveries"
    r = await api.client.get(path, headers=api.auth(alice))
    assert r.json() == {"items": [], "next_cursor": None}
    r = await api.client.get(path, params={"cursor": "bm9wZQ"}, headers=api.auth(alice))
    assert (r.status_code, r.json()["code"]) == (422, "validation_error")


async def test_deliveries_are_paged_newest_first(api, users, ev):
    alice, bob = users.add("alice"), users.add("bob")
    created = (await create(api, api.auth(bob["user_id"]))).json()
    events = [ev.transfer(alice, bob) for _ in range(3)]
    for event in events:
        assert (await api.post_event(event)).status_code == 204
    path = f"/api/v1/webhooks/endpoints/{created['id']}/deliveries"
    first = (await api.client.get(path, params={"limit": 2}, headers=api.auth(bob["user_id"]))).json()
    second = (
        await api.client.get(
            path, params={"limit": 2, "cursor": first["next_cursor"]}, headers=api.auth(bob["user_id"])
        )
    ).json()
    seen = [d["event_id"] for d in first["items"] + second["items"]]
    assert seen == [e["id"] for e in reversed(events)]
    assert second["next_cursor"] is None
    assert all(d["status"] == "pending" and d["attempts"] == [] for d in first["items"])
