"""Payment links and receive codes: signed tokens, resolve, pay, single-use exactly once (real
PostgreSQL; the user and auth services are small stand-ins)."""

import asyncio
import base64
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import text

from instapay_stack.e2e import DEFAULT_PIN as PIN


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


async def _link(ctx, owner, **body):
    r = await ctx.client.post("/api/v1/payment-links", headers=ctx.auth(owner["user_id"]), json=body)
    assert r.status_code == 201, r.text
    return r.json()


async def _resolve(ctx, who, token):
    return await ctx.client.get(
        "/api/v1/payment-links/resolve", params={"token": token}, headers=ctx.auth(who["user_id"])
    )


async def _pay(ctx, payer, token, amount, **extra):
    return await ctx.client.post(
        "/api/v1/transfers",
        headers={**ctx.auth(payer["user_id"]), **key()},
        json={"payment_link": token, "amount": amount, "pin": PIN, **extra},
    )


def _flip(token: str, index: int) -> str:
    """The token with one byte of its content changed (re-encoded: a valid base64url spelling)."""
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    raw[index] ^= 0x01
    return base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")


async def test_a_link_with_an_amount_resolves_to_the_masked_name_and_pays_once_per_payment(ctx):
    shop = await ctx.user()
    buyer = await ctx.user(balance="100.00")
    link = await _link(ctx, shop, amount="35.50", reference="Order 42")
    assert link["url"] == f"http://localhost:8000/pay/{link['token']}"
    assert link["qr_svg"].startswith("<svg") and link["status"] == "active" and link["single_use"] is False
    assert (link["amount"], link["reference"], link["expires_at"]) == ("35.50", "Order 42", None)
    assert shop["handle"] in base64.urlsafe_b64decode(link["token"] + "==").decode("latin-1")
    for secret in (shop["email"], shop["phone"], shop["display_name"]):  # no personal data but the handle
        assert secret not in base64.urlsafe_b64decode(link["token"] + "==").decode("latin-1")

    r = await _resolve(ctx, buyer, link["token"])
    assert r.status_code == 200, r.text
    assert r.json() == {
        "link_id": link["id"],
        "user_id": shop["user_id"],
        "handle": shop["handle"],
        "display_name": shop["display_name"],
        "amount": "35.50",
        "reference": "Order 42",
        "expires_at": None,
        "single_use": False,
    }
    wrong = await _pay(ctx, buyer, link["token"], "35.00")
    assert wrong.status_code == 422 and wrong.json()["code"] == "validation_error", wrong.text
    assert wrong.json()["errors"][0]["field"] == "amount"
    for _ in range(2):  # reusable: two payments, two transfers
        paid = await _pay(ctx, buyer, link["token"], "35.50")
        assert paid.status_code == 201, paid.text
        assert paid.json()["recipient"]["user_id"] == shop["user_id"]
        assert paid.json()["payment_link_id"] == link["id"]
    wallet = (await ctx.client.get("/api/v1/wallet", headers=ctx.auth(shop["user_id"]))).json()
    assert wallet["balance"] == "71.00"
    detail = (
        await ctx.client.get(f"/api/v1/transactions/{paid.json()['id']}", headers=ctx.auth(buyer["user_id"]))
    ).json()
    assert detail["payment_link_id"] == link["id"]


async def test_a_single_use_link_paid_twice_in_parallel_moves_money_once(ctx):
    shop = await ctx.user()
    buyers = [await ctx.user(balance="50.00") for _ in range(2)]
    link = await _link(ctx, shop, amount="20.00", single_use=True)
    answers = await asyncio.gather(*(_pay(ctx, b, link["token"], "20.00") for b in buyers))
    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    refused = next(a for a in answers if a.status_code == 409)
    assert refused.json()["code"] == "payment_link_used"
    shop_wallet = (await ctx.client.get("/api/v1/wallet", headers=ctx.auth(shop["user_id"]))).json()
    assert shop_wallet["balance"] == "20.00"
    wallets = [(await ctx.client.get("/api/v1/wallet", headers=ctx.auth(b["user_id"]))).json() for b in buyers]
    balances = sorted(Decimal(w["balance"]) for w in wallets)
    assert balances == [Decimal("30.00"), Decimal("50.00")]
    # and afterwards: resolving says used, the owner's list says used and which transfer paid it
    assert (await _resolve(ctx, buyers[0], link["token"])).json()["code"] == "payment_link_used"
    listed = (await ctx.client.get("/api/v1/payment-links", headers=ctx.auth(shop["user_id"]))).json()["items"][0]
    paid = next(a for a in answers if a.status_code == 201).json()
    assert (listed["id"], listed["status"], listed["paid_transfer_id"]) == (link["id"], "used", paid["id"])


async def test_a_replayed_payment_of_a_single_use_link_answers_the_first_answer(ctx):
    shop = await ctx.user()
    buyer = await ctx.user(balance="50.00")
    link = await _link(ctx, shop, amount="5.00", single_use=True)
    headers = {**ctx.auth(buyer["user_id"]), **key()}
    body = {"payment_link": link["token"], "amount": "5.00", "pin": PIN}
    first = await ctx.client.post("/api/v1/transfers", headers=headers, json=body)
    again = await ctx.client.post("/api/v1/transfers", headers=headers, json=body)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"


async def test_tampered_unknown_expired_and_cancelled_links_are_refused(ctx):
    shop = await ctx.user()
    buyer = await ctx.user(balance="50.00")
    link = await _link(ctx, shop, amount="1.00")
    token = link["token"]
    # every single byte changed (id, expiry, handle, signature) is refused, as is a changed character
    raw_len = len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    for index in range(raw_len):
        r = await _resolve(ctx, buyer, _flip(token, index))
        assert r.status_code == 404 and r.json()["code"] == "payment_link_not_found", (index, r.text)
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), token + "A", "x", "!!" + token):
        r = await _resolve(ctx, buyer, bad)
        assert r.status_code == 404 and r.json()["code"] == "payment_link_not_found", (bad, r.text)
    r = await _pay(ctx, buyer, _flip(token, 3), "1.00")
    assert r.status_code == 404 and r.json()["code"] == "payment_link_not_found"

    soon = await _link(ctx, shop, expires_at=(datetime.now(UTC) + timedelta(seconds=2)).isoformat())
    assert (await _resolve(ctx, buyer, soon["token"])).status_code == 200
    async with ctx.app.state.db.sessionmaker() as s:  # time passes: the link's expiry is moved back
        await s.execute(
            text("UPDATE ledger.payment_links SET expires_at = now() - interval '1 minute' WHERE id = :i"),
            {"i": soon["id"]},
        )
        await s.commit()
    # a link is checked against its row
    r = await _resolve(ctx, buyer, soon["token"])
    assert r.status_code == 410 and r.json()["code"] == "payment_link_expired", r.text
    r = await _pay(ctx, buyer, soon["token"], "1.00")
    assert r.status_code == 410 and r.json()["code"] == "payment_link_expired", r.text

    gone = await ctx.client.delete(f"/api/v1/payment-links/{link['id']}", headers=ctx.auth(shop["user_id"]))
    assert gone.status_code == 204
    again = await ctx.client.delete(f"/api/v1/payment-links/{link['id']}", headers=ctx.auth(shop["user_id"]))
    assert again.status_code == 204  # idempotent for its owner
    assert (await _resolve(ctx, buyer, token)).json()["code"] == "payment_link_not_found"
    r = await _pay(ctx, buyer, token, "1.00")
    assert r.status_code == 404 and r.json()["code"] == "payment_link_not_found"
    shop_wallet = (await ctx.client.get("/api/v1/wallet", headers=ctx.auth(shop["user_id"]))).json()
    assert shop_wallet["balance"] == "0.00"


async def test_links_are_their_owners_only(ctx):
    shop, other = await ctx.user(), await ctx.user()
    link = await _link(ctx, shop)
    r = await ctx.client.delete(f"/api/v1/payment-links/{link['id']}", headers=ctx.auth(other["user_id"]))
    assert r.status_code == 404 and r.json()["code"] == "payment_link_not_found"
    assert (await ctx.client.get("/api/v1/payment-links", headers=ctx.auth(other["user_id"]))).json()["items"] == []
    assert (await _resolve(ctx, other, link["token"])).status_code == 200  # a link is for sharing
    r = await _pay(ctx, shop, link["token"], "1.00")
    assert r.status_code == 422 and r.json()["code"] == "self_transfer"


async def test_bad_link_input_is_a_validation_error(ctx):
    shop = await ctx.user()
    for body in (
        {"amount": "0"},
        {"amount": "1.001"},
        {"amount": "70000.01"},
        {"expires_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat()},
        {"expires_at": (datetime.now(UTC) + timedelta(days=400)).isoformat()},
        {"expires_at": "0001-01-01T00:00:00+05:00"},  # the calendar's ends, once a 500
        {"expires_at": "9999-12-31T23:59:59-05:00"},
        {"reference": "x" * 65},
        {"single_use": "maybe"},
        {"user_id": shop["user_id"]},
    ):
        r = await ctx.client.post("/api/v1/payment-links", headers=ctx.auth(shop["user_id"]), json=body)
        assert r.status_code == 422 and r.json()["code"] == "validation_error", (body, r.text)
    r = await ctx.client.post(
        "/api/v1/transfers",
        headers={**ctx.auth(shop["user_id"]), **key()},
        json={"payment_link": "abc", "recipient": "someone", "amount": "1.00", "pin": PIN},
    )
    assert r.status_code == 422 and r.json()["code"] == "validation_error"
    assert (await ctx.client.get("/api/v1/payment-links", headers=ctx.auth(shop["user_id"]))).json()["items"] == []


async def test_a_frozen_or_unverified_recipient_is_refused_like_a_transfer(ctx):
    shop = await ctx.user()
    buyer = await ctx.user(balance="10.00")
    link = await _link(ctx, shop)
    await ctx.freeze(shop, reason="t")
    r = await _resolve(ctx, buyer, link["token"])
    assert r.status_code == 423 and r.json()["code"] == "account_frozen", r.text
    r = await _pay(ctx, buyer, link["token"], "1.00")
    assert r.status_code == 423 and r.json()["code"] == "account_frozen", r.text
    await ctx.freeze(shop, frozen=False)
    await ctx.set_phone_verified(shop, False)
    r = await _resolve(ctx, buyer, link["token"])
    assert r.status_code == 404 and r.json()["code"] == "recipient_not_found", r.text
    # an unverified user cannot make a link either
    r = await ctx.client.post("/api/v1/payment-links", headers=ctx.auth(shop["user_id"]), json={})
    assert r.status_code == 403 and r.json()["code"] == "phone_not_verified"


async def test_the_receive_code_is_stable_and_follows_a_handle_change(ctx):
    me = await ctx.user()
    payer = await ctx.user(balance="10.00")
    first = await ctx.client.get("/api/v1/users/me/receive", headers=ctx.auth(me["user_id"]))
    assert first.status_code == 200, first.text
    code = first.json()
    assert code["handle"] == me["handle"] and code["url"].endswith("/pay/" + code["token"])
    assert code["qr_svg"].startswith("<svg")
    assert (await ctx.client.get("/api/v1/users/me/receive", headers=ctx.auth(me["user_id"]))).json() == code
    assert (await _resolve(ctx, payer, code["token"])).json()["amount"] is None
    paid = await _pay(ctx, payer, code["token"], "3.00")  # any amount
    assert paid.status_code == 201, paid.text
    # The static code is not one of the listed links.
    assert (await ctx.client.get("/api/v1/payment-links", headers=ctx.auth(me["user_id"]))).json()["items"] == []
    # A new handle: the old code stops working (its handle could be someone else's tomorrow).
    ctx.directory.users[me["user_id"]]["handle"] = me["handle"] + "x"
    renewed = (await ctx.client.get("/api/v1/users/me/receive", headers=ctx.auth(me["user_id"]))).json()
    assert renewed["token"] != code["token"] and renewed["handle"] == me["handle"]
    r = await _resolve(ctx, payer, code["token"])
    assert r.status_code == 404 and r.json()["code"] == "payment_link_not_found"


async def test_link_creation_is_capped_per_day(ctx_factory):
    async with ctx_factory(payment_links_per_day=3) as ctx:
        shop = await ctx.user()
        answers = await asyncio.gather(
            *(ctx.client.post("/api/v1/payment-links", headers=ctx.auth(shop["user_id"]), json={}) for _ in range(5))
        )
        assert sorted(a.status_code for a in answers) == [201, 201, 201, 429, 429]
        refused = next(a for a in answers if a.status_code == 429)
        assert refused.json()["code"] == "rate_limited" and int(refused.headers["Retry-After"]) > 0


async def test_tokens_of_another_key_are_refused_and_a_rotated_key_still_verifies(ctx_factory):
    async with ctx_factory(payment_link_secrets="old-key-0123456789abcdefghijklmnopqrstu") as old:
        shop = await old.user()
        token = (await _link(old, shop))["token"]
    async with ctx_factory(payment_link_secrets="new-key-0123456789abcdefghijklmnopqrstu") as other:
        buyer = await other.user()
        r = await _resolve(other, buyer, token)
        assert r.status_code == 404 and r.json()["code"] == "payment_link_not_found"
    rotated = "new-key-0123456789abcdefghijklmnopqrstu,old-key-0123456789abcdefghijklmnopqrstu"
    async with ctx_factory(payment_link_secrets=rotated) as both:
        both.directory.users.update({shop["user_id"]: shop})
        buyer = await both.user()
        r = await _resolve(both, buyer, token)
        assert r.status_code == 200 and r.json()["user_id"] == shop["user_id"], r.text
