"""Callback delivery: signed, retried with backoff until a 2xx with the same event, persisted
across a restart of the simulator."""

from __future__ import annotations

import pytest

from instapay_common.security.callback_signature import SignatureError, verify


async def test_the_signature_verifies_and_fails_under_another_secret_or_a_changed_body(sim):
    key = sim.key()
    await sim.post("/v1/charges", sim.charge_body(), key=key)
    await sim.hook.wait_for(lambda: sim.hook.for_key(key))
    [callback] = sim.hook.for_key(key)
    header = callback.headers["Simulator-Signature"]
    assert header.startswith("t=") and ",v1=" in header
    verify([b"old-secret", sim.secret], header, callback.body, tolerance_seconds=300)
    with pytest.raises(SignatureError):
        verify([b"another-secret"], header, callback.body, tolerance_seconds=300)
    with pytest.raises(SignatureError):
        verify([sim.secret], header, callback.body.replace(b"10.00", b"99.00"), tolerance_seconds=300)


async def test_a_failing_receiver_gets_the_same_event_until_it_answers_2xx(sim):
    sim.hook.fail_first = 3
    key = sim.key()
    await sim.post("/v1/charges", sim.charge_body(), key=key)
    await sim.hook.wait_for(lambda: sim.hook.for_key(key))
    refused = [c for c in sim.hook.refused if c.event["data"]["idempotency_key"] == key]
    assert len(refused) == 3
    [delivered] = sim.hook.for_key(key)
    assert {c.event["id"] for c in refused} == {delivered.event["id"]}
    assert {c.body for c in refused} == {delivered.body}
    for attempt in (*refused, delivered):  # each attempt is signed afresh, and verifies
        verify([sim.secret], attempt.headers["Simulator-Signature"], attempt.body, tolerance_seconds=300)


async def test_callbacks_survive_a_restart_of_the_simulator(sim_factory):
    async with sim_factory(simulator_webhook_url="http://127.0.0.1:9/unreachable") as first:
        key = first.key()
        assert (await first.post("/v1/charges", first.charge_body("77.00"), key=key)).status_code == 200
    # The first process is gone with its callback undelivered; the next one delivers it.
    async with sim_factory() as second:
        await second.hook.wait_for(lambda: second.hook.for_key(key))
        event = second.hook.for_key(key)[0].event
        assert event["type"] == "charge.succeeded" and event["data"]["amount"] == "77.00"


async def test_a_confirmation_due_while_the_simulator_was_down_still_happens(sim_factory):
    async with sim_factory(simulator_payout_delay_ms=300) as first:
        key = first.key()
        assert (await first.post("/v1/payouts", first.payout_body(), key=key)).status_code == 202
    async with sim_factory() as second:
        await second.hook.wait_for(lambda: second.hook.for_key(key))
        assert second.hook.for_key(key)[0].event["type"] == "payout.paid"
