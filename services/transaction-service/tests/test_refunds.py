"""Refunds through the in-process API on real PostgreSQL: the recipient gives money back, never
more than was received (also under parallel refunds), once per Idempotency-Key, with the same
checks as a transfer; both sides see it linked in history and details."""

import asyncio
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from instapay_stack.e2e import DEFAULT_PIN as PIN


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


async def pay(ctx, sender: dict[str, Any], recipient: dict[str, Any], amount: str) -> dict[str, Any]:
    r = await ctx.client.post(
        "/api/v1/transfers",
        headers={**ctx.auth(sender["user_id"]), **key()},
        json={"recipient": recipient["handle"], "amount": amount, "pin": PIN, "note": "dinner"},
    )
    assert r.status_code == 201, r.text
    return r.json()


async def refund(ctx, user: dict[str, Any], transfer_id: str, headers: dict[str, str] | None = None, **body: Any):
    return await ctx.client.post(
        f"/api/v1/transfers/{transfer_id}/refunds",
        headers={**ctx.auth(user["user_id"]), **(headers or key())},
        json={"pin": PIN, **body},
    )


async def balance(ctx, user: dict[str, Any]) -> str:
    return (await ctx.client.get("/api/v1/wallet", headers=ctx.auth(user["user_id"]))).json()["balance"]


async def test_a_full_refund_by_default_goes_back_to_the_sender_and_both_sides_see_it_linked(ctx):
    alice = await ctx.user(balance="300.00")
    bob = await ctx.user(balance="5.00")
    t = await pay(ctx, alice, bob, "120.50")

    r = await refund(ctx, bob, t["id"], note="wrong amount")
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["amount"] == "120.50" and made["refund_of"] == t["id"] and made["status"] == "completed"
    assert made["sender"]["user_id"] == bob["user_id"] and made["recipient"]["user_id"] == alice["user_id"]
    assert made["note"] == "wrong amount" and made["reference"].startswith("IP") and made["id"] != t["id"]
    assert await balance(ctx, alice) == "300.00" and await balance(ctx, bob) == "5.00"

    # Both sides' history: the refund is a transfer with `refund_of`; the original is unchanged.
    for who, direction in ((alice, "in"), (bob, "out")):
        items = (await ctx.client.get("/api/v1/transactions", headers=ctx.auth(who["user_id"]))).json()["items"]
        first, second = items[0], items[1]
        assert (first["type"], first["direction"], first["refund_of"], first["transfer_id"]) == (
            "transfer",
            direction,
            t["id"],
            made["id"],
        )
        assert second["id"] == t["id"] and second["refund_of"] is None and second["status"] == "completed"
        d = (await ctx.client.get(f"/api/v1/transactions/{made['id']}", headers=ctx.auth(who["user_id"]))).json()
        assert d["refund_of"] == t["id"] and d["refunds"] == [] and d["refundable_amount"] is None
        o = (await ctx.client.get(f"/api/v1/transactions/{t['id']}", headers=ctx.auth(who["user_id"]))).json()
        assert o["refund_of"] is None and o["refunded_amount"] == "120.50"
        assert [(x["id"], x["type"], x["amount"], x["reference"]) for x in o["refunds"]] == [
            (made["id"], "refund", "120.50", made["reference"])
        ]
        # Only the recipient may refund: only they are told what is left.
        assert o["refundable_amount"] == ("0.00" if who is bob else None)
    got = await ctx.client.get(f"/api/v1/transfers/{made['id']}", headers=ctx.auth(alice["user_id"]))
    assert got.status_code == 200 and got.json() == made

    # One transfer.completed (reporting counts it as money moved) and one refund.created (both told).
    async with ctx.app.state.db.sessionmaker() as s:
        rows = (
            await s.execute(
                text(
                    "SELECT event_type, payload FROM ledger.outbox_events WHERE payload->>'transfer_id' = :r "
                    "OR payload->>'refund_id' = :r ORDER BY seq"
                ),
                {"r": made["id"]},
            )
        ).all()
    assert [e for e, _ in rows] == ["transfer.completed", "refund.created"]
    assert rows[0][1]["refund_of"] == t["id"] and rows[0][1]["sender"]["balance_after"] == "5.00"
    created = rows[1][1]
    assert created["refund_of"] == t["id"] and created["original_reference"] == t["reference"]
    assert created["amount"] == "120.50" and created["recipient"]["user_id"] == alice["user_id"]


async def test_partial_refunds_add_up_to_the_transfer_and_no_further(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user(balance="500.00")
    t = await pay(ctx, alice, bob, "100.00")
    assert (await refund(ctx, bob, t["id"], amount="30.00")).status_code == 201
    assert (await refund(ctx, bob, t["id"], amount="45.5")).status_code == 201

    over_key = key()
    r = await refund(ctx, bob, t["id"], headers=over_key, amount="24.51")
    assert r.status_code == 422 and r.json()["code"] == "refund_exceeds_transfer", r.text
    assert r.json()["refundable_amount"] == "24.50"
    # A decline decided at the ledger is stored with its key, like insufficient funds.
    again = await refund(ctx, bob, t["id"], headers=over_key, amount="24.51")
    assert again.status_code == 422 and again.headers["Idempotent-Replayed"] == "true"

    r = await refund(ctx, bob, t["id"])  # the rest
    assert r.status_code == 201 and r.json()["amount"] == "24.50"
    r = await refund(ctx, bob, t["id"])
    assert r.status_code == 422 and r.json()["code"] == "refund_exceeds_transfer"
    assert r.json()["refundable_amount"] == "0.00"
    assert await balance(ctx, alice) == "100.00" and await balance(ctx, bob) == "500.00"


async def test_only_the_recipient_of_a_transfer_may_refund_it(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user(balance="10.00")
    stranger = await ctx.user(balance="10.00")
    t = await pay(ctx, alice, bob, "50.00")
    for who, target in ((alice, t["id"]), (stranger, t["id"]), (bob, str(uuid.uuid4()))):
        r = await refund(ctx, who, target)
        assert r.status_code == 404 and r.json()["code"] == "not_found", r.text

    # The caller's own top-up, and a refund (the original sender cannot refund the refund).
    topup = (await ctx.client.get("/api/v1/transactions", headers=ctx.auth(bob["user_id"]))).json()["items"][-1]
    assert topup["type"] == "topup"
    r = await refund(ctx, bob, topup["id"])
    assert r.status_code == 422 and r.json()["code"] == "transfer_not_refundable"
    made = (await refund(ctx, bob, t["id"], amount="5.00")).json()
    r = await refund(ctx, alice, made["id"])
    assert r.status_code == 422 and r.json()["code"] == "transfer_not_refundable"
    assert await balance(ctx, alice) == "55.00" and await balance(ctx, stranger) == "10.00"


async def test_bad_input_and_pin_refusals_store_nothing_and_move_nothing(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    t = await pay(ctx, alice, bob, "40.00")
    path = f"/api/v1/transfers/{t['id']}/refunds"
    bad_bodies: list[dict[str, Any]] = [
        {"amount": "0", "pin": PIN},
        {"amount": "-5", "pin": PIN},
        {"amount": "1.001", "pin": PIN},
        {"amount": "NaN", "pin": PIN},
        {"amount": "70000.01", "pin": PIN},
        {"amount": "5.00"},  # no PIN
        {"amount": "5.00", "pin": PIN, "refund_of": t["id"]},  # unknown field
        {"amount": "5.00", "pin": PIN, "note": "x" * 1000},
    ]
    for body in bad_bodies:
        r = await ctx.client.post(path, headers={**ctx.auth(bob["user_id"]), **key()}, json=body)
        assert r.status_code == 422 and r.json()["code"] == "validation_error", (body, r.text)
    r = await ctx.client.post("/api/v1/transfers/not-a-uuid/refunds", headers={**ctx.auth(bob["user_id"]), **key()})
    assert r.status_code == 422
    r = await ctx.client.post(path, headers=ctx.auth(bob["user_id"]), json={"pin": PIN})
    assert r.status_code == 400 and r.json()["code"] == "idempotency_key_required"

    wrong = key()
    r = await ctx.client.post(path, headers={**ctx.auth(bob["user_id"]), **wrong}, json={"pin": "000000"})
    assert r.status_code == 403 and r.json()["code"] == "invalid_pin"
    # Refused before the ledger: the same key works once the PIN is right.
    r = await ctx.client.post(path, headers={**ctx.auth(bob["user_id"]), **wrong}, json={"pin": PIN})
    assert r.status_code == 201 and r.json()["amount"] == "40.00"


async def test_a_replayed_key_answers_the_same_refund_and_moves_money_once(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    t = await pay(ctx, alice, bob, "60.00")
    same = key()
    first = await refund(ctx, bob, t["id"], headers=same, amount="20.00")
    second = await refund(ctx, bob, t["id"], headers=same, amount="20.00")
    assert first.status_code == second.status_code == 201
    assert second.headers["Idempotent-Replayed"] == "true" and second.content == first.content
    other = await refund(ctx, bob, t["id"], headers=same, amount="21.00")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert await balance(ctx, bob) == "40.00"


async def test_refunds_go_through_the_transfer_checks(ctx_factory):
    async with ctx_factory(limit_daily="150") as ctx:
        alice = await ctx.user(balance="500.00")
        bob = await ctx.user(balance="200.00")
        t = await pay(ctx, alice, bob, "100.00")
        # The refund is money the recipient sends: their own daily limit counts it.
        await pay(ctx, bob, alice, "120.00")
        r = await refund(ctx, bob, t["id"], amount="40.00")
        assert r.status_code == 422 and r.json()["code"] == "limit_exceeded", r.text

        await ctx.freeze(bob, reason="check")
        r = await refund(ctx, bob, t["id"], amount="10.00")
        assert r.status_code == 423 and r.json()["code"] == "account_frozen"


async def test_parallel_refunds_of_one_transfer_never_exceed_it(ctx):
    """20 refunds of 15.00 at once against a 100.00 transfer: six pass (90.00), the others are
    refused; the ledger's refunds of it sum to 90.00, and money is conserved."""
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user(balance="1000.00")
    t = await pay(ctx, alice, bob, "100.00")
    answers = await asyncio.gather(*(refund(ctx, bob, t["id"], amount="15.00") for _ in range(20)))
    codes = sorted((a.status_code, a.json().get("code")) for a in answers)
    assert codes.count((201, None)) == 6, codes
    assert codes.count((422, "refund_exceeds_transfer")) == 14, codes
    refunded = await ctx.scalar(
        "SELECT coalesce(sum(amount), 0) FROM ledger.journal_entries WHERE refund_of = :t", t=uuid.UUID(t["id"])
    )
    assert refunded == Decimal("90.00")
    assert await balance(ctx, alice) == "90.00" and await balance(ctx, bob) == "1010.00"

    # And with no amount (everything left) racing partial ones: still never above the transfer.
    t2 = await pay(ctx, alice, bob, "50.00")
    answers = await asyncio.gather(
        *(refund(ctx, bob, t2["id"], **({"amount": "20.00"} if i % 2 else {})) for i in range(10))
    )
    assert sum(Decimal(a.json()["amount"]) for a in answers if a.status_code == 201) == Decimal("50.00")
    assert await ctx.scalar(
        "SELECT sum(amount) FROM ledger.journal_entries WHERE refund_of = :t", t=uuid.UUID(t2["id"])
    ) == Decimal("50.00")
