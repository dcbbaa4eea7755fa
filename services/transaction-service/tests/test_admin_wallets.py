"""Operators read a wallet with its freeze state; a freeze or unfreeze tells the owner once (an
outbox event); a refused transfer says whose wallet is frozen."""

import uuid

from sqlalchemy import text

from instapay_stack.e2e import DEFAULT_PIN as PIN


def k() -> str:
    return uuid.uuid4().hex


async def _events(ctx, user_id: str) -> list[tuple[str, dict]]:
    async with ctx.app.state.db.sessionmaker() as s:
        rows = await s.execute(
            text(
                "SELECT event_type, payload FROM ledger.outbox_events WHERE event_type LIKE 'wallet.%' "
                "AND payload->>'user_id' = :u ORDER BY seq"
            ),
            {"u": user_id},
        )
        return [(r[0], r[1]) for r in rows.all()]


async def test_an_admin_reads_freezes_and_unfreezes_and_the_owner_is_told_once_per_change(ctx):
    alice = await ctx.user(balance="40.00")
    admin = ctx.auth(str(uuid.uuid4()), roles=["admin"])
    path = f"/api/v1/admin/wallets/{alice['user_id']}"

    r = await ctx.client.get(path, headers=admin)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "active" and body["balance"] == "40.00" and body["user_id"] == alice["user_id"]
    assert body["frozen_reason"] is None and body["frozen_at"] is None

    # Proposed: nothing happens until a second admin approves.
    r = await ctx.client.post(f"{path}/freeze", headers=admin, json={"reason": "Card reported stolen"})
    assert r.status_code == 202 and r.json()["status"] == "pending", r.text
    assert (await ctx.client.get(path, headers=admin)).json()["status"] == "active"
    r = await ctx.client.post(f"/api/v1/admin/approvals/{r.json()['approval_id']}/approve", headers=ctx.admin())
    assert r.status_code == 200 and r.json()["result"]["status"] == "frozen"
    frozen = (await ctx.client.get(path, headers=admin)).json()
    assert frozen["status"] == "frozen" and frozen["frozen_reason"] == "Card reported stolen" and frozen["frozen_at"]
    # Frozen again with another reason: the reason is the new one, the time and the owner's notice stay.
    await ctx.freeze(alice, reason="Checking documents")
    again = (await ctx.client.get(path, headers=admin)).json()
    assert again["frozen_reason"] == "Checking documents" and again["frozen_at"] == frozen["frozen_at"]

    assert (await ctx.freeze(alice, frozen=False, reason="Customer called"))["result"]["status"] == "active"
    r = await ctx.client.post(f"{path}/unfreeze", headers=admin)  # changes nothing, tells nobody
    assert r.status_code == 202
    r = await ctx.client.post(f"/api/v1/admin/approvals/{r.json()['approval_id']}/approve", headers=ctx.admin())
    assert r.status_code == 200 and r.json()["result"]["status"] == "active"
    active = (await ctx.client.get(path, headers=admin)).json()
    assert active["frozen_reason"] is None and active["frozen_at"] is None

    events = await _events(ctx, alice["user_id"])
    assert [t for t, _ in events] == ["wallet.frozen", "wallet.unfrozen"]
    assert events[0][1]["reason"] == "Card reported stolen" and events[0][1]["at"].endswith("Z")
    assert events[1][1]["reason"] is None
    # Every proposal and approval is audited, changes or not.
    audited = await ctx.scalar(
        "SELECT string_agg(action || '=' || coalesce(details->>'reason', '-'), '|' ORDER BY id) "
        "FROM ledger.audit_log WHERE subject = :u AND action LIKE '%.approved'",
        u=alice["user_id"],
    )
    assert audited == (
        "wallet.freeze.approved=Card reported stolen|wallet.freeze.approved=Checking documents|"
        "wallet.unfreeze.approved=Customer called|wallet.unfreeze.approved=-"
    )


async def test_only_admins_and_bad_input(ctx):
    alice = await ctx.user()
    path = f"/api/v1/admin/wallets/{alice['user_id']}"
    owner = ctx.auth(alice["user_id"])
    client_token = ctx.auth(alice["user_id"], roles=["admin"], client_id="ipc_x")
    for headers in (owner, client_token):
        r = await ctx.client.get(path, headers=headers)
        assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert (await ctx.client.get(path)).status_code == 401
    admin = ctx.auth(str(uuid.uuid4()), roles=["admin"])
    r = await ctx.client.get(f"/api/v1/admin/wallets/{uuid.uuid4()}", headers=admin)
    assert r.status_code == 404 and r.json()["code"] == "wallet_not_found"
    assert r.headers["content-type"].startswith("application/problem+json")
    r = await ctx.client.post(f"{path}/unfreeze", headers=admin, json={"reason": ""})
    assert r.status_code == 422 and r.json()["code"] == "validation_error"
    for body in ({}, {"reason": ""}, {"reason": "x" * 501}):
        r = await ctx.client.post(f"{path}/freeze", headers=admin, json=body)
        assert r.status_code == 422 and r.json()["code"] == "validation_error", body
    assert (await ctx.client.get(path, headers=admin)).json()["status"] == "active"
    assert await _events(ctx, alice["user_id"]) == []


async def test_a_refused_transfer_says_whose_wallet_is_frozen(ctx):
    alice = await ctx.user(balance="20.00")
    bob = await ctx.user(balance="20.00")
    await ctx.freeze(bob, reason="Review")

    def send(sender, recipient):
        return ctx.client.post(
            "/api/v1/transfers",
            headers={**ctx.auth(sender["user_id"]), "Idempotency-Key": k()},
            json={"recipient": recipient["handle"], "amount": "1.00", "pin": PIN},
        )

    to_frozen = await send(alice, bob)
    assert to_frozen.status_code == 423, to_frozen.text
    problem = to_frozen.json()
    assert problem["code"] == "account_frozen" and problem["frozen_wallet"] == "recipient"
    assert problem["detail"] == "The recipient's wallet is frozen; they cannot receive money now"

    from_frozen = await send(bob, alice)
    assert from_frozen.status_code == 423
    assert from_frozen.json()["frozen_wallet"] == "own"
    assert from_frozen.json()["detail"] == "Your wallet is frozen; contact support"

    topup = await ctx.topup(bob, "5.00")
    assert topup.status_code == 423 and topup.json()["frozen_wallet"] == "own"
    for user in (alice, bob):  # nothing moved
        wallet = (await ctx.client.get("/api/v1/wallet", headers=ctx.auth(user["user_id"]))).json()
        assert wallet["balance"] == "20.00"
