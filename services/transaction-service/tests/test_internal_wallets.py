"""Internal wallet lifecycle used by registration (create, idempotent, compensation)."""

import uuid

from sqlalchemy import text

from instapay_stack.e2e import DEFAULT_PIN
from instapay_stack.testing import internal_headers


async def test_create_wallet_is_idempotent_and_starts_at_zero(ctx):
    uid = str(uuid.uuid4())
    r1 = await ctx.client.post("/internal/wallets", json={"user_id": uid}, headers=ctx.internal())
    assert r1.status_code == 201
    assert r1.json()["balance"] == "0.00" and r1.json()["currency"] == "EGP" and r1.json()["status"] == "active"
    r2 = await ctx.client.post("/internal/wallets", json={"user_id": uid}, headers=ctx.internal())
    assert r2.status_code == 200 and r2.json()["account_id"] == r1.json()["account_id"]


async def test_internal_endpoints_need_the_callers_own_credential(ctx):
    r = await ctx.client.post("/internal/wallets", json={"user_id": str(uuid.uuid4())})
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"
    # The reporting service may read the event log, not open or remove wallets.
    reporting = internal_headers("reporting")
    r = await ctx.client.post("/internal/wallets", json={"user_id": str(uuid.uuid4())}, headers=reporting)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert (await ctx.client.delete(f"/internal/wallets/{uuid.uuid4()}", headers=reporting)).status_code == 403
    assert (await ctx.client.get("/internal/events", headers=reporting)).status_code == 200
    assert (await ctx.client.get("/internal/events", headers=ctx.internal())).status_code == 403
    r = await ctx.client.post("/internal/wallets", json={"user_id": "nope"}, headers=ctx.internal())
    assert r.status_code == 422 and r.json()["code"] == "validation_error"


async def test_delete_wallet_compensates_only_unused_wallets(ctx):
    uid = str(uuid.uuid4())
    await ctx.client.post("/internal/wallets", json={"user_id": uid}, headers=ctx.internal())
    r = await ctx.client.delete(f"/internal/wallets/{uid}", headers=ctx.internal())
    assert r.status_code == 204
    r = await ctx.client.delete(f"/internal/wallets/{uid}", headers=ctx.internal())
    assert r.status_code == 204  # idempotent
    async with ctx.app.state.db.sessionmaker() as s:
        assert (
            await s.execute(text("SELECT count(*) FROM ledger.accounts WHERE user_id = :u"), {"u": uid})
        ).scalar_one() == 0


def _key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


async def test_money_waits_for_a_verified_phone(ctx):
    """Until the auth service says the owner's phone is verified, the wallet's money operations
    answer 403 phone_not_verified and it receives nothing (404, as if it did not exist); the same
    Idempotency-Key works once the phone is verified (nothing was stored)."""
    payer = await ctx.user(balance="100.00")
    fresh = await ctx.user(phone_verified=False)
    headers = {**ctx.auth(fresh["user_id"]), **_key()}
    topup = {"amount": "50.00", "source": {"type": "card", "reference": "card-4242"}}
    r = await ctx.client.post("/api/v1/wallet/topups", headers=headers, json=topup)
    assert r.status_code == 403 and r.json()["code"] == "phone_not_verified"
    r = await ctx.client.post(
        "/api/v1/transfers",
        headers={**ctx.auth(fresh["user_id"]), **_key()},
        json={"recipient": payer["handle"], "amount": "1.00", "pin": DEFAULT_PIN},
    )
    assert r.status_code == 403 and r.json()["code"] == "phone_not_verified"
    r = await ctx.client.post(
        "/api/v1/wallet/withdrawals",
        headers={**ctx.auth(fresh["user_id"]), **_key()},
        json={"amount": "1.00", "destination": {"type": "bank", "reference": "iban-1"}, "pin": DEFAULT_PIN},
    )
    assert r.status_code == 403 and r.json()["code"] == "phone_not_verified"
    r = await ctx.client.post(
        "/api/v1/payment-requests", headers=ctx.auth(fresh["user_id"]), json={"payer": payer["handle"], "amount": "2"}
    )
    assert r.status_code == 403 and r.json()["code"] == "phone_not_verified"
    # As a recipient (even if a lookup answered from an older state): not found, no money moved.
    r = await ctx.client.post(
        "/api/v1/transfers",
        headers={**ctx.auth(payer["user_id"]), **_key()},
        json={"recipient": fresh["handle"], "amount": "1.00", "pin": DEFAULT_PIN},
    )
    assert r.status_code == 404 and r.json()["code"] == "recipient_not_found"

    await ctx.set_phone_verified(fresh, True)
    await ctx.set_phone_verified(fresh, True)  # idempotent
    r = await ctx.client.post("/api/v1/wallet/topups", headers=headers, json=topup)  # the same key
    assert r.status_code == 201, r.text
    await ctx.set_phone_verified(fresh, False)  # a new, unverified phone stops it again
    r = await ctx.client.post("/api/v1/wallet/topups", headers={**ctx.auth(fresh["user_id"]), **_key()}, json=topup)
    assert r.status_code == 403 and r.json()["code"] == "phone_not_verified"


async def test_verification_route_is_the_auth_services_only(ctx):
    user = await ctx.user()
    path = f"/internal/wallets/{user['user_id']}/verification"
    r = await ctx.client.put(path, json={"phone_verified": True}, headers=internal_headers("reporting"))
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    r = await ctx.client.put(path, json={"phone_verified": True})
    assert r.status_code == 401
    r = await ctx.client.put(
        f"/internal/wallets/{uuid.uuid4()}/verification", json={"phone_verified": True}, headers=ctx.internal()
    )
    assert r.status_code == 404 and r.json()["code"] == "wallet_not_found"
    r = await ctx.client.put(path, json={"phone_verified": "yes please"}, headers=ctx.internal())
    assert r.status_code == 422
