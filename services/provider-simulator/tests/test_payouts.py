"""POST /v1/payouts, GET /v1/payouts/by-key/{key} and the cancel semantics."""

from __future__ import annotations

import asyncio


async def _status(sim, key: str) -> dict:
    r = await sim.get(f"/v1/payouts/by-key/{key}")
    assert r.status_code == 200, r.text
    return r.json()


async def test_a_payout_is_pending_then_paid_with_a_callback(sim):
    key = sim.key()
    r = await sim.post("/v1/payouts", sim.payout_body("25.50", user_id="u-9"), key=key)
    assert r.status_code == 202, r.text
    payout = r.json()
    assert payout["id"].startswith("po_") and payout["object"] == "payout"
    assert (payout["status"], payout["amount"], payout["idempotency_key"]) == ("pending", "25.50", key)
    await sim.hook.wait_for(lambda: sim.hook.for_key(key))
    [callback] = sim.hook.for_key(key)
    assert callback.event["type"] == "payout.paid"
    assert callback.event["data"]["status"] == "paid" and callback.event["data"]["id"] == payout["id"]
    assert callback.event["data"]["metadata"] == {"user_id": "u-9"}
    assert (await _status(sim, key))["status"] == "paid"


async def test_a_refused_account_fails_the_payout_later(sim):
    key = sim.key()
    r = await sim.post("/v1/payouts", sim.payout_body(reference="fail-acct"), key=key)
    assert r.status_code == 202 and r.json()["status"] == "pending"
    await sim.hook.wait_for(lambda: sim.hook.for_key(key))
    event = sim.hook.for_key(key)[0].event
    assert event["type"] == "payout.failed"
    assert event["data"]["failure_reason"] == "the bank refused the account"
    assert (await _status(sim, key))["failure_reason"] == "the bank refused the account"


async def test_error_and_invalid_references(sim):
    key = sim.key()
    r = await sim.post("/v1/payouts", sim.payout_body(reference="error-x"), key=key)
    assert r.status_code == 503 and r.json()["code"] == "provider_unavailable"
    assert (await sim.get(f"/v1/payouts/by-key/{key}")).status_code == 404
    r = await sim.post("/v1/payouts", sim.payout_body(reference="invalid-x"), key=sim.key())
    assert r.status_code == 200 and "id" not in r.json()


async def test_the_same_key_is_the_same_payout_and_a_different_body_is_409(sim):
    key = sim.key()
    body = sim.payout_body("70.00")
    first = await sim.post("/v1/payouts", body, key=key)
    second = await sim.post("/v1/payouts", body, key=key)
    assert first.status_code == 202 and second.json()["id"] == first.json()["id"]
    r = await sim.post("/v1/payouts", sim.payout_body("70.00", reference="other-acct"), key=key)
    assert r.status_code == 409 and r.json()["code"] == "idempotency_key_reused"
    await sim.hook.wait_for(lambda: sim.hook.for_key(key))
    third = await sim.post("/v1/payouts", body, key=key)
    assert third.status_code == 200 and third.json()["status"] == "paid" and third.json()["id"] == first.json()["id"]
    listed = (await sim.client.get("/_sim/payouts", headers=sim.running.control_headers())).json()
    assert [(p["id"], p["amount"], p["status"]) for p in listed if p["idempotency_key"] == key] == [
        (first.json()["id"], "70.00", "paid")
    ]


async def test_cancel_stops_a_pending_payout_for_good(sim):
    key = sim.key()
    body = sim.payout_body()
    created = await sim.post("/v1/payouts", body, key=key)
    r = await sim.client.post(f"/v1/payouts/by-key/{key}/cancel", headers=sim.running.api_headers())
    assert r.status_code == 200, r.text
    assert (r.json()["id"], r.json()["status"], r.json()["failure_reason"]) == (
        created.json()["id"],
        "failed",
        "canceled",
    )
    await sim.hook.wait_for(lambda: sim.hook.for_key(key))
    assert sim.hook.for_key(key)[0].event["type"] == "payout.failed"
    await asyncio.sleep(sim.running.settings.simulator_payout_delay_ms / 1000 * 3)
    assert (await _status(sim, key))["status"] == "failed"
    again = await sim.post("/v1/payouts", body, key=key)
    assert again.status_code == 200 and again.json()["status"] == "failed"
    assert len(sim.hook.for_key(key)) == 1


async def test_cancel_of_an_unknown_key_refuses_any_later_payout_under_it(sim):
    key = sim.key()
    r = await sim.client.post(f"/v1/payouts/by-key/{key}/cancel", headers=sim.running.api_headers())
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["failure_reason"], r.json()["amount"]) == ("failed", "canceled", None)
    late = await sim.post("/v1/payouts", sim.payout_body("12.00"), key=key)
    assert late.status_code == 200, late.text
    assert (late.json()["status"], late.json()["failure_reason"], late.json()["amount"]) == (
        "failed",
        "canceled",
        "12.00",
    )
    await asyncio.sleep(sim.running.settings.simulator_payout_delay_ms / 1000 * 3)
    assert (await _status(sim, key))["status"] == "failed"
    listed = (await sim.client.get("/_sim/payouts", headers=sim.running.control_headers())).json()
    assert [p["status"] for p in listed if p["idempotency_key"] == key] == ["failed"]
    assert sim.hook.for_key(key) == []


async def test_cancel_of_a_paid_payout_changes_nothing(sim):
    key = sim.key()
    await sim.post("/v1/payouts", sim.payout_body(), key=key)
    await sim.hook.wait_for(lambda: sim.hook.for_key(key))
    r = await sim.client.post(f"/v1/payouts/by-key/{key}/cancel", headers=sim.running.api_headers())
    assert r.status_code == 200 and r.json()["status"] == "paid" and r.json()["failure_reason"] is None
    assert (await _status(sim, key))["status"] == "paid"


async def test_unknown_and_unauthenticated(sim):
    assert (await sim.get(f"/v1/payouts/by-key/{sim.key()}")).status_code == 404
    r = await sim.client.post(f"/v1/payouts/by-key/{sim.key()}/cancel")
    assert r.status_code == 401
    r = await sim.post(
        "/v1/payouts", {**sim.payout_body(), "destination": {"type": "card", "reference": "x"}}, key=sim.key()
    )
    assert r.status_code == 422
