"""API clients and scopes, the transaction PIN, the users API, and secrets at rest, through the
gateway with every real service (contract: Auth, Users)."""

import httpx
import pytest

from instapay_common.security.scopes import CLIENT_SCOPES
from instapay_stack.e2e import DEFAULT_PIN, claims_of, create_api_client, fetch_rows, make_admin, problem, register_user
from instapay_stack.testing import internal_headers


@pytest.fixture
def gw(stack):
    with httpx.Client(base_url=stack.gateway_url, timeout=20) as client:
        yield client


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_api_client_token_is_limited_to_its_scopes(gw, stack):
    user = register_user(stack.gateway_url, pin=None)
    problem(
        gw.post("/api/v1/auth/clients", json={"name": "x", "scopes": ["account:manage"]}, headers=user.auth_headers()),
        422,
        "validation_error",
    )
    problem(
        gw.post("/api/v1/auth/clients", json={"name": "x", "scopes": []}, headers=user.auth_headers()),
        422,
        "validation_error",
    )
    client = create_api_client(stack.gateway_url, user, ["profile:read", "wallet:read"], name="budget app")
    assert client["client_id"].startswith("ipc_") and client["client_secret"]
    assert client["scopes"] == ["profile:read", "wallet:read"]
    _, claims = claims_of(client["access_token"])
    assert claims["sub"] == user.user_id and claims["client_id"] == client["client_id"] and claims["roles"] == []
    assert set(claims["scope"].split()) == {"profile:read", "wallet:read"}
    token = _bearer(client["access_token"])
    assert gw.get("/api/v1/users/me", headers=token).status_code == 200
    problem(gw.patch("/api/v1/users/me", json={"full_name": "Hacked"}, headers=token), 403, "insufficient_scope")
    problem(gw.get("/api/v1/auth/sessions", headers=token), 403, "insufficient_scope")
    problem(
        gw.post("/api/v1/auth/clients", json={"name": "y", "scopes": ["wallet:read"]}, headers=token),
        403,
        "insufficient_scope",
    )
    problem(
        gw.put("/api/v1/auth/pin", json={"pin": DEFAULT_PIN, "password": user.password}, headers=token),
        403,
        "insufficient_scope",
    )
    # HTTP Basic client authentication works too, and a narrower scope can be asked for
    basic = gw.post(
        "/api/v1/auth/token",
        data={"grant_type": "client_credentials", "scope": "wallet:read"},
        auth=(client["client_id"], client["client_secret"]),
    )
    assert basic.status_code == 200 and basic.json()["scope"] == "wallet:read" and "refresh_token" not in basic.json()
    problem(
        gw.post(
            "/api/v1/auth/token",
            data={"grant_type": "client_credentials", "scope": "transfers:write"},
            auth=(client["client_id"], client["client_secret"]),
        ),
        400,
        "invalid_scope",
    )
    problem(
        gw.post(
            "/api/v1/auth/token", data={"grant_type": "client_credentials"}, auth=(client["client_id"], "wrong-secret")
        ),
        401,
        "invalid_client",
    )
    listed = gw.get("/api/v1/auth/clients", headers=user.auth_headers()).json()["items"]
    assert [c["client_id"] for c in listed] == [client["client_id"]] and "client_secret" not in listed[0]
    other = register_user(stack.gateway_url, pin=None)
    problem(
        gw.delete(f"/api/v1/auth/clients/{client['client_id']}", headers=other.auth_headers()), 404, "client_not_found"
    )
    assert gw.delete(f"/api/v1/auth/clients/{client['client_id']}", headers=user.auth_headers()).status_code == 204
    problem(
        gw.post(
            "/api/v1/auth/token",
            data={"grant_type": "client_credentials"},
            auth=(client["client_id"], client["client_secret"]),
        ),
        401,
        "invalid_client",
    )
    assert gw.get("/api/v1/auth/clients", headers=user.auth_headers()).json()["items"] == []


def test_transaction_pin_set_change_and_internal_verify(gw, stack):
    user = register_user(stack.gateway_url, pin=None)
    internal = internal_headers("transaction", stack.env)
    verify_url = stack.url_of("auth") + "/internal/pin/verify"
    problem(
        httpx.post(verify_url, json={"user_id": user.user_id, "pin": DEFAULT_PIN}, headers=internal), 403, "pin_not_set"
    )
    problem(
        gw.put("/api/v1/auth/pin", json={"pin": "12345", "password": user.password}, headers=user.auth_headers()),
        422,
        "validation_error",
    )
    problem(
        gw.put("/api/v1/auth/pin", json={"pin": "12a456", "password": user.password}, headers=user.auth_headers()),
        422,
        "validation_error",
    )
    problem(
        gw.put("/api/v1/auth/pin", json={"pin": "482915", "password": "Wrong-Pass-123"}, headers=user.auth_headers()),
        403,
        "invalid_password",
    )
    assert (
        gw.put(
            "/api/v1/auth/pin", json={"pin": "482915", "password": user.password}, headers=user.auth_headers()
        ).status_code
        == 204
    )
    assert httpx.post(verify_url, json={"user_id": user.user_id, "pin": "482915"}, headers=internal).status_code == 204
    problem(
        httpx.post(verify_url, json={"user_id": user.user_id, "pin": "111111"}, headers=internal), 403, "invalid_pin"
    )
    assert (
        gw.put(
            "/api/v1/auth/pin", json={"pin": "739201", "password": user.password}, headers=user.auth_headers()
        ).status_code
        == 204
    )
    problem(
        httpx.post(verify_url, json={"user_id": user.user_id, "pin": "482915"}, headers=internal), 403, "invalid_pin"
    )
    assert httpx.post(verify_url, json={"user_id": user.user_id, "pin": "739201"}, headers=internal).status_code == 204
    for _ in range(4):
        httpx.post(verify_url, json={"user_id": user.user_id, "pin": "000000"}, headers=internal)
    problem(
        httpx.post(verify_url, json={"user_id": user.user_id, "pin": "000001"}, headers=internal), 403, "invalid_pin"
    )  # the fifth wrong one in a row locks...
    problem(
        httpx.post(verify_url, json={"user_id": user.user_id, "pin": "739201"}, headers=internal), 423, "pin_locked"
    )  # ...so even the right PIN is refused for 15 minutes
    problem(httpx.post(verify_url, json={"user_id": user.user_id, "pin": "739201"}), 401, "unauthenticated")


def test_users_api_through_the_gateway(gw, stack):
    user = register_user(stack.gateway_url, pin=None, full_name="Ahmed Mohamed")
    me = gw.get("/api/v1/users/me", headers=user.auth_headers())
    assert me.status_code == 200
    assert set(me.json()) == {
        "user_id",
        "full_name",
        "email",
        "phone",
        "handle",
        "created_at",
        "preferences",
        "phone_verified",
        "email_verified",
    }
    assert me.json()["phone_verified"] is True and me.json()["email_verified"] is True
    assert set(me.json()["preferences"]) == {"language", "notify_email", "notify_sms", "notify_push"}
    r = gw.patch(
        "/api/v1/users/me", json={"preferences": {"language": "ar", "notify_sms": True}}, headers=user.auth_headers()
    )
    assert r.status_code == 200 and r.json()["preferences"]["language"] == "ar"
    for bad in ({"email": "new@example.com"}, {"user_id": user.user_id}, {"roles": ["admin"]}, {"balance": "9"}):
        problem(gw.patch("/api/v1/users/me", json=bad, headers=user.auth_headers()), 422, "validation_error")
    other = register_user(stack.gateway_url, pin=None)
    problem(
        gw.patch("/api/v1/users/me", json={"handle": other.handle}, headers=user.auth_headers()), 409, "handle_taken"
    )
    for q in (user.handle, "@" + user.handle, user.phone, user.email):
        found = gw.get("/api/v1/users/lookup", params={"q": q}, headers=other.auth_headers())
        assert found.status_code == 200, found.text
        assert found.json() == {"user_id": user.user_id, "handle": user.handle, "display_name": "Ahmed M."}
    problem(
        gw.get("/api/v1/users/lookup", params={"q": "no.such.user.here"}, headers=other.auth_headers()),
        404,
        "recipient_not_found",
    )
    problem(gw.get("/api/v1/users/me"), 401, "unauthenticated")
    # a new handle is a login name at once
    new_handle = "h" + user.handle.replace(".", "")[:20]
    assert gw.patch("/api/v1/users/me", json={"handle": new_handle}, headers=user.auth_headers()).status_code == 200
    assert gw.post("/api/v1/auth/login", json={"username": new_handle, "password": user.password}).status_code == 200


def test_admin_role_granted_by_operator_command(stack):
    user = register_user(stack.gateway_url, pin=None)
    assert claims_of(user.access_token)[1]["roles"] == []
    make_admin(stack, user)
    assert claims_of(user.access_token)[1]["roles"] == ["admin"]


async def test_database_holds_no_plaintext_secrets(stack):
    user = register_user(stack.gateway_url, pin="604218")
    client = create_api_client(stack.gateway_url, user, sorted(CLIENT_SCOPES))
    secrets = {
        "password": user.password,
        "pin": "604218",
        "refresh": user.refresh_token,
        "client_secret": client["client_secret"],
    }
    url = stack.config.database_url
    cred = await fetch_rows(url, "SELECT * FROM auth.credentials WHERE email = :e", e=user.email)
    assert len(cred) == 1 and cred[0]["password_hash"].startswith("$argon2id$")
    params = cred[0]["password_hash"].split("$")[3]
    assert params == "m=19456,t=2,p=1"
    assert len(cred[0]["pin_hash"]) == 64
    uid = cred[0]["user_id"]
    rows = (
        cred
        + await fetch_rows(
            url,
            "SELECT r.* FROM auth.refresh_tokens r JOIN auth.sessions s ON s.id = r.session_id WHERE s.user_id = :u",
            u=uid,
        )
        + await fetch_rows(url, "SELECT * FROM auth.sessions WHERE user_id = :u", u=uid)
        + await fetch_rows(url, "SELECT * FROM auth.api_clients WHERE user_id = :u", u=uid)
        + await fetch_rows(
            url, "SELECT payload::text AS p FROM auth.outbox_events WHERE payload->>'user_id' = :u", u=str(uid)
        )
    )
    assert len(rows) >= 5
    dump = "\n".join(str(v) for row in rows for v in row.values())
    for name, secret in secrets.items():
        assert secret not in dump, name
