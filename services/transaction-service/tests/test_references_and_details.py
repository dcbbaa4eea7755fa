"""Human references on every transaction, and GET /transactions/{id} (real PostgreSQL)."""

import re
import uuid

from sqlalchemy import text

from instapay_stack.e2e import DEFAULT_PIN as PIN
from transaction_service import references

REFERENCE = re.compile(r"^IP[0-9A-HJKMNP-TV-Z]{8}$")  # Crockford base32: no I, L, O, U


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


async def _send(ctx, sender, recipient, amount="10.00"):
    r = await ctx.client.post(
        "/api/v1/transfers",
        headers={**ctx.auth(sender["user_id"]), **key()},
        json={"recipient": recipient["handle"], "amount": amount, "pin": PIN},
    )
    assert r.status_code == 201, r.text
    return r.json()


async def _history(ctx, user):
    r = await ctx.client.get("/api/v1/transactions", headers=ctx.auth(user["user_id"]))
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def _detail(ctx, user, transaction_id):
    return await ctx.client.get(f"/api/v1/transactions/{transaction_id}", headers=ctx.auth(user["user_id"]))


async def test_a_transfer_has_one_reference_both_sides_see_everywhere(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    t = await _send(ctx, alice, bob, "25.00")
    assert REFERENCE.match(t["reference"]), t
    out, into = (await _history(ctx, alice))[0], (await _history(ctx, bob))[0]
    assert out["reference"] == into["reference"] == t["reference"]
    assert (await ctx.client.get(f"/api/v1/transfers/{t['id']}", headers=ctx.auth(bob["user_id"]))).json()[
        "reference"
    ] == t["reference"]
    topup = (await _history(ctx, alice))[1]
    assert topup["type"] == "topup" and REFERENCE.match(topup["reference"]) and topup["reference"] != t["reference"]
    async with ctx.app.state.db.sessionmaker() as s:
        payload = (
            await s.execute(
                text(
                    "SELECT payload FROM ledger.outbox_events WHERE event_type = 'transfer.completed' "
                    "AND payload->>'transfer_id' = :t"
                ),
                {"t": t["id"]},
            )
        ).scalar_one()
    assert payload["reference"] == t["reference"]


async def test_the_detail_of_a_transfer_for_each_side_and_404_for_anyone_else(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    t = await _send(ctx, alice, bob, "12.34")
    for who, direction, balance in ((alice, "out", "87.66"), (bob, "in", "12.34")):
        r = await _detail(ctx, who, t["id"])
        assert r.status_code == 200, r.text
        d = r.json()
        assert (d["id"], d["type"], d["direction"], d["amount"], d["balance_after"]) == (
            t["id"],
            "transfer",
            direction,
            "12.34",
            balance,
        )
        assert d["reference"] == t["reference"] and d["fee"] == "0.00" and d["status"] == "completed"
        assert d["parties"]["sender"]["handle"] == alice["handle"]
        assert d["parties"]["recipient"] == {
            "user_id": bob["user_id"],
            "handle": bob["handle"],
            "display_name": bob["display_name"],
        }
        assert d["timeline"] == [{"status": "completed", "at": t["created_at"]}]
        assert (d["payment_request_id"], d["payment_link_id"], d["refund_of"], d["dispute_id"], d["schedule_id"]) == (
            None,
            None,
            None,
            None,
            None,
        )
    stranger = await ctx.user()
    for who, tid in ((stranger, t["id"]), (alice, str(uuid.uuid4()))):
        r = await _detail(ctx, who, tid)
        assert r.status_code == 404 and r.json()["code"] == "not_found", r.text
    r = await _detail(ctx, alice, "not-a-uuid")
    assert r.status_code == 422 and r.json()["code"] == "validation_error"


async def test_top_up_and_withdrawal_details_show_their_timeline(ctx):
    alice = await ctx.user()
    topup = await ctx.topup(alice, "300.00")
    assert topup.status_code == 201 and REFERENCE.match(topup.json()["reference"]), topup.text
    d = (await _detail(ctx, alice, topup.json()["id"])).json()
    assert d["reference"] == topup.json()["reference"]
    assert [s["status"] for s in d["timeline"]] == ["pending", "completed"]
    assert d["parties"]["sender"] is None and d["parties"]["recipient"]["user_id"] == alice["user_id"]

    w = await ctx.withdraw(alice, "50.00", reference="fail-closed-account")
    assert w.status_code == 201 and REFERENCE.match(w.json()["reference"]), w.text
    d = (await _detail(ctx, alice, w.json()["id"])).json()
    assert (d["status"], [s["status"] for s in d["timeline"]]) == ("pending", ["pending"])
    assert d["parties"]["recipient"] is None and d["parties"]["sender"]["user_id"] == alice["user_id"]
    op_id = uuid.UUID(w.json()["id"])
    await ctx.deliver_payout_requests(op_id)
    headers, body = ctx.app.state.funding.settle(op_id, "payout.failed")
    assert (await ctx.post_callback(headers, body)).status_code == 200
    d = (await _detail(ctx, alice, w.json()["id"])).json()
    assert (d["status"], [s["status"] for s in d["timeline"]]) == ("failed", ["pending", "failed"])
    assert d["reference"] == w.json()["reference"]  # one reference from pending to the end
    history = {row["id"]: row["reference"] for row in await _history(ctx, alice)}
    assert history[w.json()["id"]] == w.json()["reference"]
    bob = await ctx.user()
    assert (await _detail(ctx, bob, w.json()["id"])).status_code == 404


async def test_a_reference_already_taken_is_drawn_again(ctx, monkeypatch):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    first = await _send(ctx, alice, bob)
    draws = iter([first["reference"], first["reference"]])
    real = references.new_reference
    monkeypatch.setattr(references, "new_reference", lambda: next(draws, None) or real())
    second = await _send(ctx, alice, bob)
    assert REFERENCE.match(second["reference"]) and second["reference"] != first["reference"]
    assert [row["amount"] for row in (await _history(ctx, bob))[:2]] == ["10.00", "10.00"]  # both moved, once


async def test_an_accepted_payment_request_shows_its_transfer_reference(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    req = await ctx.client.post(
        "/api/v1/payment-requests", headers=ctx.auth(bob["user_id"]), json={"payer": alice["handle"], "amount": "5.00"}
    )
    assert req.status_code == 201 and req.json()["transfer_reference"] is None, req.text
    paid = await ctx.client.post(
        f"/api/v1/payment-requests/{req.json()['id']}/accept",
        headers={**ctx.auth(alice["user_id"]), **key()},
        json={"pin": PIN},
    )
    assert paid.status_code == 201, paid.text
    listed = (await ctx.client.get("/api/v1/payment-requests", headers=ctx.auth(bob["user_id"]))).json()["items"][0]
    assert listed["transfer_id"] == paid.json()["id"] and listed["transfer_reference"] == paid.json()["reference"]
    d = (await _detail(ctx, bob, paid.json()["id"])).json()
    assert d["payment_request_id"] == req.json()["id"]
