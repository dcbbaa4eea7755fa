"""OWASP API2:2023 Broken Authentication: JWT attacks per RFC 8725 (on top of the gateway's own
suite: here the claims and header checks one by one), brute force on every credential endpoint,
token reuse after logout and refresh rotation."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from proof_support.tokens import Forger

from instapay_stack.e2e import DEFAULT_PIN, create_api_client, login, problem, register_user

ME = "/api/v1/users/me"


@pytest.fixture(scope="module")
def forger(proof_stack):
    return Forger(proof_stack)


def _me(gw, token: str):
    return gw.get(ME, headers={"Authorization": f"Bearer {token}"})


def test_control_a_token_forged_with_the_real_key_passes(gw, alice, forger):
    # Each refusal below then differs from an accepted token in one thing only.
    assert _me(gw, forger.sign(forger.claims(alice))).status_code == 200


@pytest.mark.parametrize(
    "attack",
    [
        "no exp",
        "exp in the past",
        "iat far in the future",
        "nbf in the future",
        "wrong iss",
        "no iss",
        "no aud",
        "aud list without ours",
        "no sub",
        "no sid",
        "unknown kid",
        "no kid",
        "typ JWT (not at+jwt)",
        "jku header",
        "x5u header",
        "embedded jwk",
        "crit header",
        "alg none",
        "alg HS256",
        "alg RS256",
        "empty signature",
        "lifetime over 15 min",
    ],
)
def test_attack_token_is_refused(gw, alice, forger, attack):
    now = int(time.time())
    c = forger.claims
    tokens = {
        "no exp": lambda: forger.sign(c(alice, exp=None)),
        "exp in the past": lambda: forger.sign(c(alice, iat=now - 1000, exp=now - 100)),
        "iat far in the future": lambda: forger.sign(c(alice, iat=now + 3600, exp=now + 3900)),
        "nbf in the future": lambda: forger.sign(c(alice, nbf=now + 600)),
        "wrong iss": lambda: forger.sign(c(alice, iss="https://evil.example")),
        "no iss": lambda: forger.sign(c(alice, iss=None)),
        "no aud": lambda: forger.sign(c(alice, aud=None)),
        "aud list without ours": lambda: forger.sign(c(alice, aud=["another-api", "evil"])),
        "no sub": lambda: forger.sign(c(alice, sub=None)),
        "no sid": lambda: forger.sign(c(alice, sid=None)),
        "unknown kid": lambda: forger.sign(c(alice), kid="not-a-key-we-publish"),
        "no kid": lambda: forger.sign(c(alice), kid=None),
        "typ JWT (not at+jwt)": lambda: forger.sign(c(alice), typ="JWT"),
        # RFC 8725 3.10: never fetch keys from a URL or take a key from the token itself.
        "jku header": lambda: forger.sign(c(alice), kid=None, jku="http://127.0.0.1:1/jwks.json"),
        "x5u header": lambda: forger.sign(c(alice), kid=None, x5u="http://127.0.0.1:1/cert.pem"),
        "embedded jwk": lambda: forger.sign(c(alice), kid=None, jwk={"kty": "OKP", "crv": "Ed25519", "x": "AA"}),
        "crit header": lambda: forger.sign(c(alice), crit=["exp"]),
        "alg none": lambda: forger.raw({"alg": "none", "typ": "at+jwt", "kid": forger.kid}, c(alice)),
        "alg HS256": lambda: forger.raw({"alg": "HS256", "typ": "at+jwt", "kid": forger.kid}, c(alice), b"x" * 32),
        "alg RS256": lambda: forger.raw({"alg": "RS256", "typ": "at+jwt", "kid": forger.kid}, c(alice), b"x" * 256),
        "empty signature": lambda: forger.sign(c(alice)).rsplit(".", 1)[0] + ".",
        "lifetime over 15 min": lambda: forger.sign(c(alice, iat=now, exp=now + 3600)),
    }
    resp = _me(gw, tokens[attack]())
    problem(resp, 401, "unauthenticated")


def test_token_only_in_the_authorization_header(gw, alice):
    # Tokens in URLs end up in logs and Referer headers: never accepted there.
    problem(gw.get(ME, params={"access_token": alice.access_token}), 401, "unauthenticated")
    problem(gw.get(ME, headers={"Authorization": f"Token {alice.access_token}"}), 401, "unauthenticated")
    problem(gw.get(ME, headers={"Authorization": "Bearer"}), 401, "unauthenticated")


def test_refresh_token_reuse_revokes_the_session_and_its_access_tokens(proof_stack, gw):
    user = register_user(proof_stack.gateway_url, pin=None)
    first = login(proof_stack.gateway_url, user.email, user.password)
    rotated = gw.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert rotated.status_code == 200, rotated.text
    rotated = gw.post("/api/v1/auth/refresh", json={"refresh_token": rotated.json()["refresh_token"]})
    new_pair = rotated.json()
    # A thief replays the old refresh token after its successor was used (past the grace that
    # lets two tabs refresh at once): refused, and the whole session dies (RFC 9700 4.14.2).
    problem(
        gw.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}), 401, "invalid_refresh_token"
    )
    assert gw.post("/api/v1/auth/refresh", json={"refresh_token": new_pair["refresh_token"]}).status_code == 401
    deadline = time.monotonic() + 5
    while _me(gw, new_pair["access_token"]).status_code != 401:
        assert time.monotonic() < deadline, "access token of the revoked session still accepted after 5 s"
        time.sleep(0.1)


def test_concurrent_refresh_with_one_token_yields_one_pair(proof_stack, gw):
    """Concurrent refreshes of one token (two tabs) all get the same new pair: rotation still
    issues exactly one successor."""
    user = register_user(proof_stack.gateway_url, pin=None)
    token = login(proof_stack.gateway_url, user.email, user.password)["refresh_token"]
    results: list[httpx.Response] = []

    def refresh() -> None:
        results.append(gw.post("/api/v1/auth/refresh", json={"refresh_token": token}))

    threads = [threading.Thread(target=refresh) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.status_code == 200 for r in results), [r.text for r in results]
    assert len({r.json()["refresh_token"] for r in results}) == 1


def test_client_secret_brute_force_is_rate_limited(proof_stack, gw, alice):
    client = create_api_client(proof_stack.gateway_url, alice, ["wallet:read"])
    statuses = []
    for attempt in range(13):
        resp = gw.post(
            "/api/v1/auth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": client["client_id"],
                "client_secret": f"guess-{attempt}",
            },
        )
        statuses.append(resp.status_code)
    assert 200 not in statuses
    assert statuses[-1] == 429, statuses
    problem(resp, 429, "rate_limited")


def test_pin_and_password_guessing_is_rate_limited(proof_stack, gw):
    user = register_user(proof_stack.gateway_url, pin=None)
    statuses = [
        gw.put(
            "/api/v1/auth/pin", json={"pin": DEFAULT_PIN, "password": f"Wrong-{i}-pass!"}, headers=user.auth_headers()
        ).status_code
        for i in range(7)
    ]
    assert 204 not in statuses
    assert statuses[-1] == 429, statuses
