"""Top-ups/withdrawals through the funding provider, payment requests, freeze, event log."""

import uuid

from sqlalchemy import text

from instapay_stack.e2e import DEFAULT_PIN as PIN
from instapay_stack.testing import internal_headers


def k() -> str:
    return uuid.uuid4().hex


async def _count(ctx, sql: str) -> int:
    async with ctx.app.state.db.sessionmaker() as s:
        return (await s.execute(text(sql))).scalar_one()


async def test_topup_and_withdrawal_and_provider_failures(ctx):
    alice = await ctx.user()
    h = ctx.auth(alice["user_id"])
    r = await ctx.client.post(
        "/api/v1/wallet/topups",
        headers={**h, "Idempotency-Key": k()},
        json={"amount": 250.5, "source": {"type": "card", "reference": "card-1"}},
    )
    assert r.status_code == 201 and r.json()["type"] == "topup" and r.json()["balance_after"] == "250.50"
    postings = await _count(ctx, "SELECT count(*) FROM ledger.postings")
    r = await ctx.client.post(
        "/api/v1/wallet/topups",
        headers={**h, "Idempotency-Key": k()},
        json={"amount": "10", "source": {"type": "card", "reference": "fail-card"}},
    )
    assert r.status_code == 422 and r.json()["code"] == "funding_declined"
    r = await ctx.client.post(
        "/api/v1/wallet/topups",
        headers={**h, "Idempotency-Key": k()},
        json={"amount": "10", "source": {"type": "card", "reference": "error-card"}},
    )
    assert r.status_code == 502 and r.json()["code"] == "funding_provider_error"
    r = await ctx.client.post(
        "/api/v1/wallet/topups",
        headers={**h, "Idempotency-Key": k()},
        json={"amount": "10", "source": {"type": "card", "reference": "invalid-answer"}},
    )
    assert r.status_code == 502 and r.json()["code"] == "funding_provider_error"
    assert await _count(ctx, "SELECT count(*) FROM ledger.postings") == postings  # ledger unchanged
    r = await ctx.client.post(
        "/api/v1/wallet/withdrawals",
        headers={**h, "Idempotency-Key": k()},
        json={"amount": "50", "destination": {"type": "bank", "reference": "iban-1"}},
    )
    assert r.status_code == 422 and r.json()["code"] == "validation_error"  # PIN needed
    r = await ctx.client.post(
        "/api/v1/wallet/withdrawals",
        headers={**h, "Idempotency-Key": k()},
        json={"amount": "50", "destination": {"type": "bank", "reference": "iban-1"}, "pin": PIN},
    )
    # Two-phase: held now, paid out when the provider confirms (tests/test_withdrawals.py).
    assert r.status_code == 201 and r.json()["status"] == "pending" and r.json()["balance_after"] == "250.50"
    wallet = (await ctx.client.get("/api/v1/wallet", headers=h)).json()
    assert (wallet["balance"], wallet["available_balance"]) == ("250.50", "200.50")


async def test_payment_request_lifecycle_and_at_most_once(ctx):
    alice = await ctx.user()
    bob = await ctx.user(balance="100.00")
    ha, hb = ctx.auth(alice["user_id"]), ctx.auth(bob["user_id"])
    r = await ctx.client.post(
        "/api/v1/payment-requests", headers=ha, json={"payer": bob["phone"], "amount": "30", "note": "lunch"}
    )
    assert r.status_code == 201 and r.json()["status"] == "pending"
    req = r.json()
    inc = (await ctx.client.get("/api/v1/payment-requests", headers=hb, params={"role": "incoming"})).json()
    assert [i["id"] for i in inc["items"]] == [req["id"]]
    out = (
        await ctx.client.get("/api/v1/payment-requests", headers=ha, params={"role": "outgoing", "status": "pending"})
    ).json()
    assert [i["id"] for i in out["items"]] == [req["id"]]
    # only the payer can accept: the requester (who sees the request) is told so, a stranger gets 404
    r = await ctx.client.post(
        f"/api/v1/payment-requests/{req['id']}/accept", headers={**ha, "Idempotency-Key": k()}, json={"pin": PIN}
    )
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert r.json()["detail"] == "only the payer can accept a payment request"
    stranger = ctx.auth((await ctx.user())["user_id"])
    for action in ("accept", "decline", "cancel"):
        r = await ctx.client.post(
            f"/api/v1/payment-requests/{req['id']}/{action}",
            headers={**stranger, "Idempotency-Key": k()},
            json={"pin": PIN},
        )
        assert r.status_code == 404 and r.json()["code"] == "not_found", action
    r = await ctx.client.post(
        f"/api/v1/payment-requests/{req['id']}/accept", headers={**hb, "Idempotency-Key": k()}, json={"pin": PIN}
    )
    assert r.status_code == 201 and r.json()["payment_request_id"] == req["id"] and r.json()["amount"] == "30.00"
    r2 = await ctx.client.post(
        f"/api/v1/payment-requests/{req['id']}/accept", headers={**hb, "Idempotency-Key": k()}, json={"pin": PIN}
    )
    assert r2.status_code == 409 and r2.json()["code"] == "payment_request_not_pending"
    assert (await ctx.client.get("/api/v1/wallet", headers=hb)).json()["balance"] == "70.00"
    # decline / cancel
    r = await ctx.client.post("/api/v1/payment-requests", headers=ha, json={"payer": bob["handle"], "amount": "5"})
    other = r.json()["id"]
    r = await ctx.client.post(f"/api/v1/payment-requests/{other}/cancel", headers=hb)
    assert r.status_code == 403
    assert r.json()["detail"] == "only the requester can cancel a payment request; decline it instead"
    r = await ctx.client.post(f"/api/v1/payment-requests/{other}/decline", headers=ha)
    assert r.status_code == 403
    assert r.json()["detail"] == "only the payer can decline a payment request; cancel it instead"
    r = await ctx.client.post(f"/api/v1/payment-requests/{other}/decline", headers=hb)
    assert r.status_code == 200 and r.json()["status"] == "declined"
    r = await ctx.client.post(f"/api/v1/payment-requests/{other}/cancel", headers=ha)
    assert r.status_code == 409 and r.json()["code"] == "payment_request_not_pending"
    types = await _count(
        ctx, "SELECT count(DISTINCT event_type) FROM ledger.outbox_events WHERE event_type LIKE 'payment_request.%'"
    )
    assert types == 3  # created, accepted, declined


async def test_expired_request_cannot_be_accepted(ctx):
    alice = await ctx.user()
    bob = await ctx.user(balance="100.00")
    r = await ctx.client.post(
        "/api/v1/payment-requests", headers=ctx.auth(alice["user_id"]), json={"payer": bob["handle"], "amount": "30"}
    )
    rid = r.json()["id"]
    async with ctx.app.state.db.sessionmaker() as s, s.begin():
        await s.execute(
            text("UPDATE ledger.payment_requests SET expires_at = now() - interval '1 second' WHERE id = :id"),
            {"id": rid},
        )
    r = await ctx.client.post(
        f"/api/v1/payment-requests/{rid}/accept",
        headers={**ctx.auth(bob["user_id"]), "Idempotency-Key": k()},
        json={"pin": PIN},
    )
    assert r.status_code == 409 and r.json()["code"] == "payment_request_expired"
    lst = (
        await ctx.client.get("/api/v1/payment-requests", headers=ctx.auth(bob["user_id"]), params={"status": "expired"})
    ).json()
    assert [i["status"] for i in lst["items"]] == ["expired"]


async def test_admin_freeze_blocks_money_and_is_audited(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    admin = ctx.auth(str(uuid.uuid4()), roles=["admin"])
    r = await ctx.client.post(
        f"/api/v1/admin/wallets/{alice['user_id']}/freeze", headers=ctx.auth(bob["user_id"]), json={"reason": "x"}
    )
    assert r.status_code == 403
    assert (await ctx.freeze(alice, reason="suspicious activity"))["result"]["status"] == "frozen"
    r = await ctx.client.post(
        "/api/v1/transfers",
        headers={**ctx.auth(alice["user_id"]), "Idempotency-Key": k()},
        json={"recipient": bob["handle"], "amount": "1", "pin": PIN},
    )
    assert r.status_code == 423 and r.json()["code"] == "account_frozen"
    r = await ctx.client.post(
        "/api/v1/transfers",
        headers={**ctx.auth(bob["user_id"]), "Idempotency-Key": k()},
        json={"recipient": alice["handle"], "amount": "1", "pin": PIN},
    )
    assert r.status_code == 423
    assert (await ctx.freeze(alice, frozen=False, reason=None))["result"]["status"] == "active"
    audit = f"SELECT count(*) FROM ledger.audit_log WHERE subject = '{alice['user_id']}'"
    assert await _count(ctx, audit) == 4  # each proposed, each approved
    r = await ctx.client.post(f"/api/v1/admin/wallets/{uuid.uuid4()}/freeze", headers=admin, json={"reason": "x"})
    assert r.status_code == 404


async def test_ledger_rows_are_append_only_and_entries_must_balance(ctx):
    await ctx.user(balance="10.00")
    async with ctx.app.state.db.sessionmaker() as s:
        for sql in (
            "UPDATE ledger.postings SET amount = 0",
            "DELETE FROM ledger.journal_entries",
            "TRUNCATE ledger.postings CASCADE",
        ):
            try:
                async with s.begin():
                    await s.execute(text(sql))
                raise AssertionError(f"{sql} was allowed")
            except Exception as exc:
                assert "append-only" in str(exc)
        try:
            async with s.begin():
                eid = uuid.uuid4()
                await s.execute(
                    text("INSERT INTO ledger.journal_entries (id, type, amount) VALUES (:e, 'topup', 5)"), {"e": eid}
                )
                await s.execute(
                    text(
                        "INSERT INTO ledger.postings (entry_id, account_id, amount, balance_after, type) "
                        "SELECT :e, id, 5, 5, 'topup' FROM ledger.accounts WHERE system_code = 'funding:card'"
                    ),
                    {"e": eid},
                )
            raise AssertionError("an unbalanced entry was committed")
        except Exception as exc:
            assert "does not balance" in str(exc)


async def test_event_log_replay(ctx):
    await ctx.user(balance="10.00")
    reporting = internal_headers("reporting")  # the event log's reader
    r = await ctx.client.get("/internal/events", headers=reporting, params={"after_seq": 0, "limit": 1000})
    body = r.json()
    assert r.status_code == 200 and body["items"] and body["next_after_seq"] == body["items"][-1]["seq"]
    assert {"id", "type", "occurred_at", "source", "data", "seq"} <= set(body["items"][0])
    assert any(i["type"] == "topup.completed" for i in body["items"])
