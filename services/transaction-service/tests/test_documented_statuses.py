"""Every error status the money routes answer is in their OpenAPI, as problem+json: 423
(`pin_locked`, `account_frozen`) and the funding provider's 502 included, so generated clients
and schemathesis expect them."""

import uuid

from instapay_stack.e2e import DEFAULT_PIN


def _documented(ctx, path: str, status: int) -> None:
    operation = ctx.app.openapi()["paths"][path]["post"]
    assert str(status) in operation["responses"], (path, status, sorted(operation["responses"]))
    assert "application/problem+json" in operation["responses"][str(status)]["content"]


async def test_locked_and_provider_failure_answers_are_documented(ctx):
    alice = await ctx.user(balance="100.00")
    bob = await ctx.user(balance="100.00")

    def as_user(user):
        return {**ctx.auth(user["user_id"]), "Idempotency-Key": uuid.uuid4().hex}

    # A withdrawal only places a hold: the provider is asked later, outside the request.
    body = {"amount": "1.00", "source": {"type": "bank", "reference": "error-provider-down"}}
    r = await ctx.client.post("/api/v1/wallet/topups", headers=as_user(alice), json=body)
    assert r.status_code == 502 and r.json()["code"] == "funding_provider_error", r.text
    _documented(ctx, "/api/v1/wallet/topups", 502)

    request = await ctx.client.post(
        "/api/v1/payment-requests", headers=ctx.auth(bob["user_id"]), json={"payer": alice["handle"], "amount": "2.00"}
    )
    assert request.status_code == 201, request.text
    await ctx.freeze(alice, reason="t")
    for path, body in (
        ("/api/v1/transfers", {"recipient": bob["handle"], "amount": "1.00", "pin": DEFAULT_PIN}),
        ("/api/v1/wallet/topups", {"amount": "1.00", "source": {"type": "card", "reference": "c"}}),
        (
            "/api/v1/wallet/withdrawals",
            {"amount": "1.00", "destination": {"type": "bank", "reference": "b"}, "pin": DEFAULT_PIN},
        ),
        (f"/api/v1/payment-requests/{request.json()['id']}/accept", {"pin": DEFAULT_PIN}),
    ):
        r = await ctx.client.post(path, headers=as_user(alice), json=body)
        assert r.status_code == 423 and r.json()["code"] == "account_frozen", (path, r.text)
        template = "/api/v1/payment-requests/{request_id}/accept" if "accept" in path else path
        _documented(ctx, template, 423)
