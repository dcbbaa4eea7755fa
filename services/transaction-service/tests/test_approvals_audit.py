"""Two-person control of admin actions and the tamper-evident audit chain of the ledger schema:
what an admin sees (202 pending, then a different admin's approval carries it out), every
refusal (self-approval, expired, decided, not an admin), the audit rows, and verification
catching an edited row."""

import asyncio
import json
import uuid

from sqlalchemy import text

from instapay_common.audit import chain
from instapay_common.db import rawsql


def approve_path(approval_id: str) -> str:
    return f"/api/v1/admin/approvals/{approval_id}/approve"


async def _propose(ctx, user, headers, reason="review") -> dict:
    r = await ctx.client.post(
        f"/api/v1/admin/wallets/{user['user_id']}/freeze", headers=headers, json={"reason": reason}
    )
    assert r.status_code == 202, r.text
    return r.json()


async def _verify(ctx) -> chain.ChainReport:
    async with rawsql.connection(ctx.app.state.db) as conn:
        return await chain.verify(chain.RawRunner(conn), "ledger")


async def test_a_second_admin_carries_a_freeze_out_and_the_proposer_cannot(ctx):
    alice = await ctx.user(balance="10.00")
    maker, checker = ctx.admin(), ctx.admin()
    proposed = await _propose(ctx, alice, maker, "Card reported stolen")
    assert proposed["status"] == "pending" and proposed["action"] == "wallet.freeze"
    assert proposed["subject"] == alice["user_id"] and proposed["payload"] == {"reason": "Card reported stolen"}
    assert (
        proposed["approved_by"] is None
        and proposed["result"] is None
        and proposed["expires_at"] > proposed["proposed_at"]
    )

    r = await ctx.client.post(approve_path(proposed["approval_id"]), headers=maker)
    assert r.status_code == 403 and r.json()["code"] == "forbidden", r.text
    wallet = (await ctx.client.get("/api/v1/wallet", headers=ctx.auth(alice["user_id"]))).json()
    assert wallet["status"] == "active"  # nothing happened

    r = await ctx.client.post(approve_path(proposed["approval_id"]), headers=checker)
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["status"] == "approved" and done["approved_by"] and done["approved_at"]
    assert done["result"]["status"] == "frozen" and done["result"]["user_id"] == alice["user_id"]
    wallet = (await ctx.client.get("/api/v1/wallet", headers=ctx.auth(alice["user_id"]))).json()
    assert wallet["status"] == "frozen"

    r = await ctx.client.post(approve_path(proposed["approval_id"]), headers=ctx.admin())
    assert r.status_code == 409 and r.json()["code"] == "approval_not_pending"
    r = await ctx.client.post(f"/api/v1/admin/approvals/{proposed['approval_id']}/reject", headers=checker)
    assert r.status_code == 409 and r.json()["code"] == "approval_not_pending"


async def test_refusals_expired_unknown_rejected_and_not_admins(ctx):
    alice = await ctx.user()
    maker = ctx.admin()
    owner = ctx.auth(alice["user_id"])
    client_token = ctx.auth(str(uuid.uuid4()), roles=["admin"], client_id="ipc_x")

    r = await ctx.client.post(f"/api/v1/admin/wallets/{uuid.uuid4()}/freeze", headers=maker, json={"reason": "x"})
    assert r.status_code == 404 and r.json()["code"] == "wallet_not_found"

    proposed = await _propose(ctx, alice, maker)
    for headers in (owner, client_token):
        for method, path in (
            ("post", approve_path(proposed["approval_id"])),
            ("post", f"/api/v1/admin/approvals/{proposed['approval_id']}/reject"),
            ("get", "/api/v1/admin/approvals"),
            ("post", f"/api/v1/admin/wallets/{alice['user_id']}/unfreeze"),
        ):
            r = await ctx.client.request(method, path, headers=headers)
            assert r.status_code == 403 and r.json()["code"] == "forbidden", (path, r.text)
    assert (await ctx.client.post(approve_path(proposed["approval_id"]))).status_code == 401

    r = await ctx.client.post(approve_path(str(uuid.uuid4())), headers=ctx.admin())
    assert r.status_code == 404 and r.json()["code"] == "approval_not_found"
    assert (await ctx.client.post(approve_path("not-a-uuid"), headers=ctx.admin())).status_code == 422

    async with ctx.app.state.db.sessionmaker() as s, s.begin():
        await s.execute(
            text("UPDATE ledger.approvals SET expires_at = now() - interval '1 second' WHERE id = :id"),
            {"id": uuid.UUID(proposed["approval_id"])},
        )
    r = await ctx.client.post(approve_path(proposed["approval_id"]), headers=ctx.admin())
    assert r.status_code == 409 and r.json()["code"] == "approval_expired", r.text
    listed = (await ctx.client.get("/api/v1/admin/approvals", headers=maker, params={"status": "expired"})).json()
    assert proposed["approval_id"] in [a["approval_id"] for a in listed["items"]]
    assert all(a["status"] == "expired" for a in listed["items"])

    withdrawn = await _propose(ctx, alice, maker)
    r = await ctx.client.post(f"/api/v1/admin/approvals/{withdrawn['approval_id']}/reject", headers=maker)
    assert r.status_code == 200 and r.json()["status"] == "rejected" and r.json()["rejected_by"]
    r = await ctx.client.post(approve_path(withdrawn["approval_id"]), headers=ctx.admin())
    assert r.status_code == 409 and r.json()["code"] == "approval_not_pending"
    wallet = (await ctx.client.get("/api/v1/wallet", headers=owner)).json()
    assert wallet["status"] == "active"

    r = await ctx.client.get("/api/v1/admin/approvals", headers=maker, params={"status": "bogus"})
    assert r.status_code == 422
    r = await ctx.client.get("/api/v1/admin/approvals", headers=maker, params={"cursor": "%%%"})
    assert r.status_code == 422 and r.json()["code"] == "validation_error"


async def test_two_admins_approving_at_once_carry_it_out_once(ctx):
    alice = await ctx.user()
    proposed = await _propose(ctx, alice, ctx.admin())
    answers = await asyncio.gather(
        *(ctx.client.post(approve_path(proposed["approval_id"]), headers=ctx.admin()) for _ in range(4))
    )
    assert sorted(r.status_code for r in answers) == [200, 409, 409, 409]
    approved = await ctx.scalar(
        "SELECT count(*) FROM ledger.audit_log "
        "WHERE action = 'wallet.freeze.approved' AND details->>'approval_id' = :a",
        a=proposed["approval_id"],
    )
    assert approved == 1


async def test_the_database_refuses_a_self_approval_too(ctx):
    alice = await ctx.user()
    maker_id = str(uuid.uuid4())
    proposed = await _propose(ctx, alice, ctx.auth(maker_id, roles=["admin"]))
    async with ctx.app.state.db.sessionmaker() as s:
        try:
            await s.execute(
                text("UPDATE ledger.approvals SET status = 'approved', approved_by = proposed_by WHERE id = :id"),
                {"id": uuid.UUID(proposed["approval_id"])},
            )
        except Exception as exc:
            assert "ck_approvals_two_people" in str(exc)
        else:
            raise AssertionError("the check constraint let a self-approval through")


async def test_every_step_is_in_the_audit_chain_and_an_edited_row_breaks_it(ctx):
    alice = await ctx.user()
    maker_id, checker_id = str(uuid.uuid4()), str(uuid.uuid4())
    maker, checker = ctx.auth(maker_id, roles=["admin"]), ctx.auth(checker_id, roles=["admin"])
    proposed = await _propose(ctx, alice, maker, "Fraud check")
    r = await ctx.client.post(approve_path(proposed["approval_id"]), headers={**checker, "X-Request-ID": "req-audit-1"})
    assert r.status_code == 200

    # The service's admin route: its rows, newest first, filtered.
    r = await ctx.client.get("/admin/audit", headers=maker, params={"subject": alice["user_id"]})
    assert r.status_code == 200, r.text
    rows = r.json()["items"]
    assert [(e["action"], e["actor"], e["actor_role"]) for e in rows] == [
        ("wallet.freeze.approved", checker_id, "admin"),
        ("wallet.freeze.proposed", maker_id, "admin"),
    ]
    assert rows[0]["details"] == {
        "approval_id": proposed["approval_id"],
        "proposed_by": maker_id,
        "reason": "Fraud check",
    }
    assert rows[0]["request_id"] == "req-audit-1" and rows[0]["service"] == "transaction"
    assert rows[0]["prev_hash"] == rows[1]["hash"]  # nothing else was audited in between
    r = await ctx.client.get("/admin/audit", headers=maker, params={"action": "wallet.freeze", "actor": maker_id})
    assert [e["action"] for e in r.json()["items"]] == ["wallet.freeze.proposed"]
    assert (await ctx.client.get("/admin/audit", headers=ctx.auth(alice["user_id"]))).status_code == 403

    assert (await _verify(ctx)).ok
    target = rows[1]["id"]
    async with ctx.app.state.db.sessionmaker() as s, s.begin():  # the owner (superuser) rewrites history
        await s.execute(
            text("UPDATE ledger.audit_log SET details = jsonb_set(details, '{reason}', '\"nothing\"') WHERE id = :i"),
            {"i": target},
        )
    try:
        report = await _verify(ctx)
        assert not report.ok and report.broken_id == target and "edited" in (report.problem or "")
    finally:
        async with ctx.app.state.db.sessionmaker() as s, s.begin():
            await s.execute(
                text("UPDATE ledger.audit_log SET details = CAST(:d AS jsonb) WHERE id = :i"),
                {"i": target, "d": json.dumps(rows[1]["details"])},
            )
    assert (await _verify(ctx)).ok

    # A row taken out: the row after it no longer links to the one before.
    async with ctx.app.state.db.sessionmaker() as s, s.begin():
        await s.execute(
            text("CREATE TEMP TABLE removed ON COMMIT DROP AS SELECT * FROM ledger.audit_log WHERE id = :i"),
            {"i": target},
        )
        await s.execute(text("DELETE FROM ledger.audit_log WHERE id = :i"), {"i": target})
        report = await chain.verify(chain.SessionRunner(s), "ledger")
        assert not report.ok and report.broken_id == rows[0]["id"] and "removed" in (report.problem or "")
        await s.execute(text("INSERT INTO ledger.audit_log OVERRIDING SYSTEM VALUE SELECT * FROM removed"))
    assert (await _verify(ctx)).ok
