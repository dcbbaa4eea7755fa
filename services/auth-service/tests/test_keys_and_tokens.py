"""Signing keys (file, env, rotation in JWKS), token shape, password rules, PIN digests."""

import secrets
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from auth_service.config import AuthSettings
from auth_service.keys import SigningKeys
from auth_service.password_policy import common_passwords, password_problem
from auth_service.pins import pin_digest, pin_matches
from auth_service.tokens import issue_access_token, new_opaque_token, token_digest
from instapay_common.security.tokens import JwksVerifier, TokenRejected


def _pem_private(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _pem_public(key: Ed25519PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


async def test_rotation_keeps_the_previous_key_verifiable(tmp_path):
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    old_file = tmp_path / "old.pem"
    old_file.write_text(_pem_private(old))
    before = AuthSettings(jwt_private_key_file=str(old_file))
    old_keys = SigningKeys.from_settings(before)
    old_token = issue_access_token(
        old_keys, before, user_id=uuid.uuid4(), session_id=uuid.uuid4(), scopes=["profile:read"], roles=[]
    )
    third = Ed25519PrivateKey.generate()
    after = AuthSettings(
        jwt_private_key=_pem_private(new), jwt_previous_public_keys=_pem_public(old) + _pem_public(third)
    )
    keys = SigningKeys.from_settings(after)
    assert keys.kid != old_keys.kid and keys.jwks["keys"][0]["kid"] == keys.kid
    assert {k["kid"] for k in keys.jwks["keys"]} >= {keys.kid, old_keys.kid} and len(keys.jwks["keys"]) == 3
    assert all("d" not in k for k in keys.jwks["keys"])
    verifier = JwksVerifier("http://127.0.0.1:9/unused", issuer=after.jwt_issuer, audience=after.jwt_audience)
    verifier.install_keys(keys.jwks)
    assert (await verifier.verify(old_token)).scopes == frozenset({"profile:read"})
    # the same key always gets the same kid
    assert SigningKeys.from_settings(before).kid == old_keys.kid


async def test_token_claims_and_refusals():
    settings = AuthSettings(jwt_private_key=_pem_private(Ed25519PrivateKey.generate()))
    keys = SigningKeys.from_settings(settings)

    uid, sid = uuid.uuid4(), uuid.uuid4()
    token = issue_access_token(
        keys, settings, user_id=uid, session_id=sid, scopes=["b", "a"], roles=["admin"], client_id=None
    )
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "EdDSA", "kid": keys.kid, "typ": "at+jwt"}
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["sub"] == str(uid) and claims["sid"] == str(sid) and claims["scope"] == "a b"
    assert claims["exp"] - claims["iat"] == 900 and abs(claims["iat"] - time.time()) < 5
    verifier = JwksVerifier("http://127.0.0.1:9/unused", issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    verifier.install_keys(keys.jwks)
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    wrong_aud = jwt.encode(
        {**claims, "aud": "someone-else"},
        keys.private_key,
        algorithm="EdDSA",
        headers={"kid": keys.kid, "typ": "at+jwt"},
    )
    for bad in (tampered, wrong_aud, new_opaque_token("iprt_")):
        with pytest.raises(TokenRejected):
            await verifier.verify(bad)


def test_password_rules():
    assert len(common_passwords()) >= 9000
    assert password_problem("Nile-River-42x") is None
    for weak in ("short1!A", "alllowercaseletters", "Password1!", "Qwerty123456", "x" * 200):
        assert password_problem(weak) is not None, weak
    assert password_problem("Ahmed.Hassan-2026", email="ahmed.hassan@example.com") is not None


def test_pin_digest_is_keyed_and_per_user():
    d1 = pin_digest("pepper", "u1", "123456")
    assert len(d1) == 64 and "123456" not in d1
    assert d1 != pin_digest("pepper", "u2", "123456") and d1 != pin_digest("other", "u1", "123456")
    assert pin_matches("pepper", "u1", "123456", d1) and not pin_matches("pepper", "u1", "123457", d1)
    assert token_digest("abc") != "abc" and len(token_digest("abc")) == 64


def test_production_refuses_dev_secrets():
    with pytest.raises(ValueError, match="INTERNAL_SECRET_AUTH is required"):
        AuthSettings(environment="production")
    internal = {f"internal_secret_{c}": "k" + secrets.token_urlsafe(32) for c in ("auth", *AuthSettings.internal_peers)}
    key = {"jwt_private_key": "-----BEGIN PRIVATE KEY-----"}
    for pepper, message in (
        ("dev-pin-pepper-not-for-production", "PIN_PEPPER holds a placeholder"),
        ("replace-with-a-random-32-byte-secret", "PIN_PEPPER holds a placeholder"),
        ("short-pepper-1234", "PIN_PEPPER must be at least 32 bytes"),
    ):
        with pytest.raises(ValueError, match=message):
            AuthSettings(environment="production", pin_pepper=pepper, **internal, **key)
    AuthSettings(environment="production", pin_pepper=secrets.token_urlsafe(32), **internal, **key)
