"""Forging access tokens with the stack's real signing key, to change exactly one thing per attack."""

from __future__ import annotations

import base64
import json
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization

from instapay_common.security.tokens import ACCESS_TOKEN_TYPE
from instapay_common.settings import ServiceSettings
from instapay_stack.e2e import TestUser, claims_of
from instapay_stack.stack import Stack


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Forger:
    def __init__(self, stack: Stack) -> None:
        pem = Path(stack.env["JWT_PRIVATE_KEY_FILE"]).read_bytes()
        self.key = serialization.load_pem_private_key(pem, password=None)
        public_x = b64(self.key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
        jwks = httpx.get(stack.gateway_url + "/.well-known/jwks.json", timeout=10).json()
        self.kid = next(k["kid"] for k in jwks["keys"] if k["x"] == public_x)

    def claims(self, user: TestUser, **overrides: Any) -> dict[str, Any]:
        settings = ServiceSettings()
        real = claims_of(user.access_token)[1]
        now = int(time.time())
        claims = {
            **real,
            "iat": now,
            "exp": now + 300,
            "iss": settings.jwt_issuer,
            "aud": settings.jwt_audience,
            "jti": uuid.uuid4().hex,
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def sign(self, claims: dict[str, Any], **header: Any) -> str:
        headers = {"kid": self.kid, "typ": ACCESS_TOKEN_TYPE, **header}
        headers = {k: v for k, v in headers.items() if v is not None}
        return jwt.encode(claims, self.key, algorithm="EdDSA", headers=headers)

    @staticmethod
    def raw(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
        return ".".join((b64(json.dumps(header).encode()), b64(json.dumps(claims).encode()), b64(signature)))
