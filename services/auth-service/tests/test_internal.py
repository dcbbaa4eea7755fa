"""Internal endpoints: PIN verification with lockout, revoked-session feed, JWKS."""

import asyncio
import time
import uuid

from sqlalchemy import select

from auth_service.api.internal import REVOCATION_OVERLAP_SECONDS
from auth_service.models import Credential


async def test_internal_endpoints_need_the_callers_own_credential(app_client, internal_headers, gateway_headers):
    r = await app_client.get("/internal/sessions/revoked")
    assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")
    pin = {"user_id": "00000000-0000-0000-0000-000000000000", "pin": "123456"}
    wrong = {**internal_headers, "X-Internal-Token": "nope"}
    r = await app_client.post("/internal/pin/verify", json=pin, headers=wrong)
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"
    # Another caller's secret under this caller's name is no credential.
    swapped = {**internal_headers, "X-Internal-Token": gateway_headers["X-Internal-Token"]}
    assert (await app_client.post("/internal/pin/verify", json=pin, headers=swapped)).status_code == 401
    # Right credentials, wrong route: the gateway may read the revocation feed, not check PINs;
    # the transaction service the reverse.
    r = await app_client.post("/internal/pin/verify", json=pin, headers=gateway_headers)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    r = await app_client.get("/internal/sessions/revoked", headers=internal_headers)
    assert r.status_code == 403 and "transaction" in r.json()["detail"]


async def test_a_malformed_pin_request_gets_field_errors_not_a_500(app_client, internal_headers):
    # The PIN route is a plain Starlette route (fast_routes.py): same problem+json as FastAPI's.
    cases = [({"user_id": "not-a-uuid", "pin": "123456"}, "user_id"), ({"user_id": str(uuid.uuid4())}, "pin")]
    for body, field in cases:
        r = await app_client.post("/internal/pin/verify", json=body, headers=internal_headers)
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
        problem = r.json()
        assert problem["code"] == "validation_error" and [e["field"] for e in problem["errors"]] == [field]
    r = await app_client.post("/internal/pin/verify", content=b"{not json", headers=internal_headers)
    assert r.status_code == 422 and r.json()["code"] == "validation_error"


async def test_pin_right_wrong_and_lockout_after_five(app_client, internal_headers, active_user):
    uid = str(active_user["user_id"])
    ok = await app_client.post("/internal/pin/verify", json={"user_id": uid, "pin": "246810"}, headers=internal_headers)
    assert ok.status_code == 204
    for attempt in range(5):
        r = await app_client.post(
            "/internal/pin/verify", json={"user_id": uid, "pin": "000000"}, headers=internal_headers
        )
        assert r.status_code == 403 and r.json()["code"] == "invalid_pin", attempt
    locked = await app_client.post(
        "/internal/pin/verify", json={"user_id": uid, "pin": "246810"}, headers=internal_headers
    )
    assert locked.status_code == 423 and locked.json()["code"] == "pin_locked"
    assert int(locked.headers["retry-after"]) > 14 * 60
    async with app_client.app.state.db.sessionmaker() as db:
        row = await db.scalar(select(Credential).where(Credential.user_id == active_user["user_id"]))
    assert row.pin_locked_until is not None and row.pin_hash != "246810" and len(row.pin_hash) == 64


async def test_a_right_pin_after_wrong_ones_resets_the_count(app_client, internal_headers, active_user):
    """The right PIN skips the locked path only when there is nothing to reset; after failures it
    takes the locked path and clears them, so failures never add up across successes."""
    uid = str(active_user["user_id"])

    async def verify(pin: str):
        return await app_client.post(
            "/internal/pin/verify", json={"user_id": uid, "pin": pin}, headers=internal_headers
        )

    for _ in range(3):
        assert (await verify("000000")).status_code == 403
    assert (await verify("246810")).status_code == 204
    async with app_client.app.state.db.sessionmaker() as db:
        row = await db.scalar(select(Credential).where(Credential.user_id == active_user["user_id"]))
    assert row.pin_failed_attempts == 0
    for _ in range(4):
        r = await verify("000000")
    assert r.status_code == 403 and "1 attempt(s) left" in r.json()["detail"]
    assert (await verify("246810")).status_code == 204
    assert (await verify("246810")).status_code == 204, "fast path: nothing to reset"


async def test_pin_not_set_and_unknown_user(app_client, internal_headers, active_user):
    async with app_client.app.state.db.sessionmaker() as db:
        row = await db.get(Credential, active_user["user_id"])
        row.pin_hash = None
        await db.commit()
    r = await app_client.post(
        "/internal/pin/verify", json={"user_id": str(active_user["user_id"]), "pin": "246810"}, headers=internal_headers
    )
    assert r.status_code == 403 and r.json()["code"] == "pin_not_set"
    r = await app_client.post(
        "/internal/pin/verify",
        json={"user_id": "00000000-0000-0000-0000-000000000001", "pin": "246810"},
        headers=internal_headers,
    )
    assert r.status_code == 404


async def test_revoked_sessions_feed(app_client, gateway_headers, active_user):
    from auth_service.service.sessions import revoke_session

    before = time.time() - 1
    async with app_client.app.state.db.sessionmaker() as db:
        await revoke_session(db, session_id=active_user["session_id"], user_id=active_user["user_id"], reason="t")
        await db.commit()
    r = await app_client.get("/internal/sessions/revoked", params={"since": before}, headers=gateway_headers)
    assert r.status_code == 200
    body = r.json()
    assert str(active_user["session_id"]) in {i["session_id"] for i in body["items"]}
    assert body["now"] <= time.time()
    later = await app_client.get(
        "/internal/sessions/revoked", params={"since": time.time() + 5}, headers=gateway_headers
    )
    assert later.json()["items"] == []


async def test_jwks_publishes_one_public_ed25519_key(app_client):
    keys = (await app_client.get("/.well-known/jwks.json")).json()["keys"]
    assert len(keys) == 1 and keys[0]["kty"] == "OKP" and keys[0]["crv"] == "Ed25519" and keys[0]["kid"]
    assert "d" not in keys[0]


async def test_a_revocation_committed_late_is_in_the_next_poll(app_client, gateway_headers, active_user):
    """A revocation stamped, then committed only after a poll (a slow transaction under load), is
    in the poll that starts where that one said to: the feed's `now` never passes the start of a
    transaction still open, so a poller cannot move beyond a stamp it has not seen yet."""
    from auth_service.service.sessions import revoke_session

    async with app_client.app.state.db.sessionmaker() as slow:
        await revoke_session(slow, session_id=active_user["session_id"], user_id=active_user["user_id"], reason="t")
        # Longer than the feed's overlap: with `now` taken from the clock, the stamp falls behind it.
        await asyncio.sleep(REVOCATION_OVERLAP_SECONDS + 1.5)
        first = await app_client.get("/internal/sessions/revoked", headers=gateway_headers)
        assert str(active_user["session_id"]) not in {i["session_id"] for i in first.json()["items"]}
        await slow.commit()
    since = first.json()["now"]
    nxt = await app_client.get("/internal/sessions/revoked", params={"since": since}, headers=gateway_headers)
    assert str(active_user["session_id"]) in {i["session_id"] for i in nxt.json()["items"]}
