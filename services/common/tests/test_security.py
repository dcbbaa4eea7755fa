"""The shared token verifier refuses what RFC 8725 says to refuse."""

import time

import jwt
import pytest
from fastapi import APIRouter

from instapay_common.security.tokens import CurrentPrincipal, require_role, require_scope
from instapay_common.settings import ServiceSettings
from instapay_common.web.app import create_service_app
from instapay_stack.testing import running_app
from instapay_stack.tokens import TestIssuer

router = APIRouter()


@router.get("/me")
async def me(principal: CurrentPrincipal) -> dict:
    return {"user_id": principal.user_id}


@router.get("/scoped", dependencies=[require_scope("wallet:read")])
async def scoped() -> dict:
    return {}


@router.get("/admin", dependencies=[require_role("admin")])
async def admin() -> dict:
    return {}


@pytest.fixture
async def client_and_issuer():
    settings = ServiceSettings(service_name="sec-test", jwks_url="http://127.0.0.1:9/none")
    app = create_service_app(settings, title="t", routers=[router])
    issuer = TestIssuer(settings)
    async with running_app(app) as client:
        issuer.install(app)
        yield client, issuer


async def test_valid_token_accepted(client_and_issuer):
    client, issuer = client_and_issuer
    r = await client.get("/me", headers={"Authorization": f"Bearer {issuer.token('u1')}"})
    assert r.status_code == 200 and r.json() == {"user_id": "u1"}


def _forge_none(issuer: TestIssuer) -> str:
    return jwt.encode({"sub": "u1"}, None, algorithm="none", headers={"kid": issuer.kid, "typ": "at+jwt"})


@pytest.mark.parametrize(
    "make_token",
    [
        lambda i: i.token("u1", ttl=-60),  # expired
        lambda i: i.token("u1", aud="someone-else"),
        lambda i: i.token("u1", iss="https://evil.example"),
        lambda i: i.token("u1")[:-4] + "AAAA",  # tampered signature
        _forge_none,
        lambda i: TestIssuer(kid=i.kid).token("u1"),  # same kid, other key
        lambda i: "not-a-jwt",
    ],
)
async def test_bad_tokens_are_401(client_and_issuer, make_token):
    client, issuer = client_and_issuer
    r = await client.get("/me", headers={"Authorization": f"Bearer {make_token(issuer)}"})
    assert r.status_code == 401
    assert r.json()["code"] == "unauthenticated"


async def test_hs256_with_public_key_is_refused(client_and_issuer):
    client, issuer = client_and_issuer
    public_jwk = issuer.jwks()["keys"][0]
    token = jwt.encode(
        {
            "sub": "u1",
            "sid": "s",
            "jti": "j",
            "iat": int(time.time()),
            "exp": int(time.time()) + 60,
            "iss": issuer.issuer,
            "aud": issuer.audience,
            "scope": "",
        },
        public_jwk["x"].encode(),
        algorithm="HS256",
        headers={"kid": issuer.kid, "typ": "at+jwt"},
    )
    r = await client.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


async def test_missing_token_is_401(client_and_issuer):
    client, _ = client_and_issuer
    r = await client.get("/me")
    assert r.status_code == 401


async def test_scope_and_role_enforced(client_and_issuer):
    client, issuer = client_and_issuer
    narrow = issuer.token("u1", scopes={"profile:read"})
    r = await client.get("/scoped", headers={"Authorization": f"Bearer {narrow}"})
    assert r.status_code == 403 and r.json()["code"] == "insufficient_scope"
    r = await client.get("/admin", headers={"Authorization": f"Bearer {issuer.token('u1')}"})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    r = await client.get("/admin", headers={"Authorization": f"Bearer {issuer.token('u1', roles=['admin'])}"})
    assert r.status_code == 200
