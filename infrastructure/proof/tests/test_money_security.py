"""The OWASP API Top 10 on the money routes (transaction service through the gateway): object-level
authorization on transfers and payment requests, mass assignment on every money body, function-level
(admin wallet routes, API-client scopes), sensitive business flows (PIN lockout, limits, idempotency
keys scoped to their owner), and unsafe consumption (a malformed funding-provider answer moves nothing)."""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal

import pytest
from proof_support.answers import is_problem, not_found

from instapay_stack.e2e import DEFAULT_PIN as PIN
from instapay_stack.e2e import create_api_client, problem, register_user


def _key() -> dict[str, str]:
    return {"Idempotency-Key": secrets.token_hex(12)}


def _balance(gw, user) -> Decimal:
    resp = gw.get("/api/v1/wallet", headers=user.auth_headers())
    assert resp.status_code == 200, resp.text
    return Decimal(resp.json()["balance"])


def _topup(gw, user, amount: str = "1000.00") -> dict:
    resp = gw.post(
        "/api/v1/wallet/topups",
        headers=user.auth_headers(**_key()),
        json={"amount": amount, "source": {"type": "card", "reference": "card-4242"}},
    )
    assert resp.status_code == 201, resp.text
    return resp.json()


@pytest.fixture(scope="module")
def funded(gw, alice, bob):
    _topup(gw, alice)
    _topup(gw, bob)
    transfer = gw.post(
        "/api/v1/transfers",
        headers=alice.auth_headers(**_key()),
        json={"recipient": bob.handle, "amount": "10.00", "pin": alice.pin},
    )
    assert transfer.status_code == 201, transfer.text
    return transfer.json()


# ---- API1: object level ----


def test_transfer_of_others_is_invisible(gw, alice, bob, mallory, funded):
    assert gw.get(f"/api/v1/transfers/{funded['id']}", headers=alice.auth_headers()).status_code == 200
    assert gw.get(f"/api/v1/transfers/{funded['id']}", headers=bob.auth_headers()).status_code == 200
    foreign = not_found(gw.get(f"/api/v1/transfers/{funded['id']}", headers=mallory.auth_headers()))
    assert foreign == not_found(gw.get(f"/api/v1/transfers/{uuid.uuid4()}", headers=mallory.auth_headers()))
    history = gw.get("/api/v1/transactions", headers=mallory.auth_headers()).json()["items"]
    assert funded["id"] not in {row.get("transfer_id") for row in history}


def test_payment_request_of_others_cannot_be_acted_on(gw, alice, bob, mallory):
    created = gw.post(
        "/api/v1/payment-requests",
        headers=alice.auth_headers(),
        json={"payer": bob.handle, "amount": "5.00", "note": "lunch"},
    )
    assert created.status_code == 201, created.text
    rid = created.json()["id"]
    before = _balance(gw, mallory)
    for action, body in (("accept", {"pin": mallory.pin}), ("decline", None), ("cancel", None)):
        resp = gw.post(f"/api/v1/payment-requests/{rid}/{action}", json=body, headers=mallory.auth_headers(**_key()))
        not_found(resp)
    # The requester cannot accept her own request (payer only), the payer cannot cancel it (requester
    # only): both see the request, so they are told 403, not a 404 that pretends it does not exist.
    resp = gw.post(
        f"/api/v1/payment-requests/{rid}/accept", json={"pin": alice.pin}, headers=alice.auth_headers(**_key())
    )
    assert resp.status_code == 403 and resp.json()["code"] == "forbidden", resp.text
    resp = gw.post(f"/api/v1/payment-requests/{rid}/cancel", headers=bob.auth_headers())
    assert resp.status_code == 403 and resp.json()["code"] == "forbidden", resp.text
    for role in ("incoming", "outgoing"):
        page = gw.get("/api/v1/payment-requests", params={"role": role}, headers=mallory.auth_headers()).json()
        assert rid not in {r["id"] for r in page["items"]}
    assert _balance(gw, mallory) == before
    assert gw.post(f"/api/v1/payment-requests/{rid}/cancel", headers=alice.auth_headers()).status_code == 200


# ---- API3: mass assignment on money bodies ----


@pytest.mark.parametrize(
    "extra",
    [
        {"balance_after": "999999.00"},
        {"sender": "00000000-0000-0000-0000-000000000001"},
        {"status": "completed"},
        {"fee": "-5.00"},
        {"user_id": str(uuid.uuid4())},
    ],
)
def test_money_bodies_refuse_extra_fields(gw, alice, bob, funded, extra):
    before = _balance(gw, alice)
    bodies = [
        ("/api/v1/wallet/topups", {"amount": "1.00", "source": {"type": "card", "reference": "c"}, **extra}),
        (
            "/api/v1/wallet/withdrawals",
            {"amount": "1.00", "destination": {"type": "bank", "reference": "b"}, "pin": alice.pin, **extra},
        ),
        ("/api/v1/transfers", {"recipient": bob.handle, "amount": "1.00", "pin": alice.pin, **extra}),
        ("/api/v1/payment-requests", {"payer": bob.handle, "amount": "1.00", **extra}),
    ]
    for path, body in bodies:
        problem(gw.post(path, json=body, headers=alice.auth_headers(**_key())), 422, "validation_error")
    assert _balance(gw, alice) == before


@pytest.mark.parametrize("amount", ["0", "-1.00", "1.001", "NaN", "Infinity", "1e3", "70000.01", "", "1,00", 0.1 + 0.2])
def test_bad_amounts_are_refused_and_move_nothing(gw, alice, bob, funded, amount):
    before = _balance(gw, alice)
    resp = gw.post(
        "/api/v1/transfers",
        json={"recipient": bob.handle, "amount": amount, "pin": alice.pin},
        headers=alice.auth_headers(**_key()),
    )
    problem(resp, 422, "validation_error")
    assert _balance(gw, alice) == before


# ---- API5: function level ----


@pytest.mark.parametrize(("path", "body"), [("freeze", {"reason": "because"}), ("unfreeze", None)])
def test_admin_wallet_routes_are_refused_to_users(gw, alice, bob, path, body):
    problem(
        gw.post(f"/api/v1/admin/wallets/{bob.user_id}/{path}", json=body, headers=alice.auth_headers()),
        403,
        "forbidden",
    )
    assert gw.get("/api/v1/wallet", headers=bob.auth_headers()).json()["status"] == "active"


def test_read_only_api_client_cannot_move_money(proof_stack, gw, alice, bob, funded):
    token = create_api_client(proof_stack.gateway_url, alice, ["wallet:read"])["access_token"]
    h = {"Authorization": f"Bearer {token}"}
    assert gw.get("/api/v1/wallet", headers=h).status_code == 200
    before = _balance(gw, alice)
    for path, body in (
        ("/api/v1/transfers", {"recipient": bob.handle, "amount": "1.00"}),
        ("/api/v1/wallet/withdrawals", {"amount": "1.00", "destination": {"type": "bank", "reference": "x"}}),
        ("/api/v1/wallet/topups", {"amount": "1.00", "source": {"type": "card", "reference": "x"}}),
    ):
        problem(gw.post(path, json=body, headers={**h, **_key()}), 403, "insufficient_scope")
    assert gw.get("/api/v1/transactions", headers=h).status_code == 403
    assert _balance(gw, alice) == before


# ---- API6: sensitive business flows ----


def test_pin_lockout_after_five_wrong_pins(proof_stack, gw, bob):
    victim = register_user(proof_stack.gateway_url)
    _topup(gw, victim, "100.00")
    body = {"recipient": bob.handle, "amount": "1.00"}
    for attempt in range(5):
        wrong = str((int(victim.pin) + attempt + 1) % 1_000_000).zfill(6)
        problem(
            gw.post("/api/v1/transfers", json={**body, "pin": wrong}, headers=victim.auth_headers(**_key())),
            403,
            "invalid_pin",
        )
    # Locked: even the right PIN is refused now, for transfers and withdrawals alike, with the wait
    # in Retry-After (auth's own answer carries it; the transaction service used to drop it).
    locked = gw.post("/api/v1/transfers", json={**body, "pin": victim.pin}, headers=victim.auth_headers(**_key()))
    problem(locked, 423, "pin_locked")
    assert 800 < int(locked.headers["Retry-After"]) <= 901, locked.headers
    locked = gw.post(
        "/api/v1/wallet/withdrawals",
        json={"amount": "1.00", "pin": victim.pin, "destination": {"type": "bank", "reference": "x"}},
        headers=victim.auth_headers(**_key()),
    )
    problem(locked, 423, "pin_locked")
    assert 800 < int(locked.headers["Retry-After"]) <= 901, locked.headers
    assert _balance(gw, victim) == Decimal("100.00")


def test_money_without_pin_or_with_missing_pin_is_refused(proof_stack, gw, alice, bob, funded):
    nopin = register_user(proof_stack.gateway_url, pin=None)
    _topup(gw, nopin, "50.00")
    problem(
        gw.post(
            "/api/v1/transfers",
            json={"recipient": bob.handle, "amount": "1.00", "pin": PIN},
            headers=nopin.auth_headers(**_key()),
        ),
        403,
        "pin_not_set",
    )
    resp = gw.post(
        "/api/v1/transfers", json={"recipient": bob.handle, "amount": "1.00"}, headers=alice.auth_headers(**_key())
    )
    assert resp.status_code in (403, 422), resp.text


def test_per_transaction_limit_holds(gw, alice, bob, funded):
    before = _balance(gw, alice)
    resp = gw.post(
        "/api/v1/transfers",
        json={"recipient": bob.handle, "amount": "70000.01", "pin": alice.pin},
        headers=alice.auth_headers(**_key()),
    )
    assert is_problem(resp, 422)["code"] in ("validation_error", "limit_exceeded")
    assert _balance(gw, alice) == before


def test_idempotency_keys_are_scoped_to_their_owner(gw, alice, bob, mallory, funded):
    key = secrets.token_hex(12)
    first = gw.post(
        "/api/v1/wallet/topups",
        headers=alice.auth_headers(**{"Idempotency-Key": key}),
        json={"amount": "3.00", "source": {"type": "card", "reference": "c"}},
    )
    assert first.status_code == 201
    # Mallory reusing alice's key gets her own fresh operation, never alice's stored answer.
    theirs = gw.post(
        "/api/v1/wallet/topups",
        headers=mallory.auth_headers(**{"Idempotency-Key": key}),
        json={"amount": "3.00", "source": {"type": "card", "reference": "c"}},
    )
    assert theirs.status_code == 201
    assert theirs.json()["id"] != first.json()["id"]
    assert "idempotent-replayed" not in {k.lower() for k in theirs.headers}


def test_money_routes_require_an_idempotency_key(gw, alice, bob, funded):
    problem(
        gw.post(
            "/api/v1/transfers",
            json={"recipient": bob.handle, "amount": "1.00", "pin": alice.pin},
            headers=alice.auth_headers(),
        ),
        400,
        "idempotency_key_required",
    )
    before = _balance(gw, alice)
    resp = gw.post(
        "/api/v1/wallet/topups",
        json={"amount": "1.00", "source": {"type": "card", "reference": "c"}},
        headers=alice.auth_headers(**{"Idempotency-Key": "k" * 256}),
    )
    assert 400 <= resp.status_code < 500, resp.text  # over the contract's 255 characters
    assert _balance(gw, alice) == before


# ---- API10: unsafe consumption ----


def test_malformed_provider_answer_moves_no_money(gw, mallory):
    before = _balance(gw, mallory)
    resp = gw.post(
        "/api/v1/wallet/topups",
        headers=mallory.auth_headers(**_key()),
        json={"amount": "25.00", "source": {"type": "card", "reference": "invalid-answer"}},
    )
    assert resp.status_code in (502, 503), resp.text
    is_problem(resp, resp.status_code)
    assert _balance(gw, mallory) == before
