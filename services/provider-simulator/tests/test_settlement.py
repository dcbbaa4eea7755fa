"""GET /v1/settlements/{day}: what the provider settled on a UTC day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def _ours(report: dict, keys: set[str]) -> dict[str, dict]:
    return {i["idempotency_key"]: i for i in report["items"] if i["idempotency_key"] in keys}


async def test_the_report_lists_captured_charges_and_paid_payouts_of_the_day(sim):
    card, bank, declined, paid, refused = keys = [sim.key() for _ in range(5)]
    await sim.post("/v1/charges", sim.charge_body("11.00"), key=card)
    await sim.post("/v1/charges", sim.charge_body("12.00", type="bank", reference="iban"), key=bank)
    await sim.post("/v1/charges", sim.charge_body("13.00", reference="fail-x"), key=declined)
    await sim.post("/v1/payouts", sim.payout_body("14.00"), key=paid)
    await sim.post("/v1/payouts", sim.payout_body("15.00", reference="fail-y"), key=refused)
    await sim.hook.wait_for(lambda: all(sim.hook.for_key(k) for k in keys))

    today = datetime.now(UTC).date()
    r = await sim.get(f"/v1/settlements/{today.isoformat()}")
    assert r.status_code == 200, r.text
    assert r.json()["date"] == today.isoformat()
    ours = _ours(r.json(), set(keys))
    assert {k: (i["kind"], i["amount"], i["currency"]) for k, i in ours.items()} == {
        card: ("charge", "11.00", "EGP"),
        bank: ("charge", "12.00", "EGP"),
        paid: ("payout", "14.00", "EGP"),
    }
    for item in ours.values():
        settled = datetime.fromisoformat(item["settled_at"])
        assert settled.tzinfo is not None and settled.astimezone(UTC).date() == today
        assert item["id"].startswith(("ch_", "po_"))

    yesterday = (today - timedelta(days=1)).isoformat()
    assert _ours((await sim.get(f"/v1/settlements/{yesterday}")).json(), set(keys)) == {}


async def test_pending_operations_are_not_settled(sim_factory):
    async with sim_factory(simulator_bank_delay_ms=60_000, simulator_payout_delay_ms=60_000) as sim:
        bank, payout = sim.key(), sim.key()
        assert (await sim.post("/v1/charges", sim.charge_body(type="bank", reference="i"), key=bank)).status_code == 202
        assert (await sim.post("/v1/payouts", sim.payout_body(), key=payout)).status_code == 202
        today = datetime.now(UTC).date().isoformat()
        assert _ours((await sim.get(f"/v1/settlements/{today}")).json(), {bank, payout}) == {}
        # Not left pending for the simulators of later tests on this database.
        await sim.client.post(f"/v1/payouts/by-key/{payout}/cancel", headers=sim.running.api_headers())


async def test_a_bad_date_is_422(sim):
    for bad in ("2026-13-01", "yesterday", "20261203"):
        r = await sim.get(f"/v1/settlements/{bad}")
        assert r.status_code == 422, bad
