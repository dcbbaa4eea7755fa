"""The token signing key and the JWKS that publishes it (plus retired keys during rotation)."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from jwt.algorithms import OKPAlgorithm

from auth_service.config import AuthSettings

_PEM_END = "-----END PUBLIC KEY-----"


def _public_jwk(public_key: Ed25519PublicKey) -> dict[str, Any]:
    jwk = json.loads(OKPAlgorithm.to_jwk(public_key))
    # kid = RFC 7638 thumbprint: stable for a key, different for the next one, no bookkeeping.
    canonical = json.dumps({"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"]}, separators=(",", ":"))
    kid = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
    return {"kty": jwk["kty"], "crv": jwk["crv"], "x": jwk["x"], "kid": kid, "use": "sig", "alg": "EdDSA"}


def _load_private(settings: AuthSettings) -> Ed25519PrivateKey:
    pem: bytes | None = None
    if settings.jwt_private_key_file:
        pem = Path(settings.jwt_private_key_file).read_bytes()
    elif settings.jwt_private_key:
        pem = settings.jwt_private_key.get_secret_value().encode()
    if pem is None:
        return Ed25519PrivateKey.generate()  # development only (the settings refuse this in production)
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the JWT signing key must be an Ed25519 private key")
    return key


def _load_previous(pems: str) -> list[Ed25519PublicKey]:
    keys = []
    for chunk in pems.split(_PEM_END):
        if "BEGIN PUBLIC KEY" in chunk:
            key = serialization.load_pem_public_key((chunk.strip() + "\n" + _PEM_END + "\n").encode())
            if not isinstance(key, Ed25519PublicKey):
                raise ValueError("JWT_PREVIOUS_PUBLIC_KEYS must hold Ed25519 public keys")
            keys.append(key)
    return keys


@dataclass(frozen=True)
class SigningKeys:
    private_key: Ed25519PrivateKey
    kid: str
    jwks: dict[str, Any]

    @classmethod
    def from_settings(cls, settings: AuthSettings) -> SigningKeys:
        private = _load_private(settings)
        current = _public_jwk(private.public_key())
        previous = [_public_jwk(k) for k in _load_previous(settings.jwt_previous_public_keys)]
        keys = [current] + [k for k in previous if k["kid"] != current["kid"]]
        return cls(private_key=private, kid=current["kid"], jwks={"keys": keys})
