"""Two admins change a wallet's spending limits (`wallet.limits`): the transfer is checked against
the new limits, the owner's `GET /wallet` and the operators' view show them, and bad bodies or a
self-approval change nothing."""

import uuid

from instapay_stack.e2e import DEFAULT_PIN as PIN


async def _send(ctx, sender, recipient, amount: str):
    return await ctx.client.post(
        "/api/v1/transfers",
        headers={**ctx.auth(sender["user_id"]), "Idempotency-Key": uuid.uuid4().hex},
        json={"recipient": recipient["handle"], "amount": amount, "pin": PIN},
    )


async def _change(ctx, user, body: dict) -> dict:
    """Proposed by one admin, approved by another: the approval's answer."""
    r = await ctx.client.post(f"/api/v1/admin/wallets/{user['user_id']}/limits", headers=ctx.admin(), json=body)
    assert r.status_code == 202 and r.json()["status"] == "pending", r.text
    approved = await ctx.client.post(f"/api/v1/admin/approvals/{r.json()['approval_id']}/approve", headers=ctx.admin())
    assert approved.status_code == 200, approved.text
    return approved.json()


async def test_approved_limits_are_what_a_transfer_is_checked_against(ctx_factory):
    async with ctx_factory(limit_per_transaction="100.00", limit_daily="500.00", limit_monthly="1000.00") as ctx:
        await _limits_apply(ctx)


async def _limits_apply(ctx) -> None:
    alice = await ctx.user(balance="100.00")
    assert (await ctx.topup(alice, "100.00")).status_code == 201  # a top-up has the default maximum
    bob = await ctx.user(balance="100.00")
    admin_path = f"/api/v1/admin/wallets/{alice['user_id']}"

    # Lowered: a transfer the defaults allow is now over the daily limit.
    result = await _change(ctx, alice, {"daily": "50.00", "reason": "Customer asked for a lower limit"})
    assert result["result"]["limits"]["daily"] == "50.00"
    assert (await _send(ctx, alice, bob, "30.00")).status_code == 201
    over = await _send(ctx, alice, bob, "30.00")
    assert over.status_code == 422 and over.json()["code"] == "limit_exceeded", over.text
    wallet = (await ctx.client.get("/api/v1/wallet", headers=ctx.auth(alice["user_id"]))).json()
    assert wallet["limits"]["daily"] == "50.00" and wallet["limits"]["daily_remaining"] == "20.00"
    assert wallet["limits"]["per_transaction"] == "100.00"  # not named: still the default
    view = (await ctx.client.get(admin_path, headers=ctx.admin())).json()
    assert view["limit_overrides"] == {"per_transaction": None, "daily": "50.00", "monthly": None}

    # Raised above the default per transaction (the daily default restored by null).
    await _change(ctx, alice, {"per_transaction": "200.00", "daily": None, "reason": "Business account"})
    assert (await _send(ctx, alice, bob, "150.00")).status_code == 201
    view = (await ctx.client.get(admin_path, headers=ctx.admin())).json()
    assert view["limit_overrides"] == {"per_transaction": "200.00", "daily": None, "monthly": None}
    assert view["limits"]["per_transaction"] == "200.00" and view["limits"]["daily"] == "500.00"
    # Another wallet keeps the default maximum.
    other = await _send(ctx, bob, alice, "150.00")
    assert other.status_code == 422 and other.json()["code"] == "validation_error"

    audited = await ctx.scalar(
        "SELECT string_agg(action || '=' || coalesce(details->>'daily', '-'), '|' ORDER BY id) "
        "FROM ledger.audit_log WHERE subject = :u AND action LIKE 'wallet.limits.%'",
        u=alice["user_id"],
    )
    assert audited == (
        "wallet.limits.proposed=50.00|wallet.limits.approved=50.00|wallet.limits.proposed=-|wallet.limits.approved=-"
    )


async def test_the_proposer_cannot_approve_and_bad_bodies_change_nothing(ctx):
    alice = await ctx.user()
    admin = ctx.admin()
    path = f"/api/v1/admin/wallets/{alice['user_id']}/limits"

    r = await ctx.client.post(path, headers=admin, json={"monthly": "1000.00", "reason": "Risk review"})
    assert r.status_code == 202
    own = await ctx.client.post(f"/api/v1/admin/approvals/{r.json()['approval_id']}/approve", headers=admin)
    assert own.status_code == 403 and own.json()["code"] == "forbidden"

    bad_bodies = [
        {},
        {"reason": "no limit named"},
        {"daily": "100.00"},  # no reason
        {"daily": "100.00", "reason": ""},
        {"daily": "0", "reason": "zero"},
        {"daily": "-5.00", "reason": "negative"},
        {"daily": "1.001", "reason": "three decimals"},
        {"daily": "abc", "reason": "not money"},
        {"per_transaction": "250000.01", "reason": "above the ceiling"},
        {"monthly": "2000000.01", "reason": "above the ceiling"},
        {"weekly": "10.00", "reason": "unknown limit"},
    ]
    for body in bad_bodies:
        r = await ctx.client.post(path, headers=admin, json=body)
        assert r.status_code == 422 and r.json()["code"] == "validation_error", (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    r = await ctx.client.post(path, headers=admin, json={"per_transaction": "250000.01", "reason": "x"})
    assert r.json()["errors"][0]["field"] == "per_transaction"
    r = await ctx.client.post(
        f"/api/v1/admin/wallets/{uuid.uuid4()}/limits", headers=admin, json={"daily": "10.00", "reason": "x"}
    )
    assert r.status_code == 404 and r.json()["code"] == "wallet_not_found"
    owner = await ctx.client.post(path, headers=ctx.auth(alice["user_id"]), json={"daily": "10.00", "reason": "x"})
    assert owner.status_code == 403

    view = (await ctx.client.get(f"/api/v1/admin/wallets/{alice['user_id']}", headers=admin)).json()
    assert view["limit_overrides"] == {"per_transaction": None, "daily": None, "monthly": None}
    assert view["limits"]["monthly"] == "400000.00"


async def test_a_retried_key_keeps_its_answer_after_the_limit_changed(ctx_factory):
    async with ctx_factory(limit_per_transaction="100.00") as ctx:
        alice = await ctx.user(balance="100.00")
        assert (await ctx.topup(alice, "100.00")).status_code == 201
        bob = await ctx.user()
        await _change(ctx, alice, {"per_transaction": "200.00", "reason": "Business account"})
        key = {**ctx.auth(alice["user_id"]), "Idempotency-Key": uuid.uuid4().hex}
        body = {"recipient": bob["handle"], "amount": "150.00", "pin": PIN}
        first = await ctx.client.post("/api/v1/transfers", headers=key, json=body)
        assert first.status_code == 201, first.text
        await _change(ctx, alice, {"per_transaction": "20.00", "reason": "Back to a low limit"})
        again = await ctx.client.post("/api/v1/transfers", headers=key, json=body)
        assert (again.status_code, again.json()["id"]) == (201, first.json()["id"])
        # A new request is held to the lowered limit, under the wallet's lock.
        r = await _send(ctx, alice, bob, "30.00")
        assert r.status_code == 422 and r.json()["code"] == "limit_exceeded", r.text
        balance = (await ctx.client.get("/api/v1/wallet", headers=ctx.auth(alice["user_id"]))).json()["balance"]
        assert balance == "50.00"
