"""Identity paths a thief or a prankster starts from (issue 18): API clients as a way around the
PIN, guessable PINs, look-alike handles and names, a freed handle claimed by someone else, an
unbounded stream of payment requests, and an admin role that outlives its revocation."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid

import httpx
from proof_support.waiting import wait_for

from instapay_stack.e2e import DEFAULT_PIN, login, problem, register_user, unique_identity

CLIENTS = "/api/v1/auth/clients"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _new_client(gw: httpx.Client, user, scopes: list[str], **extra: str) -> httpx.Response:
    body = {"name": "app", "scopes": scopes, "password": user.password, **extra}
    return gw.post(CLIENTS, json=body, headers=user.auth_headers())


def _client_token(gw: httpx.Client, client: dict) -> httpx.Response:
    return gw.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client["client_id"],
            "client_secret": client["client_secret"],
        },
    )


def _refused_within(gw: httpx.Client, path: str, token: str, *, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while gw.get(path, headers=_bearer(token)).status_code != 401:
        assert time.monotonic() < deadline, f"{path}: token still accepted after {seconds} s"
        time.sleep(0.1)


def _fund(gw: httpx.Client, user, amount: str = "100.00") -> None:
    resp = gw.post(
        "/api/v1/wallet/topups",
        json={"amount": amount, "source": {"type": "card", "reference": "card-ok"}},
        headers=user.auth_headers(**{"Idempotency-Key": str(uuid.uuid4())}),
    )
    assert resp.status_code == 201, resp.text


# --- A stolen 15-minute token becomes permanent, PIN-free access ------------------------------


def test_creating_an_api_client_needs_the_password_and_for_money_the_pin(proof_stack, gw):
    user = register_user(proof_stack.gateway_url)
    # An access token alone (a stolen one) no longer makes a standing grant.
    problem(
        gw.post(CLIENTS, json={"name": "x", "scopes": ["wallet:read"]}, headers=user.auth_headers()),
        422,
        "validation_error",
    )
    problem(_new_client(gw, user, ["wallet:read"], password="Wrong-Pass-123!"), 401, "invalid_credentials")
    # A money scope needs the PIN as well, checked as a transfer checks it.
    problem(_new_client(gw, user, ["transfers:write"]), 422, "validation_error")
    problem(_new_client(gw, user, ["wallet:withdraw"], pin="000000"), 403, "invalid_pin")
    created = _new_client(gw, user, ["transfers:write", "wallet:withdraw"], pin=DEFAULT_PIN)
    assert created.status_code == 201, created.text
    assert created.json()["scopes"] == ["transfers:write", "wallet:withdraw"]
    assert _new_client(gw, user, ["wallet:read"]).status_code == 201  # no money scope: no PIN
    no_pin = register_user(proof_stack.gateway_url, pin=None)
    problem(_new_client(gw, no_pin, ["transfers:write"], pin="482915"), 403, "pin_not_set")


def test_withdrawals_by_api_client_need_the_withdraw_scope(proof_stack, gw):
    user = register_user(proof_stack.gateway_url)
    _fund(gw, user)
    payer = _new_client(gw, user, ["transfers:write"], pin=DEFAULT_PIN)
    assert payer.status_code == 201, payer.text
    token = _client_token(gw, payer.json()).json()["access_token"]
    body = {"amount": "10.00", "destination": {"type": "bank", "reference": "EG-ACC-1"}}
    resp = gw.post(
        "/api/v1/wallet/withdrawals", json=body, headers={**_bearer(token), "Idempotency-Key": str(uuid.uuid4())}
    )
    problem(resp, 403, "insufficient_scope")
    withdrawer = _new_client(gw, user, ["wallet:withdraw"], pin=DEFAULT_PIN)
    assert withdrawer.status_code == 201, withdrawer.text
    token = _client_token(gw, withdrawer.json()).json()["access_token"]
    resp = gw.post(
        "/api/v1/wallet/withdrawals", json=body, headers={**_bearer(token), "Idempotency-Key": str(uuid.uuid4())}
    )
    assert resp.status_code == 201, resp.text


def test_password_change_revokes_every_api_client(proof_stack, gw):
    user = register_user(proof_stack.gateway_url)
    created = _new_client(gw, user, ["wallet:read"])
    assert created.status_code == 201, created.text
    token = _client_token(gw, created.json()).json()["access_token"]
    assert gw.get("/api/v1/wallet", headers=_bearer(token)).status_code == 200
    new_password = user.password + "-n3w!"
    changed = gw.post(
        "/api/v1/auth/password",
        json={"current_password": user.password, "new_password": new_password},
        headers=user.auth_headers(),
    )
    assert changed.status_code == 204, changed.text
    problem(_client_token(gw, created.json()), 401, "invalid_client")
    _refused_within(gw, "/api/v1/wallet", token)
    # The session that changed the password stays (the contract: other sessions revoked).
    assert gw.get(CLIENTS, headers=user.auth_headers()).json()["items"] == []


def test_at_most_ten_api_clients_per_user(proof_stack, gw):
    user = register_user(proof_stack.gateway_url)
    for _ in range(10):
        assert _new_client(gw, user, ["wallet:read"]).status_code == 201
    problem(_new_client(gw, user, ["wallet:read"]), 422, "too_many_clients")
    first = gw.get(CLIENTS, headers=user.auth_headers()).json()["items"][0]
    assert gw.delete(f"{CLIENTS}/{first['client_id']}", headers=user.auth_headers()).status_code == 204
    assert _new_client(gw, user, ["wallet:read"]).status_code == 201  # a deleted client frees its place


def test_lookup_with_a_client_token_needs_profile_read(proof_stack, gw, bob):
    user = register_user(proof_stack.gateway_url)
    created = _new_client(gw, user, ["wallet:read"])
    assert created.status_code == 201, created.text
    token = _client_token(gw, created.json()).json()["access_token"]
    problem(gw.get("/api/v1/users/lookup", params={"q": bob.handle}, headers=_bearer(token)), 403, "insufficient_scope")
    reader = _new_client(gw, user, ["profile:read"])
    token = _client_token(gw, reader.json()).json()["access_token"]
    assert gw.get("/api/v1/users/lookup", params={"q": bob.handle}, headers=_bearer(token)).status_code == 200


# --- Weak PINs; a lock sends a security notice ------------------------------------------------


def test_weak_pins_are_refused(proof_stack, gw):
    user = register_user(proof_stack.gateway_url, pin=None)
    for weak in ("000000", "111111", "123456", "654321", "012345", "890123", "121212", "147258", "112233"):
        resp = gw.put("/api/v1/auth/pin", json={"pin": weak, "password": user.password}, headers=user.auth_headers())
        problem(resp, 422, "weak_pin")
    resp = gw.put("/api/v1/auth/pin", json={"pin": "482915", "password": user.password}, headers=user.auth_headers())
    assert resp.status_code == 204, resp.text


def test_a_pin_lock_sends_a_security_notice(proof_stack, gw, bob):
    user = register_user(proof_stack.gateway_url)
    for _ in range(5):
        resp = gw.post(
            "/api/v1/transfers",
            json={"recipient": bob.handle, "amount": "1.00", "pin": "000000"},
            headers=user.auth_headers(**{"Idempotency-Key": str(uuid.uuid4())}),
        )
        problem(resp, 403, "invalid_pin")

    def locked_notice() -> dict | None:
        items = gw.get("/api/v1/notifications", headers=user.auth_headers()).json()["items"]
        return next((n for n in items if n["type"] == "security.pin_locked"), None)

    notice = wait_for(locked_notice, what="the PIN-lock notification")
    assert "PIN" in notice["title"] and notice["body"]


# --- Handles: reserved names, and a freed one is not anybody's at once ------------------------


def test_reserved_handles_are_refused(proof_stack, gw):
    for reserved in ("admin", "support", "instapay", "security"):
        body = {**unique_identity(), "password": "Str0ng!Pass-" + uuid.uuid4().hex[:6], "handle": reserved}
        problem(gw.post("/api/v1/auth/register", json=body), 422, "handle_reserved")
    user = register_user(proof_stack.gateway_url, pin=None)
    problem(
        gw.patch("/api/v1/users/me", json={"handle": "support"}, headers=user.auth_headers()), 422, "handle_reserved"
    )
    # A handle derived from the e-mail never lands on a reserved one.
    ident = unique_identity()
    body = {**ident, "email": f"admin+{uuid.uuid4().hex[:6]}@example.com", "password": "Str0ng!Pass-x1y2"}
    del body["handle"]
    created = gw.post("/api/v1/auth/register", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["handle"] != "admin"


def test_a_released_handle_is_quarantined_for_others(proof_stack, gw):
    owner = register_user(proof_stack.gateway_url, pin=None)
    other = register_user(proof_stack.gateway_url, pin=None)
    old = owner.handle
    new = "n" + old.replace(".", "")[:20]
    assert gw.patch("/api/v1/users/me", json={"handle": new}, headers=owner.auth_headers()).status_code == 200
    problem(gw.patch("/api/v1/users/me", json={"handle": old}, headers=other.auth_headers()), 409, "handle_taken")
    body = {**unique_identity(), "password": "Str0ng!Pass-" + uuid.uuid4().hex[:6], "handle": old}
    problem(gw.post("/api/v1/auth/register", json=body), 409, "handle_taken")
    problem(gw.get("/api/v1/users/lookup", params={"q": old}, headers=other.auth_headers()), 404, "recipient_not_found")
    # The previous owner may take it back.
    back = gw.patch("/api/v1/users/me", json={"handle": old}, headers=owner.auth_headers())
    assert back.status_code == 200 and back.json()["handle"] == old


# --- Display names shown to others -----------------------------------------------------------


def test_display_names_are_first_name_and_initial_without_links(proof_stack, gw, alice):
    cases = {
        "https://evil.tld": None,  # nothing printable left: the handle stands in
        "Ahmed Mohamed Ali": "Ahmed A.",
        "\u202eAhmed\u200b Mohamed": "Ahmed M.",
        "Visit www.evil.tld now": "Visit N.",
        "pay.me@evil.tld": None,
        "Mona evil.tld": "Mona",
    }
    for full_name, expected in cases.items():
        user = register_user(proof_stack.gateway_url, full_name=full_name)
        found = gw.get("/api/v1/users/lookup", params={"q": user.handle}, headers=alice.auth_headers())
        assert found.status_code == 200, found.text
        shown = found.json()["display_name"]
        assert shown == (expected or f"@{user.handle}"), (full_name, shown)
    prankster = register_user(proof_stack.gateway_url, full_name="https://evil.tld")
    resp = gw.post(
        "/api/v1/payment-requests", json={"payer": alice.handle, "amount": "5.00"}, headers=prankster.auth_headers()
    )
    assert resp.status_code == 201, resp.text
    assert "evil" not in resp.json()["requester"]["display_name"]

    def notice() -> dict | None:
        items = gw.get("/api/v1/notifications", headers=alice.auth_headers()).json()["items"]
        return next((n for n in items if n["data"].get("counterparty_handle") == prankster.handle), None)

    shown = wait_for(notice, what="the payment-request notification")
    assert "evil" not in shown["title"] + shown["body"], shown


# --- Payment requests per user per day --------------------------------------------------------


def test_payment_requests_per_user_per_day_are_capped(proof_stack, gw, bob):
    user = register_user(proof_stack.gateway_url)
    statuses = []
    for _ in range(51):
        resp = gw.post(
            "/api/v1/payment-requests", json={"payer": bob.handle, "amount": "1.00"}, headers=user.auth_headers()
        )
        statuses.append(resp.status_code)
        if resp.status_code != 201:
            break
    assert statuses[:50] == [201] * 50, statuses
    problem(resp, 429, "rate_limited")
    assert int(resp.headers["Retry-After"]) > 0


# --- Revoking admin takes effect at once ------------------------------------------------------


def test_revoking_admin_ends_the_sessions_that_carry_it(proof_stack, gw):
    user = register_user(proof_stack.gateway_url, pin=None)
    env = proof_stack.service_env("auth")
    grant = [sys.executable, "-m", "auth_service.admin", "grant", "--email", user.email]
    subprocess.run(grant, env=env, check=True, capture_output=True, timeout=60)
    # The role change ends the sessions that were open before it (their tokens carry old roles).
    _refused_within(gw, "/api/v1/users/me", user.access_token)
    admin_token = login(proof_stack.gateway_url, user.email, user.password)["access_token"]
    overview = "/api/v1/admin/reports/overview?from=2026-01-01&to=2026-01-31"
    assert gw.get(overview, headers=_bearer(admin_token)).status_code == 200
    revoke = [sys.executable, "-m", "auth_service.admin", "revoke", "--email", user.email]
    subprocess.run(revoke, env=env, check=True, capture_output=True, timeout=60)
    _refused_within(gw, overview, admin_token)
