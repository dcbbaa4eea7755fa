"""Top-ups the provider confirms, the callback intake's checks, and the top-up limits."""

import asyncio
import secrets
import time
import uuid
from decimal import Decimal

import orjson
import pytest
from pydantic import ValidationError

from instapay_common.security.callback_signature import sign
from transaction_service.config import TransactionSettings
from transaction_service.funding.callback_body import SIGNATURE_HEADER


async def test_a_card_is_captured_at_once_and_a_bank_debit_completes_on_its_callback(ctx):
    alice = await ctx.user()
    r = await ctx.topup(alice, "40.00", "card")
    assert r.status_code == 201 and r.json()["status"] == "completed" and r.json()["balance_after"] == "40.00"
    r = await ctx.topup(alice, "60.00", "bank")
    assert r.status_code == 202 and r.json()["status"] == "pending", r.text
    op_id = uuid.UUID(r.json()["id"])
    assert await ctx.balances(alice) == (Decimal("40.00"), Decimal("40.00"))  # not spendable before it lands
    headers, body = ctx.app.state.funding.settle(op_id, "charge.succeeded")
    assert (await ctx.post_callback(headers, body)).json() == {"status": "applied"}
    assert await ctx.balances(alice) == (Decimal("100.00"), Decimal("100.00"))
    row = (await ctx.client.get("/api/v1/transactions", headers=ctx.auth(alice["user_id"]))).json()["items"][0]
    assert (row["id"], row["status"], row["type"]) == (str(op_id), "completed", "topup")


async def test_a_refused_bank_debit_fails_and_credits_nothing(ctx):
    alice = await ctx.user()
    op_id = uuid.UUID((await ctx.topup(alice, "60.00", "bank")).json()["id"])
    headers, body = ctx.app.state.funding.settle(op_id, "charge.failed")
    assert (await ctx.post_callback(headers, body)).status_code == 200
    assert await ctx.balances(alice) == (Decimal("0.00"), Decimal("0.00"))
    row = (await ctx.client.get("/api/v1/transactions", headers=ctx.auth(alice["user_id"]))).json()["items"][0]
    assert (row["id"], row["status"]) == (str(op_id), "failed")


async def test_a_capture_whose_answer_was_lost_is_credited_once_by_its_callback(ctx):
    """The provider captured the card, but our transaction never committed (the charge is in the
    provider's books, not ours): its callback records and credits it, and the client's retry with
    the same Idempotency-Key answers that same top-up."""
    alice = await ctx.user()
    provider = ctx.app.state.funding
    key = uuid.uuid4().hex
    from transaction_service.service.funding import operation_id

    op_id = operation_id("topup", uuid.UUID(alice["user_id"]), key)
    await provider.charge(
        operation_id=op_id,
        source_type="card",
        reference="card-1",
        amount=Decimal("75.00"),
        currency="EGP",
        metadata={"user_id": alice["user_id"], "kind": "topup", "method": "card"},
    )
    headers, body = provider.callback(provider.records[("charge", op_id)], "charge.succeeded")
    assert (await ctx.post_callback(headers, body)).json() == {"status": "applied"}
    assert await ctx.balances(alice) == (Decimal("75.00"), Decimal("75.00"))
    r = await ctx.client.post(
        "/api/v1/wallet/topups",
        headers={**ctx.auth(alice["user_id"]), "Idempotency-Key": key},
        json={"amount": "75.00", "source": {"type": "card", "reference": "card-1"}},
    )
    assert r.status_code == 201 and r.json()["id"] == str(op_id) and r.json()["status"] == "completed"
    assert await ctx.balances(alice) == (Decimal("75.00"), Decimal("75.00"))


async def test_forged_stale_and_malformed_callbacks_change_nothing(ctx):
    alice = await ctx.user()
    op_id = uuid.UUID((await ctx.topup(alice, "60.00", "bank")).json()["id"])
    provider = ctx.app.state.funding
    headers, body = provider.settle(op_id, "charge.succeeded")
    forged_body = body.replace(b'"60.00"', b'"6000.00"')
    stale = {SIGNATURE_HEADER: sign(provider.secret, body, timestamp=int(time.time()) - 3600)}
    other_secret = {SIGNATURE_HEADER: sign(b"not-the-provider-secret-at-all-32b", body)}
    for bad_headers, bad_body in (
        ({}, body),  # unsigned
        (headers, forged_body),  # the body changed after signing
        (stale, body),  # a replay of an hour-old callback
        (other_secret, body),
        ({SIGNATURE_HEADER: "t=abc,v1=zz"}, body),
    ):
        r = await ctx.post_callback(bad_headers, bad_body)
        assert r.status_code == 401 and r.json()["code"] == "invalid_signature", r.text
        assert r.headers["content-type"].startswith("application/problem+json")
    assert await ctx.balances(alice) == (Decimal("0.00"), Decimal("0.00"))
    stored = await ctx.scalar("SELECT count(*) FROM ledger.provider_callbacks WHERE operation_id = :i", i=op_id)
    assert stored == 0  # refused before anything was written
    signed_nonsense = orjson.dumps({"id": "evt_1", "type": "charge.succeeded", "data": {"amount": "x"}})
    r = await ctx.post_callback({SIGNATURE_HEADER: sign(provider.secret, signed_nonsense)}, signed_nonsense)
    assert r.status_code == 422 and r.json()["code"] == "validation_error"
    r = await ctx.client.post("/api/v1/funding/webhooks/someone-else", headers=headers, content=body)
    assert r.status_code == 404
    assert (await ctx.post_callback(headers, body)).json() == {"status": "applied"}
    assert await ctx.balances(alice) == (Decimal("60.00"), Decimal("60.00"))


async def test_topup_limits_hold_under_concurrency(ctx_factory):
    async with ctx_factory(topup_limit_daily=Decimal("100.00"), topup_limit_monthly=Decimal("150.00")) as ctx:
        alice = await ctx.user()
        answers = await asyncio.gather(*(ctx.topup(alice, "30.00", "card") for _ in range(6)))
        codes = sorted(a.status_code for a in answers)
        assert codes == [201, 201, 201, 422, 422, 422], [a.text for a in answers]
        assert {a.json()["code"] for a in answers if a.status_code == 422} == {"limit_exceeded"}
        # pending bank top-ups count too; a failed one does not
        r = await ctx.topup(alice, "10.00", "bank")
        assert r.status_code == 202
        assert (await ctx.topup(alice, "0.01", "card")).json()["code"] == "limit_exceeded"
        headers, body = ctx.app.state.funding.settle(uuid.UUID(r.json()["id"]), "charge.failed")
        await ctx.post_callback(headers, body)
        assert (await ctx.topup(alice, "10.00", "card")).status_code == 201
        assert await ctx.balances(alice) == (Decimal("100.00"), Decimal("100.00"))


@pytest.mark.parametrize(
    ("environment", "provider"),
    [("production", "simulator"), ("production", "in_process"), ("staging", "simulator"), ("staging", "in_process")],
)
def test_simulated_providers_are_refused_outside_development(environment, provider):
    with pytest.raises(ValidationError) as refused:
        TransactionSettings(
            environment=environment,
            funding_provider=provider,
            # real internal secrets: the funding rule is what is refused
            **{f"internal_secret_{c}": secrets.token_urlsafe(36) for c in TransactionSettings.internal_peers},
            internal_secret_transaction=secrets.token_urlsafe(36),
            payment_link_secrets=secrets.token_urlsafe(36),
        )
    assert f"FUNDING_PROVIDER={provider} is refused with ENVIRONMENT={environment}" in str(refused.value)
