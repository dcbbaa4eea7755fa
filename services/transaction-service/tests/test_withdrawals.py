"""Two-phase withdrawals: the request holds the money (201 `pending`), the payout is requested
from the provider when the relay delivers `withdrawal.requested`, and the provider's callback
posts the hold (`completed`) or releases it (`failed`). Duplicated, reordered and late callbacks
move nothing twice; an unconfirmed payout is cancelled when its hold expires."""

import asyncio
import uuid
from datetime import timedelta
from decimal import Decimal

from transaction_service.service import funding_sweeper


async def _events(ctx, event_type, op_id):
    return await ctx.scalar(
        "SELECT count(*) FROM ledger.outbox_events WHERE event_type = :t AND payload->>'transaction_id' = :i",
        t=event_type,
        i=str(op_id),
    )


async def _history(ctx, user):
    r = await ctx.client.get("/api/v1/transactions", headers=ctx.auth(user["user_id"]))
    return r.json()["items"]


async def test_a_withdrawal_holds_then_posts_when_the_provider_pays(ctx):
    alice = await ctx.user(balance="300.00")
    r = await ctx.withdraw(alice, "120.00")
    assert r.status_code == 201 and r.json()["status"] == "pending", r.text
    op_id = uuid.UUID(r.json()["id"])
    assert await ctx.balances(alice) == (Decimal("300.00"), Decimal("180.00"))
    assert (await _history(ctx, alice))[0] == r.json()  # the pending row leads the history
    # nothing can spend the held money meanwhile
    r2 = await ctx.withdraw(alice, "180.01")
    assert r2.status_code == 422 and r2.json()["code"] == "insufficient_funds"

    assert await ctx.deliver_payout_requests(op_id) == ["applied"]
    # redelivered (a relay retry): asked again under the same idempotency key, still one payout
    assert await ctx.deliver_payout_requests(op_id) == ["applied"]
    provider = ctx.app.state.funding
    assert [k for k in provider.records if k[0] == "payout"] == [("payout", op_id)]
    assert provider.records[("payout", op_id)].status == "pending"
    headers, body = provider.settle(op_id, "payout.paid")
    r = await ctx.post_callback(headers, body)
    assert r.status_code == 200 and r.json() == {"status": "applied"}
    assert await ctx.balances(alice) == (Decimal("180.00"), Decimal("180.00"))
    row = (await _history(ctx, alice))[0]
    assert (row["id"], row["status"], row["balance_after"]) == (str(op_id), "completed", "180.00")
    # the same callback again, and again concurrently: 200, nothing moves
    answers = await asyncio.gather(*(ctx.post_callback(headers, body) for _ in range(5)))
    assert {a.status_code for a in answers} == {200} and {a.json()["status"] for a in answers} == {"duplicate"}
    assert await ctx.balances(alice) == (Decimal("180.00"), Decimal("180.00"))
    assert await ctx.scalar("SELECT count(*) FROM ledger.journal_entries WHERE id = :i", i=op_id) == 1
    assert (
        await ctx.scalar(
            "SELECT h.status FROM ledger.holds h JOIN ledger.funding_operations o ON o.hold_id = h.id WHERE o.id = :i",
            i=op_id,
        )
        == "posted"
    )
    assert await _events(ctx, "withdrawal.completed", op_id) == 1


async def test_a_failed_payout_releases_the_hold_and_the_limit(ctx):
    alice = await ctx.user(balance="500.00")
    before = (await ctx.client.get("/api/v1/wallet", headers=ctx.auth(alice["user_id"]))).json()["limits"]
    r = await ctx.withdraw(alice, "200.00", reference="fail-closed-account")
    op_id = uuid.UUID(r.json()["id"])
    used = (await ctx.client.get("/api/v1/wallet", headers=ctx.auth(alice["user_id"]))).json()["limits"]
    assert Decimal(used["daily_used"]) == Decimal(before["daily_used"]) + 200
    await ctx.deliver_payout_requests(op_id)
    headers, body = ctx.app.state.funding.settle(op_id, "payout.failed")
    assert (await ctx.post_callback(headers, body)).json() == {"status": "applied"}
    assert await ctx.balances(alice) == (Decimal("500.00"), Decimal("500.00"))
    after = (await ctx.client.get("/api/v1/wallet", headers=ctx.auth(alice["user_id"]))).json()["limits"]
    assert after["daily_used"] == before["daily_used"]
    row = (await _history(ctx, alice))[0]
    assert (row["id"], row["status"]) == (str(op_id), "failed")
    assert await _events(ctx, "withdrawal.failed", op_id) == 1
    # a "paid" arriving after the failure (out of order, or a lying provider) moves nothing
    paid_headers, paid_body = ctx.app.state.funding.callback(
        ctx.app.state.funding.records[("payout", op_id)], "payout.paid"
    )
    assert (await ctx.post_callback(paid_headers, paid_body)).status_code == 200
    assert await ctx.balances(alice) == (Decimal("500.00"), Decimal("500.00"))


async def test_out_of_order_callbacks_first_terminal_outcome_wins(ctx):
    alice = await ctx.user(balance="100.00")
    op_id = uuid.UUID((await ctx.withdraw(alice, "60.00")).json()["id"])
    await ctx.deliver_payout_requests(op_id)
    provider = ctx.app.state.funding
    paid = provider.settle(op_id, "payout.paid")
    failed = provider.callback(provider.records[("payout", op_id)], "payout.failed")
    # the failure is delivered after the payment, then the payment again: one debit
    for headers, body in (paid, failed, paid):
        assert (await ctx.post_callback(headers, body)).status_code == 200
    assert await ctx.balances(alice) == (Decimal("40.00"), Decimal("40.00"))


async def test_a_provider_that_cannot_be_reached_is_retried_by_the_relay(ctx):
    alice = await ctx.user(balance="100.00")
    op_id = uuid.UUID((await ctx.withdraw(alice, "10.00", reference="error-bank-down")).json()["id"])
    assert await ctx.deliver_payout_requests(op_id) == ["failed"]  # the relay retries a failed delivery
    assert ("payout", op_id) not in ctx.app.state.funding.records
    assert await ctx.balances(alice) == (Decimal("100.00"), Decimal("90.00"))


async def test_an_unconfirmed_payout_is_cancelled_when_its_hold_expires(ctx_factory):
    async with ctx_factory(withdrawal_hold_ttl=timedelta(milliseconds=1)) as ctx:
        alice = await ctx.user(balance="100.00")
        never_sent = uuid.UUID((await ctx.withdraw(alice, "30.00")).json()["id"])
        sent = uuid.UUID((await ctx.withdraw(alice, "20.00")).json()["id"])
        paid = uuid.UUID((await ctx.withdraw(alice, "10.00")).json()["id"])
        provider = ctx.app.state.funding
        for op_id, amount in ((sent, "20.00"), (paid, "10.00")):
            await provider.payout(
                operation_id=op_id, reference="iban", amount=Decimal(amount), currency="EGP", metadata={}
            )
        provider.settle(paid, "payout.paid")  # paid, but its callback is lost
        await asyncio.sleep(0.01)
        app = ctx.app
        assert await funding_sweeper.sweep(app.state.db, provider, app.state.settings) >= 3
        assert await ctx.balances(alice) == (Decimal("90.00"), Decimal("90.00"))
        statuses = {
            op: await ctx.scalar("SELECT status FROM ledger.funding_operations WHERE id = :i", i=op)
            for op in (never_sent, sent, paid)
        }
        assert statuses == {never_sent: "failed", sent: "failed", paid: "completed"}
        # the payout the relay sends late, after the cancel, is never paid
        assert provider.records[("payout", never_sent)].status == "failed"
        late = await provider.payout(
            operation_id=never_sent, reference="iban", amount=Decimal("30.00"), currency="EGP", metadata={}
        )
        assert late.status == "failed"
        holds = await ctx.scalar(
            "SELECT string_agg(h.status, ',' ORDER BY h.status) FROM ledger.holds h "
            "JOIN ledger.funding_operations o ON o.hold_id = h.id WHERE o.user_id = :u",
            u=uuid.UUID(alice["user_id"]),
        )
        assert holds == "expired,expired,posted"


async def test_concurrent_withdrawals_never_hold_more_than_the_balance(ctx):
    alice = await ctx.user(balance="100.00")
    answers = await asyncio.gather(*(ctx.withdraw(alice, "30.00") for _ in range(8)))
    assert sorted(a.status_code for a in answers) == [201] * 3 + [422] * 5
    assert await ctx.balances(alice) == (Decimal("100.00"), Decimal("10.00"))
