"""Disputes through the in-process API, and their resolution (`carry_out_resolution`, run by the
approvals module once a second admin approves) at service level, on real PostgreSQL."""

import asyncio
import uuid
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from instapay_common.db import rawsql
from instapay_common.errors import DomainError
from instapay_stack.e2e import DEFAULT_PIN as PIN
from transaction_service.service.disputes import carry_out_resolution


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


async def pay(ctx, sender: dict[str, Any], recipient: dict[str, Any], amount: str) -> dict[str, Any]:
    r = await ctx.client.post(
        "/api/v1/transfers",
        headers={**ctx.auth(sender["user_id"]), **key()},
        json={"recipient": recipient["handle"], "amount": amount, "pin": PIN},
    )
    assert r.status_code == 201, r.text
    return r.json()


async def report(ctx, user: dict[str, Any], transfer_id: str, **body: Any):
    return await ctx.client.post(
        f"/api/v1/transfers/{transfer_id}/disputes",
        headers=ctx.auth(user["user_id"]),
        json={"reason": "wrong_recipient", **body},
    )


async def resolve(ctx, dispute_id: str, outcome: str, note: str = "checked") -> None:
    async with rawsql.transaction(ctx.app.state.db) as conn:
        await carry_out_resolution(
            conn, dispute_id=uuid.UUID(dispute_id), outcome=outcome, note=note, approved_by=uuid.uuid4()
        )


async def balance(ctx, user: dict[str, Any]) -> str:
    return (await ctx.client.get("/api/v1/wallet", headers=ctx.auth(user["user_id"]))).json()["balance"]


async def disputes_of(ctx, user: dict[str, Any], **params: str) -> list[dict[str, Any]]:
    r = await ctx.client.get("/api/v1/disputes", headers=ctx.auth(user["user_id"]), params=params)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def test_the_sender_opens_one_case_and_both_sides_see_it(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    t = await pay(ctx, alice, bob, "70.00")

    r = await report(ctx, alice, t["id"], note="I typed the wrong number")
    assert r.status_code == 201, r.text
    case = r.json()
    assert case["status"] == "open" and case["reason"] == "wrong_recipient" and case["role"] == "sender"
    assert case["reference"].startswith("DP") and len(case["reference"]) == 10
    assert case["transaction_id"] == t["id"] and case["transaction_reference"] == t["reference"]
    assert case["note"] == "I typed the wrong number" and case["amount"] == "70.00"
    assert case["recipient"]["user_id"] == bob["user_id"] and case["resolved_at"] is None

    again = await report(ctx, alice, t["id"], reason="fraud")
    assert again.status_code == 409 and again.json()["code"] == "dispute_already_open"

    assert [d["id"] for d in await disputes_of(ctx, alice)] == [case["id"]]
    seen = await disputes_of(ctx, bob)
    # The recipient sees the case, not what the sender wrote to the operators.
    assert [(d["id"], d["role"], d["note"]) for d in seen] == [(case["id"], "recipient", None)]
    stranger = await ctx.user()
    assert await disputes_of(ctx, stranger) == []

    for who in (alice, bob):
        d = (await ctx.client.get(f"/api/v1/transactions/{t['id']}", headers=ctx.auth(who["user_id"]))).json()
        assert d["dispute_id"] == case["id"]
        assert d["dispute"] == {
            "id": case["id"],
            "reference": case["reference"],
            "status": "open",
            "reason": "wrong_recipient",
            "created_at": case["created_at"],
        }

    admin = ctx.auth(str(uuid.uuid4()), roles=["admin"])
    queue = await ctx.client.get("/api/v1/admin/disputes", headers=admin, params={"status": "open", "limit": 100})
    assert queue.status_code == 200 and case["id"] in [d["id"] for d in queue.json()["items"]]
    assert {d["role"] for d in queue.json()["items"]} == {"operator"}
    assert next(d for d in queue.json()["items"] if d["id"] == case["id"])["note"] == "I typed the wrong number"
    r = await ctx.client.get("/api/v1/admin/disputes", headers=ctx.auth(alice["user_id"]))
    assert r.status_code == 403

    async with ctx.app.state.db.sessionmaker() as s:
        events = (
            await s.execute(
                text("SELECT event_type FROM ledger.outbox_events WHERE payload->>'dispute_id' = :d"), {"d": case["id"]}
            )
        ).all()
    assert [e for (e,) in events] == ["dispute.opened"]


async def test_only_the_sender_may_report_a_transfer_and_bad_input_is_refused(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    t = await pay(ctx, alice, bob, "10.00")
    for who, target in ((bob, t["id"]), (await ctx.user(), t["id"]), (alice, str(uuid.uuid4()))):
        r = await report(ctx, who, target)
        assert r.status_code == 404 and r.json()["code"] == "not_found", r.text
    for body in (
        {"reason": "bored"},
        {"reason": None},
        {},
        {"reason": "other", "note": "x" * 1000},
        {"reason": "other", "status": "resolved_reversed"},
    ):
        r = await ctx.client.post(
            f"/api/v1/transfers/{t['id']}/disputes", headers=ctx.auth(alice["user_id"]), json=body
        )
        assert r.status_code == 422 and r.json()["code"] == "validation_error", (body, r.text)
    r = await ctx.client.get("/api/v1/disputes", headers=ctx.auth(alice["user_id"]), params={"cursor": "nonsense"})
    assert r.status_code == 422
    # A refund is not disputed (it went back to whoever paid), nor is a top-up.
    refund = await ctx.client.post(
        f"/api/v1/transfers/{t['id']}/refunds", headers={**ctx.auth(bob["user_id"]), **key()}, json={"pin": PIN}
    )
    assert refund.status_code == 201
    r = await report(ctx, bob, refund.json()["id"])
    assert r.status_code == 422 and r.json()["code"] == "transfer_not_disputable"
    topup = (await ctx.client.get("/api/v1/transactions", headers=ctx.auth(alice["user_id"]))).json()["items"][-1]
    r = await report(ctx, alice, topup["id"])
    assert r.status_code == 404


async def test_parallel_reports_open_one_case(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    t = await pay(ctx, alice, bob, "10.00")
    answers = await asyncio.gather(*(report(ctx, alice, t["id"]) for _ in range(8)))
    assert sorted(a.status_code for a in answers) == [201] + [409] * 7


async def test_a_rejected_case_closes_and_a_new_one_may_be_opened(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    t = await pay(ctx, alice, bob, "25.00")
    case = (await report(ctx, alice, t["id"], reason="not_received")).json()
    await resolve(ctx, case["id"], "reject", note="the recipient shows delivery")
    [closed] = await disputes_of(ctx, alice)
    assert closed["status"] == "rejected" and closed["resolution_note"] == "the recipient shows delivery"
    assert closed["resolved_at"] is not None and closed["reversal_id"] is None
    assert await balance(ctx, alice) == "75.00" and await balance(ctx, bob) == "25.00"
    with pytest.raises(DomainError) as err:
        await resolve(ctx, case["id"], "reverse")
    assert err.value.code == "dispute_not_open" and err.value.status == 409
    with pytest.raises(DomainError) as err:
        await resolve(ctx, str(uuid.uuid4()), "reject")
    assert err.value.status == 404
    assert (await report(ctx, alice, t["id"], reason="fraud")).status_code == 201


async def test_a_reversal_gives_back_what_was_not_refunded_and_leaves_the_original_as_it_was(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user(balance="3.00")
    t = await pay(ctx, alice, bob, "80.00")
    r = await ctx.client.post(
        f"/api/v1/transfers/{t['id']}/refunds",
        headers={**ctx.auth(bob["user_id"]), **key()},
        json={"amount": "30.00", "pin": PIN},
    )
    assert r.status_code == 201
    case = (await report(ctx, alice, t["id"], reason="fraud")).json()
    await resolve(ctx, case["id"], "reverse", note="confirmed fraud")

    assert await balance(ctx, alice) == "100.00" and await balance(ctx, bob) == "3.00"
    [closed] = await disputes_of(ctx, bob)
    assert closed["status"] == "resolved_reversed" and closed["reversal_id"] is not None
    reversal_id = closed["reversal_id"]
    for who, direction in ((alice, "in"), (bob, "out")):
        items = (await ctx.client.get("/api/v1/transactions", headers=ctx.auth(who["user_id"]))).json()["items"]
        row = items[0]
        assert (row["id"], row["type"], row["direction"], row["amount"], row["reversal_of"]) == (
            reversal_id,
            "reversal",
            direction,
            "50.00",
            t["id"],
        )
        assert (
            row["transfer_id"] is None and row["counterparty"]["user_id"] == (bob if who is alice else alice)["user_id"]
        )
        original = next(i for i in items if i["id"] == t["id"])
        assert original["status"] == "reversed" and original["amount"] == "80.00"
        d = (await ctx.client.get(f"/api/v1/transactions/{t['id']}", headers=ctx.auth(who["user_id"]))).json()
        assert [s["status"] for s in d["timeline"]] == ["completed", "reversed"]
        assert [(x["type"], x["amount"]) for x in d["refunds"]] == [("refund", "30.00"), ("reversal", "50.00")]
        assert d["refunded_amount"] == "80.00" and d["dispute"]["status"] == "resolved_reversed"
        rv = (await ctx.client.get(f"/api/v1/transactions/{reversal_id}", headers=ctx.auth(who["user_id"]))).json()
        assert rv["type"] == "reversal" and rv["reversal_of"] == t["id"] and rv["reference"].startswith("IP")
    r = await ctx.client.get("/api/v1/transactions", headers=ctx.auth(bob["user_id"]), params={"type": "reversal"})
    assert [i["id"] for i in r.json()["items"]] == [reversal_id]

    # Nothing is left to refund or to dispute.
    r = await ctx.client.post(
        f"/api/v1/transfers/{t['id']}/refunds", headers={**ctx.auth(bob["user_id"]), **key()}, json={"pin": PIN}
    )
    assert r.status_code == 422 and r.json()["code"] == "refund_exceeds_transfer"
    r = await report(ctx, alice, t["id"])
    assert r.status_code == 422 and r.json()["code"] == "transfer_not_disputable"

    async with ctx.app.state.db.sessionmaker() as s:
        [(payload,)] = (
            await s.execute(
                text(
                    "SELECT payload FROM ledger.outbox_events WHERE event_type = 'transfer.reversed' "
                    "AND payload->>'reversal_of' = :t"
                ),
                {"t": t["id"]},
            )
        ).all()
    assert payload["amount"] == "50.00" and payload["dispute_id"] == case["id"]
    assert payload["sender"]["user_id"] == bob["user_id"] and payload["sender"]["balance_after"] == "3.00"
    assert payload["recipient"]["balance_after"] == "100.00"
    assert (
        await ctx.scalar("SELECT count(*) FROM ledger.journal_entries WHERE reversal_of = :t", t=uuid.UUID(t["id"]))
        == 1
    )


async def test_a_reversal_the_recipient_cannot_cover_is_refused_and_writes_nothing(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    carol = await ctx.user()
    t = await pay(ctx, alice, bob, "60.00")
    await pay(ctx, bob, carol, "20.00")
    case = (await report(ctx, alice, t["id"])).json()
    with pytest.raises(DomainError) as err:
        await resolve(ctx, case["id"], "reverse")
    assert err.value.status == 409 and err.value.code == "reversal_insufficient_funds"
    assert err.value.extra["reversal_amount"] == "60.00" and err.value.extra["available_balance"] == "40.00"
    assert (await disputes_of(ctx, alice))[0]["status"] == "open"
    assert await balance(ctx, bob) == "40.00"
    assert (
        await ctx.scalar("SELECT count(*) FROM ledger.journal_entries WHERE reversal_of = :t", t=uuid.UUID(t["id"]))
        == 0
    )

    # Refunded in full meanwhile: nothing is left to reverse; the case is rejected instead.
    r = await ctx.client.post(
        f"/api/v1/transfers/{t['id']}/refunds",
        headers={**ctx.auth(bob["user_id"]), **key()},
        json={"amount": "40.00", "pin": PIN},
    )
    assert r.status_code == 201
    await pay(ctx, carol, bob, "20.00")
    assert (
        await ctx.client.post(
            f"/api/v1/transfers/{t['id']}/refunds", headers={**ctx.auth(bob["user_id"]), **key()}, json={"pin": PIN}
        )
    ).json()["amount"] == "20.00"
    with pytest.raises(DomainError) as err:
        await resolve(ctx, case["id"], "reverse")
    assert err.value.code == "nothing_to_reverse"
    assert await balance(ctx, alice) == "100.00"


async def test_a_reversal_and_refunds_racing_never_give_back_more_than_the_transfer(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user(balance="500.00")
    t = await pay(ctx, alice, bob, "100.00")
    case = (await report(ctx, alice, t["id"])).json()

    async def one_refund() -> int:
        r = await ctx.client.post(
            f"/api/v1/transfers/{t['id']}/refunds",
            headers={**ctx.auth(bob["user_id"]), **key()},
            json={"amount": "30.00", "pin": PIN},
        )
        return r.status_code

    async def reversal() -> str:
        try:
            await resolve(ctx, case["id"], "reverse")
        except DomainError as exc:
            return exc.code
        return "reversed"

    results = await asyncio.gather(reversal(), *(one_refund() for _ in range(5)))
    given = await ctx.scalar(
        "SELECT coalesce(sum(amount), 0) FROM ledger.journal_entries WHERE refund_of = :t OR reversal_of = :t",
        t=uuid.UUID(t["id"]),
    )
    assert given <= Decimal("100.00"), results
    assert Decimal(await balance(ctx, alice)) == given


async def test_an_operator_proposes_the_outcome_and_a_second_admin_carries_it_out(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    sent = await pay(ctx, alice, bob, "30.00")
    case = (await report(ctx, alice, sent["id"], note="typed the wrong handle")).json()
    maker, checker = ctx.admin(), ctx.admin()
    path = f"/api/v1/admin/disputes/{case['id']}/resolve"

    # Bad input and non-admins are refused before anything is proposed.
    assert (await ctx.client.post(path, headers=maker, json={"outcome": "refund", "note": "x"})).status_code == 422
    assert (
        await ctx.client.post(path, headers=ctx.auth(alice["user_id"]), json={"outcome": "reverse", "note": "x"})
    ).status_code == 403
    unknown = f"/api/v1/admin/disputes/{uuid.uuid4()}/resolve"
    assert (await ctx.client.post(unknown, headers=maker, json={"outcome": "reverse", "note": "x"})).status_code == 404

    r = await ctx.client.post(path, headers=maker, json={"outcome": "reverse", "note": "sent to the wrong person"})
    assert r.status_code == 202, r.text
    proposal = r.json()
    assert proposal["action"] == "dispute.resolve" and proposal["status"] == "pending"
    assert proposal["subject"] == case["id"]
    # Nothing happens on a proposal alone, and the proposer cannot approve it.
    assert await balance(ctx, bob) == "30.00"
    approve = f"/api/v1/admin/approvals/{proposal['approval_id']}/approve"
    r = await ctx.client.post(approve, headers=maker)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"

    r = await ctx.client.post(approve, headers=checker)
    assert r.status_code == 200, r.text
    result = r.json()["result"]
    assert result["status"] == "resolved_reversed" and result["reversal_id"]
    assert (await balance(ctx, alice), await balance(ctx, bob)) == ("100.00", "0.00")
    # A closed case cannot be proposed again.
    r = await ctx.client.post(path, headers=maker, json={"outcome": "reject", "note": "again"})
    assert r.status_code == 409 and r.json()["code"] == "dispute_not_open"


async def test_an_approved_reversal_the_recipient_can_no_longer_cover_is_refused_and_stays_pending(ctx):
    alice = await ctx.user(balance="100.00")
    bob, carol = await ctx.user(), await ctx.user()
    sent = await pay(ctx, alice, bob, "30.00")
    case = (await report(ctx, alice, sent["id"])).json()
    maker, checker = ctx.admin(), ctx.admin()
    r = await ctx.client.post(
        f"/api/v1/admin/disputes/{case['id']}/resolve", headers=maker, json={"outcome": "reverse", "note": "n"}
    )
    proposal = r.json()
    await pay(ctx, bob, carol, "25.00")  # the money left before the second admin looked
    r = await ctx.client.post(f"/api/v1/admin/approvals/{proposal['approval_id']}/approve", headers=checker)
    assert r.status_code == 409 and r.json()["code"] == "reversal_insufficient_funds", r.text
    assert (await balance(ctx, alice), await balance(ctx, bob)) == ("70.00", "5.00")
    r = await ctx.client.get("/api/v1/admin/approvals", headers=checker, params={"status": "pending"})
    assert proposal["approval_id"] in {a["approval_id"] for a in r.json()["items"]}
