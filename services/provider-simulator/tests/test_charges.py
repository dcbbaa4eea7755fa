"""POST /v1/charges and GET /v1/charges/by-key/{key}, as the transaction service sees them."""

from __future__ import annotations

import asyncio

from instapay_common.security.callback_signature import verify


async def test_a_card_is_captured_at_once_and_announced_by_a_signed_callback(sim):
    key = sim.key()
    r = await sim.post("/v1/charges", sim.charge_body("10.50", user_id="u-7"), key=key)
    assert r.status_code == 200, r.text
    charge = r.json()
    assert charge["id"].startswith("ch_") and charge["object"] == "charge"
    assert (charge["status"], charge["amount"], charge["currency"]) == ("succeeded", "10.50", "EGP")
    assert charge["idempotency_key"] == key and charge["metadata"] == {"user_id": "u-7"}
    assert isinstance(charge["created"], int)

    await sim.hook.wait_for(lambda: sim.hook.for_key(key))
    [callback] = sim.hook.for_key(key)
    verify([sim.secret], callback.headers["Simulator-Signature"], callback.body, tolerance_seconds=300)
    assert callback.headers["Content-Type"] == "application/json"
    event = callback.event
    assert event["id"].startswith("evt_") and event["type"] == "charge.succeeded"
    assert event["data"] == {
        "object": "charge",
        "id": charge["id"],
        "idempotency_key": key,
        "amount": "10.50",
        "currency": "EGP",
        "status": "succeeded",
        "failure_reason": None,
        "metadata": {"user_id": "u-7"},
    }

    r = await sim.get(f"/v1/charges/by-key/{key}")
    assert r.status_code == 200 and r.json() == charge


async def test_a_bank_debit_is_pending_then_succeeds_with_a_callback(sim):
    key = sim.key()
    r = await sim.post("/v1/charges", sim.charge_body("300.00", type="bank", reference="iban-EG12"), key=key)
    assert r.status_code == 202, r.text
    assert r.json()["status"] == "pending"
    await sim.hook.wait_for(lambda: sim.hook.for_key(key))
    [callback] = sim.hook.for_key(key)
    assert callback.event["type"] == "charge.succeeded" and callback.event["data"]["id"] == r.json()["id"]
    later = (await sim.get(f"/v1/charges/by-key/{key}")).json()
    assert later["status"] == "succeeded" and later["id"] == r.json()["id"]


async def test_declines_are_recorded_as_failed_charges_with_a_reason(sim):
    for source, reason in (("card", "card declined by issuer"), ("bank", "bank account refused the debit")):
        key = sim.key()
        r = await sim.post("/v1/charges", sim.charge_body(type=source, reference="fail-1"), key=key)
        assert r.status_code == 200, r.text
        assert (r.json()["status"], r.json()["failure_reason"]) == ("failed", reason)
        assert (await sim.get(f"/v1/charges/by-key/{key}")).json()["status"] == "failed"
        await sim.hook.wait_for(lambda key=key: sim.hook.for_key(key))
        assert sim.hook.for_key(key)[0].event["type"] == "charge.failed"


async def test_a_provider_error_answers_503_and_records_nothing(sim):
    key = sim.key()
    r = await sim.post("/v1/charges", sim.charge_body(reference="error-1"), key=key)
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "provider_unavailable"
    assert (await sim.get(f"/v1/charges/by-key/{key}")).status_code == 404


async def test_an_invalid_reference_gets_a_malformed_answer(sim):
    key = sim.key()
    r = await sim.post("/v1/charges", sim.charge_body(reference="invalid-1"), key=key)
    assert r.status_code == 200
    assert "id" not in r.json() and r.json()["status"] == "approved"


async def test_the_same_key_and_body_is_the_same_charge_and_a_different_body_is_409(sim):
    key = sim.key()
    body = sim.charge_body("42.00")
    first, second = await asyncio.gather(sim.post("/v1/charges", body, key=key), sim.post("/v1/charges", body, key=key))
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    # The amount spelled differently is the same request.
    again = await sim.post("/v1/charges", {**body, "amount": "42"}, key=key)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]

    other = await sim.post("/v1/charges", {**body, "amount": "43.00"}, key=key)
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"
    listed = (await sim.client.get("/_sim/charges", headers=sim.running.control_headers())).json()
    assert [c["id"] for c in listed if c["idempotency_key"] == key] == [first.json()["id"]]
    await sim.hook.wait_for(lambda: sim.hook.for_key(key))
    await asyncio.sleep(0.3)
    assert len(sim.hook.for_key(key)) == 1


async def test_a_pending_bank_debit_repeated_answers_its_current_status(sim):
    key = sim.key()
    body = sim.charge_body(type="bank", reference="iban-1")
    assert (await sim.post("/v1/charges", body, key=key)).status_code == 202
    await sim.hook.wait_for(lambda: sim.hook.for_key(key))
    r = await sim.post("/v1/charges", body, key=key)
    assert r.status_code == 200 and r.json()["status"] == "succeeded"


async def test_calls_without_the_api_key_or_a_uuid_key_or_valid_bodies_are_refused(sim):
    body = sim.charge_body()
    r = await sim.client.post("/v1/charges", json=body, headers={"Idempotency-Key": sim.key()})
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"
    wrong = {"Authorization": "Bearer nope", "Idempotency-Key": sim.key()}
    assert (await sim.client.post("/v1/charges", json=body, headers=wrong)).status_code == 401
    control = {**sim.running.control_headers(), "Idempotency-Key": sim.key()}
    assert (await sim.client.post("/v1/charges", json=body, headers=control)).status_code == 401
    assert (await sim.client.get(f"/v1/charges/by-key/{sim.key()}")).status_code == 401

    r = await sim.post("/v1/charges", body)
    assert r.status_code == 400 and r.json()["code"] == "idempotency_key_required"
    assert (await sim.post("/v1/charges", body, key="not-a-uuid")).status_code == 400
    for bad in (
        {**body, "amount": "10.001"},
        {**body, "amount": "-1.00"},
        {**body, "amount": 10.5},
        {**body, "currency": "USD"},
        {**body, "source": {"type": "cash", "reference": "x"}},
        {**body, "metadata": {"n": 1}},
    ):
        r = await sim.post("/v1/charges", bad, key=sim.key())
        assert r.status_code == 422, (bad, r.text)


async def test_an_unknown_key_is_404(sim):
    assert (await sim.get(f"/v1/charges/by-key/{sim.key()}")).status_code == 404
    assert (await sim.get("/v1/charges/by-key/not-a-uuid")).status_code == 404
