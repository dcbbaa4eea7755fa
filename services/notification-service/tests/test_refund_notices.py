"""Refunds, reversals and disputes: who is told what, once, in their language; and the
`refund.created` webhook of both parties, as documented."""

from __future__ import annotations

import uuid

from instapay_common.events.envelope import EventEnvelope
from notification_service.webhooks.events import webhook_events
from notification_service.webhooks.schemas import payload_model


async def items(service, user) -> list[dict]:
    r = await service.client.get("/api/v1/notifications", params={"limit": 100}, headers=service.auth(user["user_id"]))
    assert r.status_code == 200, r.text
    return r.json()["items"]


def refund_data(ev, refunder, refunded) -> dict:
    return {
        "refund_id": str(uuid.uuid4()),
        "reference": "IP00000001",
        "refund_of": str(uuid.uuid4()),
        "original_reference": "IP7K3Q9X2M",
        "amount": "40.00",
        "currency": "EGP",
        "note": None,
        "created_at": "2026-12-03T10:00:00.000Z",
        "sender": ev.party(refunder),
        "recipient": ev.party(refunded),
    }


async def test_a_refund_tells_both_sides_once_and_its_money_movement_tells_nobody(service, users, ev):
    alice, bob = users.add("alice"), users.add("bob", language="ar")
    refund = ev.envelope("refund.created", refund_data(ev, bob, alice))
    movement = ev.transfer(bob, alice, "40.00")
    movement["data"]["refund_of"] = refund["data"]["refund_of"]
    for event in (refund, refund, movement):
        assert (await service.post_event(event)).status_code == 204
    [got] = await items(service, alice)
    assert got["type"] == "refund.received" and "IP7K3Q9X2M" in got["body"] and "Bob X." in got["body"]
    [gave] = await items(service, bob)
    assert gave["type"] == "refund.sent" and "\u2068IP7K3Q9X2M\u2069" in gave["body"]


async def test_a_reversal_and_the_dispute_steps_tell_the_right_people(service, users, ev):
    alice, bob = users.add("alice"), users.add("bob")
    reversal = {
        "reversal_id": str(uuid.uuid4()),
        "reference": "IP00000002",
        "reversal_of": str(uuid.uuid4()),
        "original_reference": "IP7K3Q9X2M",
        "dispute_id": str(uuid.uuid4()),
        "amount": "50.00",
        "currency": "EGP",
        "created_at": "2026-12-03T10:00:00.000Z",
        "sender": ev.party(bob, "3.00"),
        "recipient": ev.party(alice, "100.00"),
    }
    case = {
        "dispute_id": reversal["dispute_id"],
        "reference": "DP4M7QK2ZT",
        "transfer_id": reversal["reversal_of"],
        "transfer_reference": "IP7K3Q9X2M",
        "amount": "50.00",
        "currency": "EGP",
        "reason": "fraud",
        "sender": ev.party(alice),
        "recipient": ev.party(bob),
        "reversal_id": None,
        "created_at": "2026-12-03T09:00:00.000Z",
        "resolved_at": None,
    }
    events = [
        ev.envelope("dispute.opened", {**case, "status": "open"}),
        ev.envelope("transfer.reversed", reversal),
        ev.envelope("dispute.resolved", {**case, "status": "resolved_reversed"}),
        ev.envelope("dispute.resolved", {**case, "status": "rejected"}),
    ]
    for event in events:
        assert (await service.post_event(event)).status_code == 204, event["type"]
    mine = {n["type"]: n for n in await items(service, alice)}
    assert sorted(mine) == ["dispute.opened", "dispute.rejected", "dispute.reversed", "reversal.credited"]
    assert "DP4M7QK2ZT" in mine["dispute.opened"]["title"] and "100.00" in mine["reversal.credited"]["body"]
    theirs = await items(service, bob)
    assert [n["type"] for n in theirs] == ["reversal.debited"] and "3.00" in theirs[0]["body"]
    bad = ev.envelope("dispute.resolved", {**case, "status": "maybe"})
    assert (await service.post_event(bad)).status_code == 422


def test_refund_created_webhooks_go_to_both_parties_as_documented(users, ev):
    alice, bob = users.add("alice"), users.add("bob")
    data = refund_data(ev, bob, alice)
    event = EventEnvelope.model_validate(ev.envelope("refund.created", data))
    hooks = webhook_events(event)
    assert {(str(h.user_id), h.data["role"]) for h in hooks} == {
        (bob["user_id"], "refunder"),
        (alice["user_id"], "refunded"),
    }
    model = payload_model("refund.created")
    for h in hooks:
        assert h.type == "refund.created" and h.data["transfer_id"] == data["refund_of"]
        model.model_validate({"type": h.type, "timestamp": data["created_at"], "data": h.data})
