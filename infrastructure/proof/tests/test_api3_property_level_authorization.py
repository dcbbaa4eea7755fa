"""OWASP API3:2023 Broken Object Property Level Authorization: mass assignment on every writable
body is refused with 422 (never silently applied), and responses expose no secret or internal
property, nor other users' personal data."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from instapay_stack.e2e import (
    DEFAULT_PASSWORD_PREFIX,
    DEFAULT_PIN,
    claims_of,
    create_api_client,
    problem,
    unique_identity,
)

FORBIDDEN_KEYS = {
    "password",
    "password_hash",
    "pin",
    "pin_hash",
    "hash",
    "salt",
    "client_secret_hash",
    "secret_hash",
    "refresh_token_hash",
    "token_hash",
    "roles",
    "failed_attempts",
    "locked_until",
    "internal_token",
    "internal_secret",
    "private_key",
}
PRIVILEGED = {
    "roles": ["admin"],
    "user_id": "00000000-0000-0000-0000-000000000001",
    "is_admin": True,
    "balance": "1000000.00",
    "status": "active",
    "email_verified": True,
}


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | set().union(*(_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_keys(v) for v in value)) if value else set()
    return set()


@pytest.mark.parametrize("field", sorted(PRIVILEGED))
def test_register_refuses_privileged_fields(gw, field):
    body = {**unique_identity(), "password": DEFAULT_PASSWORD_PREFIX + secrets.token_hex(4), field: PRIVILEGED[field]}
    problem(gw.post("/api/v1/auth/register", json=body), 422, "validation_error")
    # Nothing was created: the same identity registers cleanly afterwards.
    del body[field]
    assert gw.post("/api/v1/auth/register", json=body).status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        {"roles": ["admin"]},
        {"user_id": "00000000-0000-0000-0000-000000000001"},
        {"email": "x@example.com"},
        {"phone": "+201000000000"},
        {"balance": "100.00"},
        {"created_at": "2020-01-01T00:00:00Z"},
        {"preferences": {"language": "en", "is_admin": True}},
        {"full_name": "Ok", "roles": ["admin"]},
    ],
)
def test_profile_patch_refuses_fields_a_client_may_not_set(gw, alice, body):
    before = gw.get("/api/v1/users/me", headers=alice.auth_headers()).json()
    problem(gw.patch("/api/v1/users/me", json=body, headers=alice.auth_headers()), 422, "validation_error")
    assert gw.get("/api/v1/users/me", headers=alice.auth_headers()).json() == before


def test_secret_bodies_refuse_extra_fields(gw, alice):
    problem(
        gw.put(
            "/api/v1/auth/pin",
            json={"pin": DEFAULT_PIN, "password": alice.password, "user_id": "x"},
            headers=alice.auth_headers(),
        ),
        422,
        "validation_error",
    )
    problem(
        gw.post(
            "/api/v1/auth/password",
            json={"current_password": alice.password, "new_password": "x" * 20, "roles": ["admin"]},
            headers=alice.auth_headers(),
        ),
        422,
        "validation_error",
    )
    problem(
        gw.post(
            "/api/v1/auth/clients",
            json={
                "name": "x",
                "scopes": ["wallet:read"],
                "password": alice.password,
                "client_secret": "chosen-by-attacker",
            },
            headers=alice.auth_headers(),
        ),
        422,
        "validation_error",
    )
    problem(
        gw.post(
            "/api/v1/auth/clients",
            json={"name": "x", "scopes": ["wallet:read", "admin"], "password": alice.password},
            headers=alice.auth_headers(),
        ),
        422,
        "validation_error",
    )


def test_responses_expose_no_secrets_or_internal_properties(proof_stack, gw, alice, bob):
    h = alice.auth_headers()
    client = create_api_client(proof_stack.gateway_url, alice, ["wallet:read"])
    answers = {
        "me": gw.get("/api/v1/users/me", headers=h).json(),
        "sessions": gw.get("/api/v1/auth/sessions", headers=h).json(),
        "clients": gw.get("/api/v1/auth/clients", headers=h).json(),
        "lookup": gw.get("/api/v1/users/lookup", params={"q": bob.handle}, headers=h).json(),
        "notifications": gw.get("/api/v1/notifications", headers=h).json(),
        "jwks": gw.get("/.well-known/jwks.json").json(),
    }
    for name, body in answers.items():
        leaked = _keys(body) & FORBIDDEN_KEYS
        assert not leaked, f"{name} exposes {leaked}: {body}"
    assert "client_secret" not in str(answers["clients"])
    assert client["client_secret"] not in str(answers)
    # The JWKS holds public keys only (no "d" private component of an OKP/EC/RSA key).
    for key in answers["jwks"]["keys"]:
        assert not {"d", "p", "q", "dp", "dq", "qi", "k"} & set(key), key
    # Another user's lookup: masked name, no e-mail, phone or full name.
    lookup = answers["lookup"]
    assert set(lookup) == {"user_id", "handle", "display_name"}, lookup
    assert bob.full_name not in str(lookup) and bob.email not in str(lookup) and bob.phone not in str(lookup)


def test_access_token_carries_no_personal_data(alice):
    header, claims = claims_of(alice.access_token)
    assert alice.email not in str(claims) and alice.phone not in str(claims) and alice.password not in str(claims)
    assert set(header) <= {"alg", "typ", "kid"}
