"""The control endpoints and each fault the proof suites switch on."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from instapay_common.security.callback_signature import SignatureError, verify

DEFAULTS = {
    "down": False,
    "error_rate": 0.0,
    "timeout_rate": 0.0,
    "timeout_seconds": 10.0,
    "callback_delay_ms": 0,
    "duplicate_callbacks": False,
    "reorder_callbacks": False,
    "forge_callbacks": False,
}


async def test_faults_need_the_control_token_merge_and_reset(sim):
    control = sim.running.control_headers()
    assert (await sim.client.get("/_sim/faults")).status_code == 401
    assert (await sim.client.get("/_sim/faults", headers=sim.running.api_headers())).status_code == 401
    assert (await sim.client.get("/_sim/payouts", headers=sim.running.api_headers())).status_code == 401
    assert (await sim.client.get("/_sim/faults", headers=control)).json() == DEFAULTS
    r = await sim.faults(error_rate=0.25, duplicate_callbacks=True)
    assert r.status_code == 200 and r.json() == {**DEFAULTS, "error_rate": 0.25, "duplicate_callbacks": True}
    r = await sim.faults(down=True)
    assert r.json() == {**DEFAULTS, "error_rate": 0.25, "duplicate_callbacks": True, "down": True}
    assert (await sim.faults(error_rate=2)).status_code == 422
    assert (await sim.faults(surprise=True)).status_code == 422
    r = await sim.client.post("/_sim/reset-faults", headers=control)
    assert r.status_code == 200 and r.json() == DEFAULTS
    assert (await sim.client.get("/_sim/faults", headers=control)).json() == DEFAULTS


async def test_down_answers_503_to_every_v1_call_and_records_nothing(sim):
    key = sim.key()
    await sim.faults(down=True)
    for r in (
        await sim.post("/v1/charges", sim.charge_body(), key=key),
        await sim.post("/v1/payouts", sim.payout_body(), key=key),
        await sim.get(f"/v1/charges/by-key/{key}"),
        await sim.get("/v1/settlements/2026-12-01"),
        await sim.client.post(f"/v1/payouts/by-key/{key}/cancel", headers=sim.running.api_headers()),
    ):
        assert r.status_code == 503 and r.json()["code"] == "provider_unavailable"
    await sim.faults(down=False)
    assert (await sim.get(f"/v1/charges/by-key/{key}")).status_code == 404
    assert (await sim.get(f"/v1/payouts/by-key/{key}")).status_code == 404


async def test_error_rate_refuses_posts_before_recording_them(sim):
    await sim.faults(error_rate=1.0)
    key = sim.key()
    assert (await sim.post("/v1/charges", sim.charge_body(), key=key)).status_code == 503
    assert (await sim.post("/v1/payouts", sim.payout_body(), key=key)).status_code == 503
    assert (await sim.get(f"/v1/charges/by-key/{key}")).status_code == 404
    assert (await sim.get(f"/v1/payouts/by-key/{key}")).status_code == 404
    await sim.faults(error_rate=0.5)
    outcomes = [(await sim.post("/v1/charges", sim.charge_body(), key=sim.key())).status_code for _ in range(40)]
    assert outcomes.count(503) in range(5, 36) and set(outcomes) == {200, 503}
    await sim.drain()


async def test_timeout_rate_records_the_call_but_answers_too_late(sim):
    await sim.faults(timeout_rate=1.0, timeout_seconds=1.5)
    key = sim.key()
    with pytest.raises(httpx.ReadTimeout):
        await sim.client.post(
            "/v1/charges",
            json=sim.charge_body(),
            headers=sim.running.api_headers(**{"Idempotency-Key": key}),
            timeout=0.3,
        )
    await sim.faults(timeout_rate=0.0)
    r = await sim.get(f"/v1/charges/by-key/{key}")
    assert r.status_code == 200 and r.json()["status"] == "succeeded"
    await sim.hook.wait_for(lambda: sim.hook.for_key(key))


async def test_callback_delay_holds_each_callback_back(sim):
    await sim.faults(callback_delay_ms=700)
    key = sim.key()
    started = time.monotonic()
    await sim.post("/v1/charges", sim.charge_body(), key=key)
    await sim.hook.wait_for(lambda: sim.hook.for_key(key))
    assert time.monotonic() - started >= 0.65


async def test_duplicate_callbacks_send_each_event_twice(sim):
    await sim.faults(duplicate_callbacks=True)
    key = sim.key()
    await sim.post("/v1/charges", sim.charge_body(), key=key)
    await sim.hook.wait_for(lambda: len(sim.hook.for_key(key)) == 2)
    first, second = sim.hook.for_key(key)
    assert first.event["id"] == second.event["id"] and first.body == second.body
    for c in (first, second):
        verify([sim.secret], c.headers["Simulator-Signature"], c.body, tolerance_seconds=300)


async def test_forge_callbacks_adds_one_with_a_wrong_signature(sim):
    await sim.faults(forge_callbacks=True)
    key = sim.key()
    await sim.post("/v1/charges", sim.charge_body(), key=key)
    await sim.hook.wait_for(lambda: len(sim.hook.for_key(key)) == 2)
    good, bad = 0, 0
    for c in sim.hook.for_key(key):
        try:
            verify([sim.secret], c.headers["Simulator-Signature"], c.body, tolerance_seconds=300)
            good += 1
        except SignatureError:
            bad += 1
    assert (good, bad) == (1, 1)


async def test_reorder_callbacks_sends_newest_first(sim):
    await sim.drain()
    await sim.faults(reorder_callbacks=True)
    keys = [sim.key() for _ in range(3)]
    for key in keys:
        await sim.post("/v1/charges", sim.charge_body(), key=key)
    await sim.hook.wait_for(lambda: all(sim.hook.for_key(k) for k in keys))
    arrived = [
        c.event["data"]["idempotency_key"] for c in sim.hook.received if c.event["data"]["idempotency_key"] in keys
    ]
    assert arrived != keys and arrived[0] != keys[0], arrived


async def test_a_lone_callback_is_not_held_forever_when_reordering(sim):
    await sim.faults(reorder_callbacks=True)
    key = sim.key()
    await sim.post("/v1/charges", sim.charge_body(), key=key)
    await sim.hook.wait_for(lambda: sim.hook.for_key(key), within=5)


async def test_sim_lists_every_charge_and_payout(sim):
    charge_key, payout_key = sim.key(), sim.key()
    charge = (await sim.post("/v1/charges", sim.charge_body("5.00"), key=charge_key)).json()
    payout = (await sim.post("/v1/payouts", sim.payout_body("6.00"), key=payout_key)).json()
    await asyncio.sleep(0)
    charges = (await sim.client.get("/_sim/charges", headers=sim.running.control_headers())).json()
    payouts = (await sim.client.get("/_sim/payouts", headers=sim.running.control_headers())).json()
    assert {
        "id": charge["id"],
        "idempotency_key": charge_key,
        "amount": "5.00",
        "status": "succeeded",
        "failure_reason": None,
    } in charges
    assert [p["id"] for p in payouts if p["idempotency_key"] == payout_key] == [payout["id"]]
    assert not [c for c in charges if c["idempotency_key"] == payout_key]
