"""Gateway security end to end: the real stack (auth, user, transaction... services) behind the
real gateway, real tokens from the auth service, real source addresses."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from pathlib import Path

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from instapay_common.security.tokens import ACCESS_TOKEN_TYPE
from instapay_common.settings import ServiceSettings
from instapay_stack.e2e import claims_of, login, problem, register_user

ME = "/api/v1/users/me"
LOGIN = "/api/v1/auth/login"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def user(stack):
    return register_user(stack.gateway_url, pin=None)


@pytest.fixture(scope="module")
def signing(stack):
    """The stack's real signing key and kid (from its JWKS): forged tokens differ in one thing only."""
    pem = Path(stack.env["JWT_PRIVATE_KEY_FILE"]).read_bytes()
    key = serialization.load_pem_private_key(pem, password=None)
    jwks = httpx.get(stack.gateway_url + "/.well-known/jwks.json").json()
    public_x = _b64(key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    kid = next(k["kid"] for k in jwks["keys"] if k["x"] == public_x)
    return key, kid


def _claims(user, **overrides):
    settings = ServiceSettings()
    now = int(time.time())
    claims = {
        "sub": user.user_id,
        "sid": claims_of(user.access_token)[1]["sid"],
        "scope": "profile:read",
        "roles": [],
        "iat": now,
        "exp": now + 300,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "jti": uuid.uuid4().hex,
    }
    claims.update(overrides)
    return claims


def _signed(signing, claims, **header):
    key, kid = signing
    return jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": kid, "typ": ACCESS_TOKEN_TYPE, **header})


def _get_me(stack, token: str) -> httpx.Response:
    return httpx.get(stack.gateway_url + ME, headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_real_token_and_a_correctly_forged_one_pass(stack, user, signing):
    assert _get_me(stack, user.access_token).status_code == 200
    # Control: a token we sign with the real key and the same claims is accepted, so each refusal
    # below is due to the one thing that differs.
    assert _get_me(stack, _signed(signing, _claims(user))).status_code == 200


def test_attack_tokens_are_refused(stack, user, signing):
    key, kid = signing
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    head, body, sig = user.access_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["roles"] = ["admin"]
    unsigned_none = _b64(json.dumps({"alg": "none", "typ": ACCESS_TOKEN_TYPE, "kid": kid}).encode()) + "." + body
    hs_input = _b64(json.dumps({"alg": "HS256", "typ": ACCESS_TOKEN_TYPE, "kid": kid}).encode()) + "." + body
    attacks = {
        "tampered": f"{head}.{_b64(json.dumps(claims).encode())}.{sig}",
        "expired": _signed(signing, _claims(user, iat=int(time.time()) - 1200, exp=int(time.time()) - 600)),
        "alg none": unsigned_none + ".",
        "HS256 keyed with the public key": hs_input
        + "."
        + _b64(hmac.new(public_pem, hs_input.encode(), hashlib.sha256).digest()),
        "wrong aud": _signed(signing, _claims(user, aud="another-api")),
        "refresh token as access token": user.refresh_token,
        "signed by another key": jwt.encode(
            _claims(user),
            Ed25519PrivateKey.generate(),
            algorithm="EdDSA",
            headers={"kid": kid, "typ": ACCESS_TOKEN_TYPE},
        ),
    }
    for name, token in attacks.items():
        r = _get_me(stack, token)
        assert r.status_code == 401, f"{name}: {r.status_code} {r.text}"
        problem(r, 401, "unauthenticated")
        assert "ratelimit" in r.headers


def test_gateway_answers_carry_ratelimit_and_security_headers(stack, user):
    with httpx.Client(base_url=stack.gateway_url, timeout=10) as client:
        for r in (client.get(ME, headers=user.auth_headers()), client.get(ME), client.get("/api/v1/health")):
            assert '"ip";q=' in r.headers["ratelimit-policy"], r.headers
            assert '"ip";r=' in r.headers["ratelimit"]
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["x-frame-options"] == "DENY"
        r = client.get(ME, headers=user.auth_headers())
        assert '"principal";r=' in r.headers["ratelimit"]


def test_logged_out_access_token_is_refused_within_5_seconds(stack, artifacts_dir):
    someone = register_user(stack.gateway_url, pin=None)
    assert _get_me(stack, someone.access_token).status_code == 200
    r = httpx.post(
        stack.gateway_url + "/api/v1/auth/logout",
        json={"refresh_token": someone.refresh_token},
        headers=someone.auth_headers(),
        timeout=10,
    )
    assert r.status_code == 204, r.text
    logged_out = time.monotonic()
    while _get_me(stack, someone.access_token).status_code != 401:
        assert time.monotonic() - logged_out < 5, "access token still accepted 5 s after logout"
        time.sleep(0.1)
    refused_after = time.monotonic() - logged_out
    problem(_get_me(stack, someone.access_token), 401, "unauthenticated")
    (artifacts_dir / "gateway_revocation.json").write_text(json.dumps({"logout_to_refusal_seconds": refused_after}))
    # The refresh token died at once; a new login works as before.
    assert (
        httpx.post(
            stack.gateway_url + "/api/v1/auth/refresh", json={"refresh_token": someone.refresh_token}, timeout=10
        ).status_code
        == 401
    )
    fresh = login(stack.gateway_url, someone.email, someone.password)
    assert _get_me(stack, fresh["access_token"]).status_code == 200


def _from(address: str) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=15)


def test_password_brute_force_from_many_addresses_is_delayed_per_account(stack):
    """Failures are counted on the account whatever the address and the username form (e-mail,
    phone, handle): past 5, each one delays the next attempt, and inside the delay even the right
    password answers 429 with Retry-After; once it has run out the right password passes."""
    victim = register_user(stack.gateway_url, pin=None)
    bystander = register_user(stack.gateway_url, pin=None)
    forms = [victim.email, victim.phone, "@" + victim.handle]
    answers = []
    for attempt in range(8):
        with _from(f"127.0.0.{2 + attempt}") as client:
            answers.append(
                client.post(
                    stack.gateway_url + LOGIN,
                    json={"username": forms[attempt % 3], "password": f"Wrong-guess-{attempt}!"},
                )
            )
    statuses = [r.status_code for r in answers]
    assert statuses[:6] == [401] * 6, statuses
    assert 429 in statuses[6:], statuses
    refused = next(r for r in answers if r.status_code == 429)
    problem(refused, 429, "rate_limited")
    with _from("127.0.0.20") as client:
        right = client.post(stack.gateway_url + LOGIN, json={"username": victim.handle, "password": victim.password})
        other = client.post(
            stack.gateway_url + LOGIN, json={"username": bystander.email, "password": bystander.password}
        )
        assert other.status_code == 200  # other accounts, same addresses: unaffected
        if right.status_code == 429:
            wait = int(right.headers["retry-after"])
            assert 0 < wait <= 4, wait  # a delay of seconds, not a lock
            time.sleep(wait)
            right = client.post(
                stack.gateway_url + LOGIN, json={"username": victim.handle, "password": victim.password}
            )
    assert right.status_code == 200, right.text
