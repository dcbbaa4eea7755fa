"""The gateway's token guard against a real upstream: what passes, what is refused and why."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid

import pytest
from cryptography.hazmat.primitives import serialization
from prometheus_client import REGISTRY

from api_gateway.config import GatewaySettings
from api_gateway.guard.client_address import ClientAddress, rate_key
from instapay_common.security.tokens import ACCESS_TOKEN_TYPE


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(issuer, **overrides):
    now = int(time.time())
    claims = {
        "sub": str(uuid.uuid4()),
        "sid": str(uuid.uuid4()),
        "scope": "wallet:read",
        "roles": [],
        "iat": now,
        "exp": now + 600,
        "iss": issuer.issuer,
        "aud": issuer.audience,
        "jti": uuid.uuid4().hex,
    }
    claims.update(overrides)
    return claims


def _unsigned(header: dict, claims: dict) -> str:
    return _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())


def tampered(issuer) -> str:
    header, payload, signature = issuer.token().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["roles"] = ["admin"]
    return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"


def alg_none(issuer) -> str:
    return _unsigned({"alg": "none", "typ": ACCESS_TOKEN_TYPE, "kid": issuer.kid}, _claims(issuer)) + "."


def hs256_with_public_key(issuer) -> str:
    # The classic key-confusion attack: HMAC keyed with the (public) verification key.
    public_pem = issuer.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = _unsigned({"alg": "HS256", "typ": ACCESS_TOKEN_TYPE, "kid": issuer.kid}, _claims(issuer))
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64(signature)


REFUSED = {
    "tampered": (tampered, "signature"),
    "expired": (lambda i: i.token(ttl=-120), "expired"),
    "alg_none": (alg_none, "algorithm"),
    "hs256_public_key": (hs256_with_public_key, "algorithm"),
    "wrong_audience": (lambda i: i.token(aud="someone-else"), "audience"),
    "wrong_issuer": (lambda i: i.token(iss="https://evil.example"), "issuer"),
    "refresh_token_as_access": (lambda _i: "rt_" + uuid.uuid4().hex + uuid.uuid4().hex, "malformed"),
    "not_an_access_token_type": (
        lambda i: _unsigned({"alg": "EdDSA", "typ": "JWT", "kid": i.kid}, _claims(i)) + ".sig",
        "token_type",
    ),
    "unknown_kid": (
        lambda i: _unsigned({"alg": "EdDSA", "typ": ACCESS_TOKEN_TYPE, "kid": "nobody"}, _claims(i)) + ".sig",
        "unknown_kid",
    ),
}


def rejections(reason: str) -> float:
    return REGISTRY.get_sample_value("gateway_jwt_rejections_total", {"reason": reason}) or 0.0


@pytest.mark.parametrize("case", sorted(REFUSED))
async def test_bad_tokens_are_refused_with_401(case, make_gateway, upstream, issuer, serve):
    build, reason = REFUSED[case]
    before = rejections(reason)
    async with serve(make_gateway()) as clients:
        r = await clients().get("/api/v1/wallet", headers={"Authorization": f"Bearer {build(issuer)}"})
    assert r.status_code == 401, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "unauthenticated"
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert "ratelimit" in r.headers
    assert rejections(reason) == before + 1
    assert upstream.seen == []  # nothing reached the service


async def test_missing_token_is_401_and_counted(make_gateway, upstream, issuer, serve):
    before = rejections("missing")
    async with serve(make_gateway()) as clients:
        r = await clients().get("/api/v1/transactions", headers={"Authorization": "Basic abc"})
    assert r.status_code == 401
    assert r.json()["code"] == "unauthenticated"
    assert rejections("missing") == before + 1
    assert upstream.seen == []


async def test_valid_token_forwards_verified_identity_only(make_gateway, upstream, issuer, serve):
    user_id, session_id = str(uuid.uuid4()), str(uuid.uuid4())
    token = issuer.token(user_id, session_id=session_id)
    async with serve(make_gateway()) as clients:
        r = await clients("10.1.2.3").get(
            "/api/v1/wallet",
            headers={
                "Authorization": f"Bearer {token}",
                "X-Authenticated-User-Id": "victim",
                "X-User-Id": "victim",
                "X-Forwarded-For": "1.2.3.4",
            },
        )
    assert r.status_code == 200
    seen = upstream.seen[0]["headers"]
    assert seen["x-authenticated-user-id"] == user_id
    assert seen["x-authenticated-session-id"] == session_id
    assert "x-authenticated-client-id" not in seen
    assert "x-user-id" not in seen
    assert seen["x-forwarded-for"] == "10.1.2.3"  # the client-written chain is not passed on
    assert seen["authorization"] == f"Bearer {token}"  # services verify the token again


async def test_api_client_token_forwards_client_id(make_gateway, upstream, issuer, serve):
    token = issuer.token(client_id="cl_123", scopes={"wallet:read"})
    async with serve(make_gateway()) as clients:
        r = await clients().get("/api/v1/wallet", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    assert upstream.seen[0]["headers"]["x-authenticated-client-id"] == "cl_123"


async def test_public_paths_need_no_token_but_lookalikes_do(make_gateway, upstream, issuer, serve):
    async with serve(make_gateway()) as clients:
        client = clients()
        assert (await client.post("/api/v1/auth/register", json={"email": "a@b.c"})).status_code == 200
        assert (await client.get("/.well-known/jwks.json")).status_code == 200
        assert (await client.post("/api/v1/auth/refresh")).status_code == 200
        for sneaky in ("/api/v1/auth/login/../sessions", "/api/v1/auth/register/x", "/api/v1/auth/sessions"):
            assert (await client.get(sneaky)).status_code == 401, sneaky
        assert (await client.get("/api/v1/health")).status_code == 200  # the gateway's own route


async def test_revoked_session_is_refused_within_seconds(make_gateway, upstream, issuer, serve):
    revoked_sid, other_sid = str(uuid.uuid4()), str(uuid.uuid4())
    revoked = {"Authorization": f"Bearer {issuer.token(session_id=revoked_sid)}"}
    other = {"Authorization": f"Bearer {issuer.token(session_id=other_sid)}"}
    before = rejections("revoked")
    async with serve(make_gateway()) as clients:
        client = clients()
        assert (await client.get("/api/v1/wallet", headers=revoked)).status_code == 200  # cached as valid
        upstream.revoked.append(revoked_sid)
        started = time.monotonic()
        while (await client.get("/api/v1/wallet", headers=revoked)).status_code == 200:
            assert time.monotonic() - started < 5, "revoked session still accepted after 5 s"
            await asyncio.sleep(0.05)
        r = await client.get("/api/v1/wallet", headers=revoked)
        assert r.status_code == 401 and r.json()["code"] == "unauthenticated"
        assert (await client.get("/api/v1/wallet", headers=other)).status_code == 200
    assert rejections("revoked") >= before + 1


async def test_security_headers_on_every_response(make_gateway, upstream, issuer, serve):
    async with serve(make_gateway()) as clients:
        client = clients()
        answers = [
            await client.get("/api/v1/wallet", headers={"Authorization": f"Bearer {issuer.token()}"}),
            await client.get("/api/v1/wallet"),
            await client.get("/api/v1/health"),
        ]
    for r in answers:
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["cache-control"] == "no-store"
        assert "strict-transport-security" not in r.headers  # development: plain http


async def test_hsts_outside_development(make_gateway, upstream, issuer, serve):
    app = make_gateway(environment="staging", internal_secret_gateway="k" + secrets.token_urlsafe(32))
    async with serve(app) as clients:
        r = await clients().get("/api/v1/health")
    assert r.headers["strict-transport-security"].startswith("max-age=")


async def test_cors_allow_list(make_gateway, upstream, issuer, serve):
    app = make_gateway(GATEWAY_CORS_ORIGINS=["https://app.instapay.example"])
    async with serve(app) as clients:
        client = clients()
        ok = await client.options(
            "/api/v1/wallet",
            headers={
                "Origin": "https://app.instapay.example",
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
        )
        evil = await client.options(
            "/api/v1/wallet", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
        )
        simple = await client.get("/api/v1/wallet", headers={"Origin": "https://evil.example"})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == "https://app.instapay.example"
    assert ok.headers["access-control-allow-credentials"] == "true"
    assert "access-control-allow-origin" not in evil.headers
    assert "access-control-allow-origin" not in simple.headers


def test_cors_wildcard_is_refused():
    with pytest.raises(ValueError, match="wildcard"):
        GatewaySettings(GATEWAY_CORS_ORIGINS=["*"])


def test_forwarded_for_is_believed_only_from_trusted_proxies():
    def scope(peer: str, xff: str | None) -> dict:
        headers = [(b"x-forwarded-for", xff.encode())] if xff else []
        return {"client": (peer, 1), "headers": headers}

    untrusted = ClientAddress([])
    assert untrusted.of(scope("203.0.113.9", "1.1.1.1")) == "203.0.113.9"
    trusted = ClientAddress(["10.0.0.0/8"])
    assert trusted.of(scope("10.0.0.2", "198.51.100.7")) == "198.51.100.7"
    # A client prepending its own guess: only the hop the trusted proxy saw counts.
    assert trusted.of(scope("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.3")) == "198.51.100.7"
    assert trusted.of(scope("203.0.113.9", "198.51.100.7")) == "203.0.113.9"  # peer not trusted
    assert rate_key("2001:db8::1") == rate_key("2001:db8::ffff") == "2001:db8::/64"
