"""Identity you can trust (issue 18, "Found"): nobody moves money or receives it before proving
the phone, an unverified claim never blocks the real owner, and a forgotten password has a way
back in that tells a stranger nothing and shuts the old holder out.

Every user here is made through the public API; codes are read from the local stack's SMS and
mail sinks, as a person would read them on the phone."""

from __future__ import annotations

import secrets
import time
from typing import Any

import httpx
import pytest

from instapay_stack.e2e import (
    TestUser,
    create_api_client,
    login,
    problem,
    register_user,
    send_and_read_code,
    unique_identity,
    verify_contact,
)
from instapay_stack.message_sinks import messages_to, sms_dir_for, wait_for_code

PASSWORD = "Str0ng!Pass-" + secrets.token_hex(4)


def _local(phone: str) -> str:
    """+2010xxxxxxxx typed the Egyptian local way: 010xxxxxxxx."""
    assert phone.startswith("+20")
    return "0" + phone[3:]


def _key() -> dict[str, str]:
    return {"Idempotency-Key": secrets.token_hex(8)}


def _topup(gw: httpx.Client, user: TestUser, amount: str = "100.00") -> httpx.Response:
    body = {"amount": amount, "source": {"type": "card", "reference": "tok_visa"}}
    return gw.post("/api/v1/wallet/topups", json=body, headers=user.auth_headers(**_key()))


def _transfer(gw: httpx.Client, sender: TestUser, recipient: str, amount: str = "5.00") -> httpx.Response:
    body = {"recipient": recipient, "amount": amount, "pin": sender.pin}
    return gw.post("/api/v1/transfers", json=body, headers=sender.auth_headers(**_key()))


def _me(gw: httpx.Client, user: TestUser) -> dict[str, Any]:
    r = gw.get("/api/v1/users/me", headers=user.auth_headers())
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _wait_notification(gw: httpx.Client, user: TestUser, kind: str, within: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + within
    while True:
        r = gw.get("/api/v1/notifications", params={"limit": 50}, headers=user.auth_headers())
        assert r.status_code == 200, r.text
        found = [n for n in r.json()["items"] if n["type"] == kind]
        if found:
            return found[0]
        assert time.monotonic() < deadline, f"no {kind} notification for {user.handle}"
        time.sleep(0.3)


@pytest.fixture(scope="module")
def sender(proof_stack) -> TestUser:
    user = register_user(proof_stack.gateway_url)
    with httpx.Client(base_url=proof_stack.gateway_url, timeout=20) as c:
        assert _topup(c, user, "500.00").status_code == 201
    return user


# --- Nobody proves they own a phone or an e-mail -------------------------------------------------


def test_unverified_account_moves_no_money_and_is_no_recipient(gw, proof_stack, sender):
    fresh = register_user(proof_stack.gateway_url, verify_phone=False, verify_email=False)
    me = _me(gw, fresh)
    assert (me["phone_verified"], me["email_verified"]) == (False, False)
    problem(_topup(gw, fresh), 403, "phone_not_verified")
    problem(_transfer(gw, fresh, sender.handle), 403, "phone_not_verified")
    withdrawal = {"amount": "1.00", "destination": {"type": "bank", "reference": "acct-1"}, "pin": fresh.pin}
    problem(
        gw.post("/api/v1/wallet/withdrawals", json=withdrawal, headers=fresh.auth_headers(**_key())),
        403,
        "phone_not_verified",
    )
    request = {"payer": sender.handle, "amount": "3.00"}
    problem(gw.post("/api/v1/payment-requests", json=request, headers=fresh.auth_headers()), 403, "phone_not_verified")
    # Not found by any of its names, exactly like an account that does not exist.
    for name in (fresh.phone, _local(fresh.phone), fresh.email, fresh.handle, "@" + fresh.handle):
        problem(
            gw.get("/api/v1/users/lookup", params={"q": name}, headers=sender.auth_headers()),
            404,
            "recipient_not_found",
        )
        problem(_transfer(gw, sender, name), 404, "recipient_not_found")
    problem(
        gw.post(
            "/api/v1/payment-requests", json={"payer": fresh.handle, "amount": "2.00"}, headers=sender.auth_headers()
        ),
        404,
        "recipient_not_found",
    )

    verify_contact(proof_stack.gateway_url, fresh, "phone")
    assert _me(gw, fresh)["phone_verified"] is True
    assert _topup(gw, fresh).status_code == 201
    # Phone and handle resolve now; the e-mail only once it is verified too.
    assert _transfer(gw, sender, _local(fresh.phone)).status_code == 201
    assert _transfer(gw, sender, fresh.handle).status_code == 201
    problem(_transfer(gw, sender, fresh.email), 404, "recipient_not_found")
    verify_contact(proof_stack.gateway_url, fresh, "email")
    assert _me(gw, fresh)["email_verified"] is True
    sent = _transfer(gw, sender, fresh.email)
    assert sent.status_code == 201 and sent.json()["recipient"]["user_id"] == fresh.user_id


def test_a_squatter_on_a_victims_phone_gets_nothing_and_blocks_nothing(gw, proof_stack, sender):
    url = proof_stack.gateway_url
    victim_identity = unique_identity()
    phone = victim_identity["phone"]
    # The squatter registers the victim's number first and picks a name that masks like hers.
    squatter = register_user(
        url, verify_phone=False, verify_email=False, phone=phone, full_name=victim_identity["full_name"]
    )
    problem(_transfer(gw, sender, phone), 404, "recipient_not_found")
    problem(
        gw.get("/api/v1/users/lookup", params={"q": phone}, headers=sender.auth_headers()), 404, "recipient_not_found"
    )

    # The owner registers with the same number, typed the local way: accepted, stored as E.164.
    victim = register_user(url, verify_phone=False, **{**victim_identity, "phone": _local(phone)})
    assert victim.phone == phone
    verify_contact(url, victim, "phone")
    found = gw.get("/api/v1/users/lookup", params={"q": phone}, headers=sender.auth_headers())
    assert found.status_code == 200 and found.json()["user_id"] == victim.user_id
    sent = _transfer(gw, sender, phone)
    assert sent.status_code == 201 and sent.json()["recipient"]["user_id"] == victim.user_id

    # The squatter's claim is dropped: it can no longer verify the number, and is told so.
    problem(gw.post("/api/v1/auth/verify/phone/send", headers=squatter.auth_headers()), 409, "phone_taken")
    _wait_notification(gw, squatter, "security.contact_claim_dropped")
    problem(_topup(gw, squatter), 403, "phone_not_verified")
    # The number now answers phone_taken to anyone registering it, in either form.
    again = {**unique_identity(), "phone": _local(phone), "password": PASSWORD}
    problem(gw.post("/api/v1/auth/register", json=again), 409, "phone_taken")
    # Signing in by that number reaches the verified holder only.
    assert login(url, phone, victim.password)["access_token"]
    problem(
        gw.post("/api/v1/auth/login", json={"username": phone, "password": squatter.password}),
        401,
        "invalid_credentials",
    )

    # The dropped party sets a number of its own (password required) and verifies it.
    own = unique_identity()["phone"]
    change = {"phone": _local(own), "password": squatter.password}
    problem(
        gw.put("/api/v1/auth/phone", json={**change, "password": "wrong-" + PASSWORD}, headers=squatter.auth_headers()),
        403,
        "invalid_password",
    )
    assert gw.put("/api/v1/auth/phone", json=change, headers=squatter.auth_headers()).status_code == 204
    assert _me(gw, squatter)["phone"] == own
    squatter.phone = own
    verify_contact(url, squatter, "phone")
    assert _topup(gw, squatter).status_code == 201


def test_an_unverified_email_claim_does_not_block_its_owner(gw, proof_stack, sender):
    url = proof_stack.gateway_url
    email = unique_identity()["email"]
    squatter = register_user(url, verify_email=False, email=email)
    problem(_transfer(gw, sender, email), 404, "recipient_not_found")
    owner = register_user(url, verify_email=False, email=email)
    verify_contact(url, owner, "email")
    sent = _transfer(gw, sender, email)
    assert sent.status_code == 201 and sent.json()["recipient"]["user_id"] == owner.user_id
    problem(gw.post("/api/v1/auth/verify/email/send", headers=squatter.auth_headers()), 409, "email_taken")
    _wait_notification(gw, squatter, "security.contact_claim_dropped")
    problem(
        gw.post("/api/v1/auth/register", json={**unique_identity(), "email": email, "password": PASSWORD}),
        409,
        "email_taken",
    )


def test_a_code_sent_to_an_old_phone_does_not_verify_a_new_one(gw, proof_stack):
    url = proof_stack.gateway_url
    user = register_user(url, verify_phone=False, verify_email=False)
    code = send_and_read_code(url, user, "phone")
    new_phone = unique_identity()["phone"]
    assert (
        gw.put("/api/v1/auth/phone", json={"phone": new_phone, "password": user.password}, headers=user.auth_headers())
    ).status_code == 204
    problem(gw.post("/api/v1/auth/verify/phone", json={"code": code}, headers=user.auth_headers()), 422, "invalid_code")
    assert _me(gw, user)["phone_verified"] is False


# --- No way back in ----------------------------------------------------------------------------


def _reset_code(url: str, user: TestUser, gw: httpx.Client, username: str) -> str:
    directory = sms_dir_for(url)
    seen = messages_to(directory, user.phone)
    r = gw.post("/api/v1/auth/password/forgot", json={"username": username})
    assert r.status_code == 202 and r.content == b""
    return wait_for_code(directory=directory, to=user.phone, seen=seen)


def test_forgot_and_reset_end_every_session_and_api_client(gw, proof_stack):
    url = proof_stack.gateway_url
    user = register_user(url)
    other_login = login(url, user.email, user.password)
    client = create_api_client(url, user, ["wallet:read"])
    assert gw.get("/api/v1/wallet", headers={"Authorization": f"Bearer {client['access_token']}"}).status_code == 200

    code = _reset_code(url, user, gw, _local(user.phone))
    new_password = "N3w!Pass-" + secrets.token_hex(6)
    reset = {"username": _local(user.phone), "code": code, "new_password": new_password}
    problem(gw.post("/api/v1/auth/password/reset", json={**reset, "new_password": "password"}), 422, "weak_password")
    wrong = "000000" if code != "000000" else "111111"
    problem(gw.post("/api/v1/auth/password/reset", json={**reset, "code": wrong}), 422, "invalid_code")
    assert gw.post("/api/v1/auth/password/reset", json=reset).status_code == 204
    # A code works once.
    problem(gw.post("/api/v1/auth/password/reset", json=reset), 422, "invalid_code")

    problem(
        gw.post("/api/v1/auth/login", json={"username": user.email, "password": user.password}),
        401,
        "invalid_credentials",
    )
    assert login(url, user.handle, new_password)["access_token"]
    problem(
        gw.post("/api/v1/auth/refresh", json={"refresh_token": other_login["refresh_token"]}),
        401,
        "invalid_refresh_token",
    )
    token_form = {
        "grant_type": "client_credentials",
        "client_id": client["client_id"],
        "client_secret": client["client_secret"],
    }
    problem(gw.post("/api/v1/auth/token", data=token_form), 401, "invalid_client")
    # Access tokens already issued (the user's own and the client's) are refused within 5 s.
    deadline = time.monotonic() + 6
    old = [user.access_token, other_login["access_token"], client["access_token"]]
    while any(gw.get("/api/v1/wallet", headers={"Authorization": f"Bearer {t}"}).status_code != 401 for t in old):
        assert time.monotonic() < deadline, "an access token of the old password still works"
        time.sleep(0.3)
    user.access_token = login(url, user.handle, new_password)["access_token"]
    _wait_notification(gw, user, "security.password_reset")


def test_forgot_answers_the_same_for_an_account_that_does_not_exist(gw, proof_stack):
    url = proof_stack.gateway_url
    user = register_user(url)
    stranger = unique_identity()
    seen = messages_to(sms_dir_for(url), user.phone)
    answers = []
    for username in (user.handle, stranger["handle"], stranger["email"], _local(stranger["phone"])):
        r = gw.post("/api/v1/auth/password/forgot", json={"username": username})
        answers.append((r.status_code, r.content, r.headers.get("content-type")))
    assert len(set(answers)) == 1 and answers[0][0] == 202
    # Nothing is sent for an unknown account; a reset for it answers like a wrong code.
    assert messages_to(sms_dir_for(url), stranger["phone"]) == set()
    body = {"username": stranger["handle"], "code": "123456", "new_password": "N3w!Pass-" + secrets.token_hex(6)}
    unknown = problem(gw.post("/api/v1/auth/password/reset", json=body), 422, "invalid_code")
    known = problem(gw.post("/api/v1/auth/password/reset", json={**body, "username": user.handle}), 422, "invalid_code")
    assert (
        (known["code"], known["detail"])
        == (unknown["code"], unknown["detail"])
        == ("invalid_code", "the code is not correct")
    )
    # Also while the account has a live code (the one the first request sent): same answer, no
    # "tries left".
    live = wait_for_code(directory=sms_dir_for(url), to=user.phone, seen=seen)
    wrong = {**body, "username": user.handle, "code": "123456" if live != "123456" else "654321"}
    pending = problem(gw.post("/api/v1/auth/password/reset", json=wrong), 422, "invalid_code")
    assert pending["detail"] == unknown["detail"]


def test_an_account_without_a_verified_phone_or_email_gets_no_reset_code(gw, proof_stack):
    url = proof_stack.gateway_url
    squatter = register_user(url, verify_phone=False, verify_email=False)
    assert gw.post("/api/v1/auth/password/forgot", json={"username": squatter.phone}).status_code == 202
    time.sleep(0.5)  # the work happens after the answer
    assert messages_to(sms_dir_for(url), squatter.phone) == set()
