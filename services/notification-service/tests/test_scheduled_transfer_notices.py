"""A declined occurrence of a scheduled transfer: its sender (only) is told, in their language,
why nothing was sent; a replayed delivery of the event tells them once."""

from __future__ import annotations


async def _mine(service, user) -> list[dict]:
    r = await service.client.get("/api/v1/notifications", headers=service.auth(user["user_id"]))
    assert r.status_code == 200, r.text
    return r.json()["items"]


def _failed(sender, recipient, code: str) -> dict:
    return {
        "schedule_id": "0b7c3a52-58a4-4ce4-9c55-8f0b0b6f4f0e",
        "occurrence": 2,
        "user_id": sender["user_id"],
        "recipient": {"user_id": recipient["user_id"], "handle": "samir", "display_name": "Samir K."},
        "amount": "250.00",
        "currency": "EGP",
        "code": code,
        "reason": "the wallet's available balance is too low for this amount",
        "next_run_at": "2027-02-01T09:00:00.000Z",
        "at": "2027-01-25T09:00:00.000Z",
    }


async def test_the_sender_is_told_a_scheduled_transfer_failed_in_their_language(service, users, ev):
    mona, samir, hoda = users.add("mona"), users.add("samir"), users.add("hoda", language="ar")
    event = ev.envelope("scheduled_transfer.failed", _failed(mona, samir, "insufficient_funds"))
    for _ in range(2):
        assert (await service.post_event(event)).status_code == 204
    [notice] = await _mine(service, mona)
    assert notice["type"] == "scheduled_transfer.failed"
    assert notice["title"].startswith("Scheduled transfer of EGP") and "250.00 failed" in notice["title"]
    assert "Samir K." in notice["body"] and "not enough money in your wallet" in notice["body"]
    assert notice["data"]["schedule_id"] == event["data"]["schedule_id"]
    assert await _mine(service, samir) == []  # nothing reached the recipient: no notice

    ar = ev.envelope("scheduled_transfer.failed", _failed(hoda, samir, "limit_exceeded"))
    assert (await service.post_event(ar)).status_code == 204
    [notice] = await _mine(service, hoda)
    assert notice["title"].startswith("تعذر التحويل المجدول") and "سيتجاوز حد التحويل" in notice["body"]
