"""Holds as a ledger capability (place, post, release, expire; the database refuses an available
balance below zero), and reconciliation of the provider's settlement report with the ledger."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from instapay_common.db import rawsql
from transaction_service.exceptions import InsufficientFunds
from transaction_service.funding.in_process import _Record
from transaction_service.repository import accounts
from transaction_service.service import holds, reconciliation


async def _locked(conn, user):
    return (await accounts.lock(conn, [uuid.UUID(user["user_id"])]))[uuid.UUID(user["user_id"])]


async def test_a_hold_reserves_then_posts_or_releases(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    db = ctx.app.state.db
    async with rawsql.transaction(db) as conn:
        first = await holds.place(conn, await _locked(conn, alice), Decimal("70.00"), reason="test", ttl=timedelta(1))
    assert await ctx.balances(alice) == (Decimal("100.00"), Decimal("30.00"))
    async with rawsql.transaction(db) as conn:
        with pytest.raises(InsufficientFunds):
            await holds.place(conn, await _locked(conn, alice), Decimal("30.01"), reason="test", ttl=timedelta(1))
        second = await holds.place(conn, await _locked(conn, alice), Decimal("30.00"), reason="test", ttl=timedelta(1))
    async with rawsql.transaction(db) as conn:
        await _locked(conn, alice)
        bob_account = (await _locked(conn, bob)).id
        entry = uuid.uuid4()
        posted = await holds.post(conn, first.id, counter_account=bob_account, entry_type="transfer", entry_id=entry)
        assert posted is not None and posted.balances[first.account_id] == Decimal("30.00")
        assert (
            await holds.post(conn, first.id, counter_account=bob_account, entry_type="transfer", entry_id=entry) is None
        )
        released = await holds.release(conn, second.id)
        assert released is not None and released.status == "released"
        assert await holds.release(conn, second.id) is None  # once
    assert await ctx.balances(alice) == (Decimal("30.00"), Decimal("30.00"))
    assert await ctx.balances(bob) == (Decimal("70.00"), Decimal("70.00"))


async def test_the_database_refuses_an_available_balance_below_zero(ctx):
    alice = await ctx.user(balance="10.00")
    with pytest.raises(IntegrityError, match="ck_accounts_user_available_non_negative"):
        await ctx.scalar(
            "UPDATE ledger.accounts SET held = 10.01 WHERE user_id = :u RETURNING held", u=uuid.UUID(alice["user_id"])
        )


async def test_expired_holds_of_no_operation_are_released_by_the_sweeper(ctx):
    from transaction_service.service import funding_sweeper

    alice = await ctx.user(balance="50.00")
    async with rawsql.transaction(ctx.app.state.db) as conn:
        hold = await holds.place(
            conn, await _locked(conn, alice), Decimal("20.00"), reason="test", ttl=timedelta(microseconds=1)
        )
    app = ctx.app
    await funding_sweeper.sweep(app.state.db, app.state.funding, app.state.settings)
    assert await ctx.balances(alice) == (Decimal("50.00"), Decimal("50.00"))
    assert await ctx.scalar("SELECT status FROM ledger.holds WHERE id = :i", i=hold.id) == "expired"


async def test_reconciliation_lists_every_kind_of_discrepancy(ctx):
    alice = await ctx.user()
    provider = ctx.app.state.funding
    matched = await ctx.topup(alice, "10.00", "card")
    pending = uuid.UUID((await ctx.topup(alice, "20.00", "bank")).json()["id"])
    assert matched.status_code == 201 and (await ctx.balances(alice))[0] == Decimal("10.00")
    today = datetime.now(UTC).date()
    admin = ctx.auth(str(uuid.uuid4()), roles=["admin"])
    ours = {matched.json()["id"], str(pending)}

    def mine(items):  # other tests share the database (and the provider name)
        return [i for i in items if i["operation_id"] in ours]

    run = await reconciliation.reconcile(ctx.app.state.db, provider, today)
    assert not mine(run.missing_in_ledger) and not mine(run.missing_at_provider) and not mine(run.amount_mismatch)
    # The provider settles the bank debit but its callback never comes; it also reports a charge
    # we never asked for, and changes the amount of the card capture in its report.
    provider.settle(pending, "charge.succeeded")
    stranger = uuid.uuid4()
    ours.add(str(stranger))
    provider.records[("charge", stranger)] = _Record(
        "charge", "ch_x", stranger, Decimal("5.00"), "succeeded", None, {}, datetime.now(UTC)
    )
    card = provider.records[("charge", uuid.UUID(matched.json()["id"]))]
    card.amount = Decimal("10.50")
    r = await ctx.client.get("/api/v1/admin/reconciliation", headers=admin, params={"date": today.isoformat()})
    assert r.status_code == 200, r.text  # the stored run of today (this call does not rerun it)
    run = await reconciliation.reconcile(ctx.app.state.db, provider, today)
    body = reconciliation.run_body(run)
    assert {i["operation_id"] for i in body["missing_in_ledger"]} >= {str(pending), str(stranger)}
    assert [i["operation_id"] for i in body["amount_mismatch"] if i["operation_id"] == matched.json()["id"]] == [
        matched.json()["id"]
    ]
    r = await ctx.client.get("/api/v1/admin/reconciliation", headers=admin, params={"date": today.isoformat()})
    assert r.json()["amount_mismatch"] == body["amount_mismatch"]
    # a completed operation the provider does not know is missing at the provider
    del provider.records[("charge", uuid.UUID(matched.json()["id"]))]
    run = await reconciliation.reconcile(ctx.app.state.db, provider, today)
    assert matched.json()["id"] in {i["operation_id"] for i in run.missing_at_provider}
    r = await ctx.client.get("/api/v1/admin/reconciliation", headers=ctx.auth(alice["user_id"]), params={"date": "x"})
    assert r.status_code in (403, 422)
