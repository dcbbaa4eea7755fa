"""One budget per user for resolving recipients: new identifiers count (30 a minute by default),
found or not, by the public lookup, the transaction service's parties and resolve calls alike,
with any token of the user (an API client's acts for its user); one already resolved today is free."""

from __future__ import annotations

import secrets
import uuid

from instapay_stack.testing import internal_headers

TRANSACTION = internal_headers("transaction")


def _phone() -> str:
    return "+2015" + "".join(secrets.choice("0123456789") for _ in range(8))


async def test_new_identifiers_share_one_budget_per_user_whatever_the_route(ctx, new_profile):
    client, issuer, app = ctx
    user = str(uuid.uuid4())
    own = {"Authorization": f"Bearer {issuer.token(user)}"}
    api_client = {"Authorization": f"Bearer {issuer.token(user, client_id='cl_x', scopes={'profile:read'})}"}
    per_minute = app.state.settings.recipient_lookups_per_minute
    friend = new_profile()
    await client.post("/internal/users", json=friend, headers=internal_headers("auth"))
    # A recipient is an account with a verified phone (pushed by the auth service).
    state = {"phone": friend["phone"], "email": friend["email"], "phone_verified": True, "email_verified": False}
    r = await client.put(
        f"/internal/users/{friend['user_id']}/verification",
        json={**state, "version": 1},
        headers=internal_headers("auth"),
    )
    assert r.status_code == 204, r.text
    known = await client.get("/api/v1/users/lookup", params={"q": friend["handle"]}, headers=own)
    assert known.status_code == 200
    statuses = []
    for i in range(per_minute - 1):
        if i % 3 == 0:
            r = await client.get("/api/v1/users/lookup", params={"q": _phone()}, headers=api_client)
        elif i % 3 == 1:
            r = await client.get(
                "/internal/users/parties", params={"q": _phone(), "sender_id": user}, headers=TRANSACTION
            )
        else:
            r = await client.get(
                "/internal/users/resolve", params={"q": _phone(), "acting_user_id": user}, headers=TRANSACTION
            )
        statuses.append(r.status_code)
    assert set(statuses) == {404}, statuses
    over = await client.get("/api/v1/users/lookup", params={"q": _phone()}, headers=own)
    assert over.status_code == 429 and over.json()["code"] == "rate_limited"
    assert 0 < int(over.headers["retry-after"]) <= 60
    # Paying the same friend again costs nothing, even with the budget spent.
    again = await client.get(
        "/internal/users/parties", params={"q": "@" + friend["handle"].upper(), "sender_id": user}, headers=TRANSACTION
    )
    assert again.status_code == 200
    # Another user has a budget of their own; sign-in by handle (no acting user) spends none.
    other = {"Authorization": f"Bearer {issuer.token()}"}
    assert (await client.get("/api/v1/users/lookup", params={"q": _phone()}, headers=other)).status_code == 404
    signin = await client.get(
        "/internal/users/resolve", params={"q": friend["handle"], "sign_in": "true"}, headers=internal_headers("auth")
    )
    assert signin.status_code == 200
