"""User service in-process: internal create/resolve/delete, profile read and PATCH rules."""

import json
import uuid

import pytest

from instapay_common.security.scopes import CLIENT_SCOPES
from instapay_stack.testing import internal_headers

INTERNAL = internal_headers("auth")  # the auth service: creates, resolves, removes profiles
TRANSACTION = internal_headers("transaction")  # parties and profiles: transfers


async def _verify(client, body, *, phone=True, email=True, version=1):
    """What the auth service pushes once the phone and e-mail are verified."""
    state = {
        "phone": body["phone"],
        "email": body["email"],
        "phone_verified": phone,
        "email_verified": email,
        "version": version,
    }
    r = await client.put(f"/internal/users/{body['user_id']}/verification", json=state, headers=INTERNAL)
    assert r.status_code == 204, r.text


async def test_internal_create_is_idempotent_and_refuses_duplicates(ctx, new_profile):
    client, _, _ = ctx
    body = new_profile()
    r1 = await client.post("/internal/users", json=body, headers=INTERNAL)
    assert r1.status_code == 201 and r1.json()["display_name"] == "Ahmed A."
    r2 = await client.post("/internal/users", json=body, headers=INTERNAL)
    assert r2.status_code == 200 and r2.json()["user_id"] == body["user_id"]
    # An unverified e-mail or phone is a claim that blocks nobody...
    for field in ("email", "phone"):
        claim = await client.post("/internal/users", json=new_profile(**{field: body[field]}), headers=INTERNAL)
        assert claim.status_code == 201, claim.text
    # ...a verified one is held.
    await _verify(client, body)
    for field, code in (("email", "email_taken"), ("phone", "phone_taken"), ("handle", "handle_taken")):
        other = new_profile(**{field: body[field]})
        r = await client.post("/internal/users", json=other, headers=INTERNAL)
        assert r.status_code == 409 and r.json()["code"] == code
    assert (await client.post("/internal/users", json=body)).status_code == 401


async def test_resolve_get_and_delete(ctx, new_profile):
    client, _, _ = ctx
    body = new_profile()
    await client.post("/internal/users", json=body, headers=INTERNAL)
    # No recipient before the phone is verified; by e-mail only once that is verified too.
    local_phone = "0" + body["phone"].removeprefix("+20")
    for q in (body["handle"], body["phone"], body["email"]):
        r = await client.get("/internal/users/resolve", params={"q": q}, headers=INTERNAL)
        assert r.status_code == 404 and r.json()["code"] == "recipient_not_found", q
    signing_in = await client.get(
        "/internal/users/resolve", params={"q": body["handle"], "sign_in": "true"}, headers=INTERNAL
    )
    assert signing_in.status_code == 200 and signing_in.json()["user_id"] == body["user_id"]
    await _verify(client, body, email=False)
    r = await client.get("/internal/users/resolve", params={"q": body["email"]}, headers=INTERNAL)
    assert r.status_code == 404
    await _verify(client, body, version=2)
    for q in (body["handle"], "@" + body["handle"], body["phone"], local_phone, body["email"].upper()):
        r = await client.get("/internal/users/resolve", params={"q": q}, headers=INTERNAL)
        assert r.status_code == 200 and r.json()["user_id"] == body["user_id"], q
    got = await client.get(f"/internal/users/{body['user_id']}", headers=TRANSACTION)
    assert got.json()["preferences"] == {
        "language": "en",
        "notify_email": True,
        "notify_sms": False,
        "notify_push": True,
    }
    assert (await client.delete(f"/internal/users/{body['user_id']}", headers=INTERNAL)).status_code == 204
    assert (await client.delete(f"/internal/users/{body['user_id']}", headers=INTERNAL)).status_code == 204
    r = await client.get("/internal/users/resolve", params={"q": body["handle"]}, headers=INTERNAL)
    assert r.status_code == 404 and r.json()["code"] == "recipient_not_found"


async def test_each_internal_route_admits_only_its_callers(ctx, new_profile):
    """The notification service reads contact details but cannot remove a profile; only the auth
    service (a failed registration's compensation) can."""
    client, _, _ = ctx
    body = new_profile()
    await client.post("/internal/users", json=body, headers=INTERNAL)
    notification = internal_headers("notification")
    assert (await client.get(f"/internal/users/{body['user_id']}", headers=notification)).status_code == 200
    refused = await client.delete(f"/internal/users/{body['user_id']}", headers=notification)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert refused.headers["content-type"].startswith("application/problem+json")
    for caller in ("notification", "transaction"):
        r = await client.post("/internal/users", json=new_profile(), headers=internal_headers(caller))
        assert r.status_code == 403, caller
    # A caller the user service accepts nowhere (the relay, the gateway) is not authenticated at all.
    for caller in ("relay", "gateway"):
        r = await client.delete(f"/internal/users/{body['user_id']}", headers=internal_headers(caller))
        assert r.status_code == 401 and r.json()["code"] == "unauthenticated", caller
    assert (await client.get(f"/internal/users/{body['user_id']}", headers=TRANSACTION)).status_code == 200


async def test_parties_finds_recipient_and_sender_in_one_call(ctx, new_profile):
    client, _, _ = ctx
    sender, recipient = new_profile(), new_profile()
    for body in (sender, recipient):
        await client.post("/internal/users", json=body, headers=INTERNAL)
    unverified = await client.get(
        "/internal/users/parties",
        params={"q": recipient["handle"], "sender_id": sender["user_id"]},
        headers=TRANSACTION,
    )
    assert unverified.status_code == 404 and unverified.json()["code"] == "recipient_not_found"
    for body in (sender, recipient):
        await _verify(client, body)
    for q in (recipient["handle"], "@" + recipient["handle"], recipient["phone"], recipient["email"].upper()):
        r = await client.get(
            "/internal/users/parties", params={"q": q, "sender_id": sender["user_id"]}, headers=TRANSACTION
        )
        assert r.status_code == 200, r.text
        assert r.json()["recipient"]["user_id"] == recipient["user_id"], q
        assert r.json()["sender"]["user_id"] == sender["user_id"]
        assert r.json()["sender"]["handle"] == sender["handle"]
    to_self = await client.get(
        "/internal/users/parties", headers=TRANSACTION, params={"q": sender["handle"], "sender_id": sender["user_id"]}
    )
    assert to_self.json()["recipient"] == to_self.json()["sender"], "self-transfer: the caller decides"
    unknown_sender = await client.get(
        "/internal/users/parties",
        headers=TRANSACTION,
        params={"q": recipient["handle"], "sender_id": str(uuid.uuid4())},
    )
    assert unknown_sender.status_code == 200 and unknown_sender.json()["sender"] is None
    for q in ("nobody" + uuid.uuid4().hex[:6], "not a handle!"):
        r = await client.get(
            "/internal/users/parties", params={"q": q, "sender_id": sender["user_id"]}, headers=TRANSACTION
        )
        assert r.status_code == 404 and r.json()["code"] == "recipient_not_found", q
    assert (
        await client.get("/internal/users/parties", params={"q": recipient["handle"], "sender_id": sender["user_id"]})
    ).status_code == 401
    for params, field in (
        ({"q": recipient["handle"], "sender_id": "42"}, "sender_id"),
        ({"sender_id": sender["user_id"]}, "q"),
        ({"q": "x" * 255, "sender_id": sender["user_id"]}, "q"),
    ):
        r = await client.get("/internal/users/parties", params=params, headers=TRANSACTION)
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), params
        assert [e["field"] for e in r.json()["errors"]] == [field]


async def test_me_patch_and_forbidden_fields(ctx, new_profile):
    client, issuer, _ = ctx
    body = new_profile()
    await client.post("/internal/users", json=body, headers=INTERNAL)
    auth = {"Authorization": "Bearer " + issuer.token(body["user_id"])}
    me = await client.get("/api/v1/users/me", headers=auth)
    assert me.status_code == 200 and me.json()["handle"] == body["handle"]
    new_handle = "h" + uuid.uuid4().hex[:10]
    r = await client.patch(
        "/api/v1/users/me",
        headers=auth,
        json={"full_name": "Ahmed Samy", "handle": new_handle, "preferences": {"language": "ar"}},
    )
    assert r.status_code == 200, r.text
    assert r.json()["handle"] == new_handle and r.json()["preferences"]["language"] == "ar"
    assert r.json()["preferences"]["notify_email"] is True
    for bad in (
        {"email": "x@example.com"},
        {"user_id": str(uuid.uuid4())},
        {"roles": ["admin"]},
        {"balance": "100.00"},
        {"preferences": {"theme": "dark"}},
        {"handle": "NO SPACES"},
        {"preferences": {"language": "fr"}},
    ):
        r = await client.patch("/api/v1/users/me", headers=auth, json=bad)
        assert r.status_code == 422 and r.json()["code"] == "validation_error", bad
    assert (await client.get("/api/v1/users/me", headers=auth)).json()["email"] == body["email"]
    other = new_profile()
    await client.post("/internal/users", json=other, headers=INTERNAL)
    r = await client.patch("/api/v1/users/me", headers=auth, json={"handle": other["handle"]})
    assert r.status_code == 409 and r.json()["code"] == "handle_taken"


async def test_scopes_and_lookup(ctx, new_profile):
    client, issuer, _ = ctx
    body = new_profile(full_name="Mona Zaki")
    await client.post("/internal/users", json=body, headers=INTERNAL)
    await _verify(client, body)
    reader = {"Authorization": "Bearer " + issuer.token(body["user_id"], scopes=CLIENT_SCOPES, client_id="ipc_x")}
    assert (await client.get("/api/v1/users/me", headers=reader)).status_code == 200
    r = await client.patch("/api/v1/users/me", headers=reader, json={"full_name": "X"})
    assert r.status_code == 403 and r.json()["code"] == "insufficient_scope"
    r = await client.get("/api/v1/users/lookup", params={"q": body["phone"]}, headers=reader)
    assert r.json() == {"user_id": body["user_id"], "handle": body["handle"], "display_name": "Mona Z."}
    r = await client.get("/api/v1/users/lookup", params={"q": "nobody.here"}, headers=reader)
    assert r.status_code == 404 and r.json()["code"] == "recipient_not_found"
    assert (await client.get("/api/v1/users/me")).status_code == 401


@pytest.mark.parametrize("value", [0, 1, "true", "no", 1.0, [], {}], ids=repr)
async def test_preference_flags_are_json_booleans(ctx, value, new_profile):
    """Preference flags are JSON booleans only: `{"preferences": {"notify_push": 0}}` is a 422, not false."""
    client, issuer, _ = ctx
    body = new_profile()
    await client.post("/internal/users", json=body, headers=INTERNAL)
    auth = {"Authorization": "Bearer " + issuer.token(body["user_id"])}
    before = (await client.get("/api/v1/users/me", headers=auth)).json()["preferences"]
    for flag in ("notify_email", "notify_sms", "notify_push"):
        r = await client.patch("/api/v1/users/me", headers=auth, json={"preferences": {flag: value}})
        assert r.status_code == 422 and r.json()["code"] == "validation_error", (flag, r.text)
        assert [e["field"] for e in r.json()["errors"]] == [f"preferences.{flag}"]
    assert (await client.get("/api/v1/users/me", headers=auth)).json()["preferences"] == before
    flipped = not before["notify_sms"]
    r = await client.patch("/api/v1/users/me", headers=auth, json={"preferences": {"notify_sms": flipped}})
    assert r.status_code == 200 and r.json()["preferences"]["notify_sms"] is flipped


@pytest.mark.parametrize("value", ["a\u0000b", "\u0000", "\ud800", "a\u001bb"], ids=repr)
async def test_full_name_refuses_what_cannot_be_stored(ctx, value, new_profile):
    """A full name PostgreSQL cannot store (NUL) is a 422 on PATCH /users/me and on the internal
    create that registration calls, never a 500 or a compensated 503."""
    client, issuer, _ = ctx
    body = new_profile()
    # sent as escaped JSON (\\ud800 cannot be encoded as UTF-8 by the client either)
    r = await client.post(
        "/internal/users",
        content=json.dumps({**body, "full_name": value}),
        headers={**INTERNAL, "Content-Type": "application/json"},
    )
    assert r.status_code == 422 and r.json()["code"] == "validation_error", r.text
    assert (await client.get(f"/internal/users/{body['user_id']}", headers=TRANSACTION)).status_code == 404
    await client.post("/internal/users", json=body, headers=INTERNAL)
    auth = {"Authorization": "Bearer " + issuer.token(body["user_id"])}
    r = await client.patch(
        "/api/v1/users/me",
        headers={**auth, "Content-Type": "application/json"},
        content=json.dumps({"full_name": value}),
    )
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["full_name"], r.text
    assert (await client.get("/api/v1/users/me", headers=auth)).json()["full_name"] == body["full_name"]


async def test_reserved_and_released_handles(ctx, new_profile):
    client, issuer, _ = ctx
    owner, other = new_profile(), new_profile()
    for body in (owner, other):
        await client.post("/internal/users", json=body, headers=INTERNAL)
    owner_auth = {"Authorization": "Bearer " + issuer.token(owner["user_id"])}
    other_auth = {"Authorization": "Bearer " + issuer.token(other["user_id"])}
    for reserved in ("admin", "support_2", "insta.pay", "instapay.eg"):
        r = await client.patch("/api/v1/users/me", headers=owner_auth, json={"handle": reserved})
        assert r.status_code == 422 and r.json()["code"] == "handle_reserved", reserved
    r = await client.post("/internal/users", json=new_profile(handle="billing"), headers=INTERNAL)
    assert r.status_code == 422 and r.json()["code"] == "handle_reserved"
    # Given up: nobody else may take it (nor register with it) while its owner may take it back.
    released, moved = owner["handle"], "m" + uuid.uuid4().hex[:10]
    assert (await client.patch("/api/v1/users/me", headers=owner_auth, json={"handle": moved})).status_code == 200
    r = await client.patch("/api/v1/users/me", headers=other_auth, json={"handle": released})
    assert r.status_code == 409 and r.json()["code"] == "handle_taken"
    r = await client.post("/internal/users", json=new_profile(handle=released), headers=INTERNAL)
    assert r.status_code == 409 and r.json()["code"] == "handle_taken"
    r = await client.get("/internal/users/resolve", params={"q": released}, headers=INTERNAL)
    assert r.status_code == 404
    r = await client.patch("/api/v1/users/me", headers=owner_auth, json={"handle": released})
    assert r.status_code == 200 and r.json()["handle"] == released
    # Taken back and given up again: the quarantine now keeps `moved` for the owner.
    r = await client.patch("/api/v1/users/me", headers=other_auth, json={"handle": moved})
    assert r.status_code == 409 and r.json()["code"] == "handle_taken"


async def test_lookup_by_an_api_client_needs_profile_read(ctx, new_profile):
    client, issuer, _ = ctx
    body = new_profile()
    await client.post("/internal/users", json=body, headers=INTERNAL)
    wallet_only = issuer.token(body["user_id"], scopes={"wallet:read"}, client_id="ipc_y")
    r = await client.get(
        "/api/v1/users/lookup", params={"q": body["handle"]}, headers={"Authorization": "Bearer " + wallet_only}
    )
    assert r.status_code == 403 and r.json()["code"] == "insufficient_scope"


async def test_verification_state_applies_the_newest_version_only(ctx, new_profile):
    client, issuer, _ = ctx
    body = new_profile()
    await client.post("/internal/users", json=body, headers=INTERNAL)
    auth = {"Authorization": "Bearer " + issuer.token(body["user_id"])}
    me = (await client.get("/api/v1/users/me", headers=auth)).json()
    assert (me["phone_verified"], me["email_verified"]) == (False, False)
    await _verify(client, body, version=3)
    await _verify(client, {**body, "phone": "+201199999999"}, phone=False, email=False, version=2)  # late, older
    me = (await client.get("/api/v1/users/me", headers=auth)).json()
    assert (me["phone"], me["phone_verified"], me["email_verified"]) == (body["phone"], True, True)
    # A new phone from the auth service (unverified) replaces the old one.
    new_phone = "+2015" + str(uuid.uuid4().int)[:8]
    await _verify(client, {**body, "phone": new_phone}, phone=False, version=4)
    me = (await client.get("/api/v1/users/me", headers=auth)).json()
    assert (me["phone"], me["phone_verified"], me["email_verified"]) == (new_phone, False, True)
    other = new_profile()
    r = await client.put(
        f"/internal/users/{other['user_id']}/verification",
        json={
            "phone": other["phone"],
            "email": other["email"],
            "phone_verified": True,
            "email_verified": True,
            "version": 1,
        },
        headers=INTERNAL,
    )
    assert r.status_code == 404 and r.json()["code"] == "user_not_found"
    forbidden = await client.put(
        f"/internal/users/{body['user_id']}/verification",
        json={
            "phone": body["phone"],
            "email": body["email"],
            "phone_verified": True,
            "email_verified": True,
            "version": 9,
        },
        headers=TRANSACTION,
    )
    assert forbidden.status_code == 403


async def test_lookup_gives_several_profiles_in_one_call(ctx, new_profile):
    """What `GET /internal/users/{id}` gives each, for the ids that exist, in the order asked."""
    client, _, _ = ctx
    a, b = new_profile(), new_profile()
    for body in (a, b):
        await client.post("/internal/users", json=body, headers=INTERNAL)
    notification = internal_headers("notification")
    ghost = str(uuid.uuid4())
    r = await client.post(
        "/internal/users/lookup", json={"ids": [b["user_id"], ghost, a["user_id"], b["user_id"]]}, headers=notification
    )
    assert r.status_code == 200, r.text
    one_by_one = [(await client.get(f"/internal/users/{u['user_id']}", headers=notification)).json() for u in (b, a)]
    assert r.json() == {"items": one_by_one}
    assert (await client.post("/internal/users/lookup", json={"ids": []}, headers=notification)).status_code == 422
    too_many = {"ids": [str(uuid.uuid4()) for _ in range(501)]}
    assert (await client.post("/internal/users/lookup", json=too_many, headers=notification)).status_code == 422
    assert (await client.post("/internal/users/lookup", json={"ids": [ghost]}, headers=INTERNAL)).status_code == 403
