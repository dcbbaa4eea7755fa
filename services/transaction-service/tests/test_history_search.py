"""History as a person searches it: part of a name or handle in any case finds the counterparty
(LIKE wildcards typed are literal), a From after To is refused, top-ups and withdrawals name
their card or account, and a transfer that paid a request says which request."""

import uuid

from instapay_stack.e2e import DEFAULT_PIN as PIN


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


async def send(ctx, sender, recipient, amount: str) -> None:
    r = await ctx.client.post(
        "/api/v1/transfers",
        headers={**ctx.auth(sender["user_id"]), **key()},
        json={"recipient": "@" + recipient["handle"], "amount": amount, "pin": PIN},
    )
    assert r.status_code == 201, r.text


async def amounts(ctx, user, **params) -> list[str]:
    r = await ctx.client.get("/api/v1/transactions", headers=ctx.auth(user["user_id"]), params=params)
    assert r.status_code == 200, r.text
    return [i["amount"] for i in r.json()["items"]]


async def test_counterparty_text_matches_part_of_a_name_or_handle_in_any_case(ctx):
    # Starts with a letter: an all-digit tag would be read as a phone number and name one user.
    tag = "t" + uuid.uuid4().hex[:5]
    alice = await ctx.user(balance="100.00")
    bassem, percent = await ctx.user(f"bassem_{tag}"), await ctx.user(f"real_{tag}")
    bassem["display_name"], percent["display_name"] = "Bassem Y.", "100% Real"
    await send(ctx, alice, bassem, "3.00")
    await send(ctx, alice, percent, "2.00")
    assert await amounts(ctx, alice, counterparty="Bassem") == ["3.00"]
    assert await amounts(ctx, alice, counterparty="bASSEM y.") == ["3.00"]
    assert await amounts(ctx, alice, counterparty=f"@BASSEM_{tag}") == ["3.00"]
    assert await amounts(ctx, alice, counterparty=tag) == ["2.00", "3.00"]
    assert await amounts(ctx, alice, counterparty="%") == ["2.00"]  # a literal "%", not "anything"
    assert await amounts(ctx, alice, counterparty="nobody here") == []
    # The receiving side finds the sender the same way; a phone still names one user exactly.
    assert await amounts(ctx, bassem, counterparty=alice["display_name"][:3].lower()) == ["3.00"]
    assert await amounts(ctx, alice, counterparty=bassem["phone"]) == ["3.00"]
    assert await amounts(ctx, alice, counterparty=bassem["user_id"]) == ["3.00"]


async def test_from_after_to_is_refused_in_plain_words(ctx):
    alice = await ctx.user(balance="10.00")
    r = await ctx.client.get(
        "/api/v1/transactions", headers=ctx.auth(alice["user_id"]), params={"from": "2026-12-05", "to": "2026-12-04"}
    )
    assert r.status_code == 422 and r.json()["code"] == "validation_error"
    assert r.json()["errors"] == [{"field": "from", "message": "must be on or before `to`"}]
    assert await amounts(ctx, alice, **{"from": "2026-01-01", "to": "2026-01-01"}) == []  # one day is fine


async def test_top_ups_and_withdrawals_name_their_card_or_account(ctx):
    alice = await ctx.user()
    r = await ctx.topup(alice, "40.00", "card", reference="4111 1111 1111 1234")
    assert r.status_code == 201 and r.json()["funding_source"] == {"type": "card", "last4": "1234"}
    r = await ctx.withdraw(alice, "5.00", reference="EG380019000500000000263180002")
    assert r.status_code == 201 and r.json()["status"] == "pending"
    rows = (await ctx.client.get("/api/v1/transactions", headers=ctx.auth(alice["user_id"]))).json()["items"]
    assert [(i["type"], i["status"], i["funding_source"]) for i in rows] == [
        ("withdrawal", "pending", {"type": "bank", "last4": "0002"}),
        ("topup", "completed", {"type": "card", "last4": "1234"}),
    ]
    assert all(i["payment_request_id"] is None for i in rows)


async def test_a_transfer_that_paid_a_request_says_so(ctx):
    alice, bob = await ctx.user(), await ctx.user(balance="100.00")
    r = await ctx.client.post(
        "/api/v1/payment-requests", headers=ctx.auth(alice["user_id"]), json={"payer": bob["handle"], "amount": "30"}
    )
    request_id = r.json()["id"]
    r = await ctx.client.post(
        f"/api/v1/payment-requests/{request_id}/accept",
        headers={**ctx.auth(bob["user_id"]), **key()},
        json={"pin": PIN},
    )
    assert r.status_code == 201, r.text
    await send(ctx, bob, alice, "1.00")
    for user in (alice, bob):
        rows = (await ctx.client.get("/api/v1/transactions", headers=ctx.auth(user["user_id"]))).json()["items"]
        transfers = [
            (i["amount"], i["payment_request_id"], i["funding_source"]) for i in rows if i["type"] == "transfer"
        ]
        assert transfers == [("1.00", None, None), ("30.00", request_id, None)]
