"""The PDF receipt of a transaction (real PostgreSQL): owner only, in the asked language, with the
reference, amount and parties a shopkeeper would check; page 1 saved as a PNG to look at."""

import uuid

from instapay_stack.e2e import DEFAULT_PIN as PIN
from instapay_stack.pdf_checks import page_count, pdf_text, save_first_page_png


async def _send(ctx, sender, recipient, amount, note=None):
    r = await ctx.client.post(
        "/api/v1/transfers",
        headers={**ctx.auth(sender["user_id"]), "Idempotency-Key": uuid.uuid4().hex},
        json={"recipient": recipient["handle"], "amount": amount, "pin": PIN, "note": note},
    )
    assert r.status_code == 201, r.text
    return r.json()


async def _receipt(ctx, user, transaction_id, params=None, headers=None):
    return await ctx.client.get(
        f"/api/v1/transactions/{transaction_id}/receipt.pdf",
        params=params,
        headers={**ctx.auth(user["user_id"]), **(headers or {})},
    )


async def test_the_english_receipt_shows_reference_amount_parties_and_fee(ctx, artifacts_dir):
    alice = await ctx.user(balance="5000.00")
    bob = await ctx.user()
    t = await _send(ctx, alice, bob, "1250.50", note="Rent for November")
    r = await _receipt(ctx, alice, t["id"], params={"lang": "en"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert t["reference"] in r.headers["content-disposition"]
    assert r.content.startswith(b"%PDF-") and page_count(r.content) == 1
    text = pdf_text(r.content)
    for expected in (
        "Transaction receipt",
        t["reference"],
        "EGP 1,250.50",
        "EGP 0.00",
        "Transfer",
        "Completed",
        f"@{alice['handle']}",
        f"@{bob['handle']}",
        "Rent for November",
    ):
        assert expected in text, (expected, text)
    save_first_page_png(r.content, artifacts_dir / "receipts" / "receipt-en.png")


async def test_the_arabic_receipt_is_in_arabic_with_latin_digits(ctx, artifacts_dir):
    alice = await ctx.user(balance="5000.00")
    bob = await ctx.user()
    t = await _send(ctx, alice, bob, "1250.50", note="إيجار نوفمبر")
    # No `lang`: the language comes from Accept-Language, as a browser sends it.
    r = await _receipt(ctx, bob, t["id"], headers={"Accept-Language": "ar-EG,ar;q=0.9"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    text = pdf_text(r.content)
    for expected in ("إيصال", "المرجع", "المبلغ", "تحويل", "مكتملة", "إيجار", t["reference"], "1,250.50"):
        assert expected in text, (expected, text)
    assert "Transaction receipt" not in text
    save_first_page_png(r.content, artifacts_dir / "receipts" / "receipt-ar.png")


async def test_a_receipt_of_someone_elses_or_an_unknown_transaction_is_404(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user()
    eve = await ctx.user()
    t = await _send(ctx, alice, bob, "10.00")
    for transaction_id in (t["id"], str(uuid.uuid4())):
        r = await _receipt(ctx, eve, transaction_id)
        assert r.status_code == 404, r.text
        assert r.headers["content-type"].startswith("application/problem+json")


async def test_a_top_up_receipt_names_the_owner_and_the_outside_source(ctx):
    alice = await ctx.user(balance="300.00")
    topup = (await ctx.client.get("/api/v1/transactions", headers=ctx.auth(alice["user_id"]))).json()["items"][0]
    r = await _receipt(ctx, alice, topup["id"], params={"lang": "en"})
    assert r.status_code == 200, r.text
    text = pdf_text(r.content)
    assert "Top-up" in text and topup["reference"] in text and "EGP 300.00" in text and "Bank or card" in text
