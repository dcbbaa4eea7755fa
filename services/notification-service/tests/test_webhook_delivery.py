"""Webhook delivery end to end on a real PostgreSQL and a real HTTP receiver on loopback
(development mode): events posted by the relay become signed Standard Webhooks requests that the
reference `standardwebhooks` library verifies; retries, 410, redirects, Retry-After, rotation,
replay and sustained failure as a third party sees them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from standardwebhooks.webhooks import Webhook

from instapay_stack.tokens import TestIssuer


@pytest.fixture
async def hooks_service(serve_app, make_settings, empty_notifications_db, fast_webhooks) -> AsyncIterator[Any]:
    """The service with its sender, on a database of its own (the sender claims every due row)."""
    async with serve_app(make_settings(database_url=empty_notifications_db, **fast_webhooks), TestIssuer()) as svc:
        yield svc


async def create_endpoint(svc, user: dict, url: str, events: list[str]) -> dict[str, Any]:
    r = await svc.client.post(
        "/api/v1/webhooks/endpoints", json={"url": url, "events": events}, headers=svc.auth(user["user_id"])
    )
    assert r.status_code == 201, r.text
    return r.json()


async def deliveries(svc, user: dict, endpoint_id: str) -> list[dict[str, Any]]:
    r = await svc.client.get(f"/api/v1/webhooks/endpoints/{endpoint_id}/deliveries", headers=svc.auth(user["user_id"]))
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def settled(svc, user: dict, endpoint_id: str, count: int = 1, within: float = 20.0) -> list[dict[str, Any]]:
    """The endpoint's deliveries once `count` of them are no longer pending."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        items = await deliveries(svc, user, endpoint_id)
        if len([d for d in items if d["status"] != "pending"]) >= count:
            return items
        assert asyncio.get_running_loop().time() < deadline, items
        await asyncio.sleep(0.05)


async def test_signed_delivery_verifies_with_the_reference_library(hooks_service, users, receiver, ev):
    svc = hooks_service
    alice, bob = users.add("alice"), users.add("bob")
    endpoint = await create_endpoint(svc, bob, receiver.hook(), ["transfer.received"])
    assert endpoint["secret"].startswith("whsec_")

    event = ev.transfer(alice, bob, amount="125.50")
    assert (await svc.post_event(event)).status_code == 204

    [got] = await receiver.wait_for(1)
    body = Webhook(endpoint["secret"]).verify(got.body, got.headers)
    assert body["type"] == "transfer.received"
    assert body["data"]["transfer_id"] == event["data"]["transfer_id"]
    assert body["data"]["amount"] == "125.50"
    assert body["data"]["counterparty"] == {"user_id": alice["user_id"], "handle": "alice"}
    assert got.headers["webhook-id"].startswith("msg_")

    [delivery] = await settled(svc, bob, endpoint["id"])
    assert delivery["id"] == got.headers["webhook-id"]
    assert delivery["status"] == "succeeded"
    assert [a["status_code"] for a in delivery["attempts"]] == [200]


async def test_the_relay_redelivering_an_event_sends_one_message(hooks_service, users, receiver, ev):
    svc = hooks_service
    alice, bob = users.add("alice"), users.add("bob")
    endpoint = await create_endpoint(svc, bob, receiver.hook(), ["transfer.received"])
    event = ev.transfer(alice, bob)
    for _ in range(3):
        assert (await svc.post_event(event)).status_code == 204
    await settled(svc, bob, endpoint["id"])
    assert len(await deliveries(svc, bob, endpoint["id"])) == 1


async def test_retries_after_500s_with_the_same_id_and_body(hooks_service, users, receiver, ev):
    svc = hooks_service
    alice, bob = users.add("alice"), users.add("bob")
    receiver.script = [500, 502]
    endpoint = await create_endpoint(svc, alice, receiver.hook(), ["transfer.sent"])
    await svc.post_event(ev.transfer(alice, bob))

    got = await receiver.wait_for(3)
    assert len({r.headers["webhook-id"] for r in got}) == 1
    assert len({r.body for r in got}) == 1
    for r in got:
        Webhook(endpoint["secret"]).verify(r.body, r.headers)
    [delivery] = await settled(svc, alice, endpoint["id"])
    assert delivery["status"] == "succeeded"
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 502, 200]


async def test_a_timeout_is_retried(hooks_service, users, receiver, ev):
    svc = hooks_service
    alice, bob = users.add("alice"), users.add("bob")
    receiver.script = ["stall"]
    endpoint = await create_endpoint(svc, alice, receiver.hook(), ["transfer.sent"])
    await svc.post_event(ev.transfer(alice, bob))

    [delivery] = await settled(svc, alice, endpoint["id"])
    assert delivery["status"] == "succeeded"
    first, second = delivery["attempts"]
    assert first["status_code"] is None and "no answer" in first["error"]
    assert second["status_code"] == 200
    got = await receiver.wait_for(2)
    assert got[0].headers["webhook-id"] == got[1].headers["webhook-id"]


async def test_410_gone_disables_the_endpoint_and_tells_the_user(hooks_service, users, receiver, ev):
    svc = hooks_service
    alice, bob = users.add("alice"), users.add("bob")
    receiver.script = [410]
    endpoint = await create_endpoint(svc, alice, receiver.hook(), ["transfer.sent"])
    await svc.post_event(ev.transfer(alice, bob))

    [delivery] = await settled(svc, alice, endpoint["id"])
    assert delivery["status"] == "failed"
    assert [a["status_code"] for a in delivery["attempts"]] == [410]
    listed = (await svc.client.get("/api/v1/webhooks/endpoints", headers=svc.auth(alice["user_id"]))).json()
    assert listed["items"][0]["status"] == "disabled"
    assert listed["items"][0]["disabled_reason"] == "gone"
    notes = (await svc.client.get("/api/v1/notifications", headers=svc.auth(alice["user_id"]))).json()["items"]
    assert any(n["type"] == "webhook.endpoint_disabled" for n in notes)

    # A disabled endpoint gets nothing new.
    await svc.post_event(ev.transfer(alice, bob))
    await svc.post_event(ev.transfer(alice, bob))
    assert len(await deliveries(svc, alice, endpoint["id"])) == 1
    assert len(receiver.received) == 1


async def test_a_redirect_is_a_failure_and_is_not_followed(hooks_service, users, receiver, ev):
    svc = hooks_service
    alice, bob = users.add("alice"), users.add("bob")
    receiver.script = [(302, {"Location": receiver.hook("/elsewhere")})]
    endpoint = await create_endpoint(svc, alice, receiver.hook(), ["transfer.sent"])
    await svc.post_event(ev.transfer(alice, bob))

    [delivery] = await settled(svc, alice, endpoint["id"])
    assert [a["status_code"] for a in delivery["attempts"]] == [302, 200]
    assert [r.path for r in receiver.received] == ["/hook", "/hook"]


async def test_retry_after_of_a_429_is_honoured(hooks_service, users, receiver, ev):
    svc = hooks_service
    alice, bob = users.add("alice"), users.add("bob")
    receiver.script = [(429, {"Retry-After": "1800"})]
    endpoint = await create_endpoint(svc, alice, receiver.hook(), ["transfer.sent"])
    await svc.post_event(ev.transfer(alice, bob))
    await receiver.wait_for(1)

    deadline = asyncio.get_running_loop().time() + 10
    while not (items := await deliveries(svc, alice, endpoint["id"]))[0]["attempts"]:
        assert asyncio.get_running_loop().time() < deadline
        await asyncio.sleep(0.05)
    [delivery] = items
    assert delivery["status"] == "pending"
    assert delivery["attempts"][0]["status_code"] == 429
    # The scaled-down schedule would retry within milliseconds; the receiver asked for 30 minutes.
    next_at = datetime.fromisoformat(delivery["next_attempt_at"])
    assert next_at > datetime.now(UTC) + timedelta(minutes=25), (items, receiver.received)
    assert len(receiver.received) == 1


async def test_after_a_rotation_both_secrets_verify(hooks_service, users, receiver, ev):
    svc = hooks_service
    alice, bob = users.add("alice"), users.add("bob")
    endpoint = await create_endpoint(svc, alice, receiver.hook(), ["transfer.sent"])
    r = await svc.client.post(
        f"/api/v1/webhooks/endpoints/{endpoint['id']}/rotate-secret", headers=svc.auth(alice["user_id"])
    )
    assert r.status_code == 200
    rotated = r.json()
    assert rotated["secret"] != endpoint["secret"] and rotated["secret"].startswith("whsec_")
    assert rotated["previous_secret_expires_at"] is not None

    await svc.post_event(ev.transfer(alice, bob))
    [got] = await receiver.wait_for(1)
    signatures = got.headers["webhook-signature"].split(" ")
    assert len(signatures) == 2 and all(s.startswith("v1,") for s in signatures)
    for secret in (endpoint["secret"], rotated["secret"]):
        assert Webhook(secret).verify(got.body, got.headers)["type"] == "transfer.sent"
    # Each signature alone verifies with one of the two secrets.
    for signature, secret in zip(signatures, (rotated["secret"], endpoint["secret"]), strict=True):
        Webhook(secret).verify(got.body, {**got.headers, "webhook-signature": signature})


async def test_a_replay_keeps_the_webhook_id_and_body(hooks_service, users, receiver, ev):
    svc = hooks_service
    alice, bob = users.add("alice"), users.add("bob")
    endpoint = await create_endpoint(svc, alice, receiver.hook(), ["transfer.sent"])
    await svc.post_event(ev.transfer(alice, bob))
    [delivery] = await settled(svc, alice, endpoint["id"])

    r = await svc.client.post(
        f"/api/v1/webhooks/deliveries/{delivery['id']}/replay", headers=svc.auth(alice["user_id"])
    )
    assert r.status_code == 202
    assert r.json() == {"id": delivery["id"], "status": "pending"}
    first, again = await receiver.wait_for(2)
    assert first.headers["webhook-id"] == again.headers["webhook-id"] == delivery["id"]
    assert first.body == again.body
    Webhook(endpoint["secret"]).verify(again.body, again.headers)
    [replayed] = await settled(svc, alice, endpoint["id"])
    assert [a["status_code"] for a in replayed["attempts"]] == [200, 200]

    # Someone else's delivery is not found.
    other = users.add("mallory")
    r = await svc.client.post(
        f"/api/v1/webhooks/deliveries/{delivery['id']}/replay", headers=svc.auth(other["user_id"])
    )
    assert r.status_code == 404


async def test_sustained_failure_disables_the_endpoint_after_the_schedule(hooks_service, users, receiver, ev):
    svc = hooks_service
    alice, bob = users.add("alice"), users.add("bob")
    receiver.script = [500] * 8
    endpoint = await create_endpoint(svc, alice, receiver.hook(), ["transfer.sent"])
    await svc.post_event(ev.transfer(alice, bob))

    [delivery] = await settled(svc, alice, endpoint["id"], within=30)
    assert delivery["status"] == "failed"
    assert [a["status_code"] for a in delivery["attempts"]] == [500] * 8
    [listed] = (await svc.client.get("/api/v1/webhooks/endpoints", headers=svc.auth(alice["user_id"]))).json()["items"]
    assert (listed["status"], listed["disabled_reason"]) == ("disabled", "failing")
    notes = (await svc.client.get("/api/v1/notifications", headers=svc.auth(alice["user_id"]))).json()["items"]
    [note] = [n for n in notes if n["type"] == "webhook.endpoint_disabled"]
    assert receiver.url in note["body"]


async def test_every_event_type_matches_its_documented_payload(hooks_service, users, receiver, ev):
    """The bodies sent are what the OpenAPI `webhooks` section documents (the same models)."""
    from notification_service.webhooks.schemas import check_payload

    svc = hooks_service
    alice, bob = users.add("alice"), users.add("bob")
    await create_endpoint(svc, alice, receiver.hook(), ["transfer.sent", "topup.completed", "withdrawal.failed"])
    await create_endpoint(svc, bob, receiver.hook("/bob"), ["payment_request.created", "payment_request.paid"])
    wallet = {
        "user_id": alice["user_id"],
        "transaction_id": "0b7f6a9e-3c1f-4c53-9a35-9d1c2d0e4f11",
        "amount": "50.00",
        "currency": "EGP",
        "balance_after": "150.00",
        "created_at": "2026-12-03T10:00:00Z",
    }
    request = {
        "request_id": "6f1f0b2e-9f4e-4a7b-8e8e-0f0d3c2b1a00",
        "amount": "20.00",
        "currency": "EGP",
        "note": None,
        "requester": ev.party(alice),
        "payer": ev.party(bob),
        "expires_at": "2026-12-10T10:00:00Z",
        "created_at": "2026-12-03T10:00:00Z",
    }
    for event in (
        ev.transfer(alice, bob),
        ev.envelope("topup.completed", wallet),
        ev.envelope("withdrawal.failed", {**wallet, "reason": "bank refused"}),
        ev.envelope("payment_request.created", request),
        ev.envelope("payment_request.accepted", {**request, "transfer_id": "5a0c6e0e-1111-4c53-9a35-9d1c2d0e4f11"}),
    ):
        assert (await svc.post_event(event)).status_code == 204
    got = await receiver.wait_for(5)
    types = sorted(orjson.loads(r.body)["type"] for r in got)
    assert types == sorted(
        ["transfer.sent", "topup.completed", "withdrawal.failed", "payment_request.created", "payment_request.paid"]
    )
    for r in got:
        body = orjson.loads(r.body)
        check_payload(body["type"], body)
