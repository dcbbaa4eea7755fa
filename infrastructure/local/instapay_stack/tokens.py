"""A stand-in token issuer for in-process tests of services (no auth service running).

It signs access tokens exactly as the auth service does (EdDSA, `kid`, `typ: at+jwt`, the
contract's claims), and installs its public key into an app's verifier. End-to-end tests use
real tokens from the auth service instead.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from jwt.algorithms import OKPAlgorithm

from instapay_common.security.scopes import USER_SCOPES
from instapay_common.security.tokens import ACCESS_TOKEN_TYPE
from instapay_common.settings import ServiceSettings


class TestIssuer:
    __test__ = False  # not a pytest test class

    def __init__(self, settings: ServiceSettings | None = None, kid: str | None = None) -> None:
        settings = settings or ServiceSettings()
        self.issuer = settings.jwt_issuer
        self.audience = settings.jwt_audience
        self.kid = kid or f"test-{uuid.uuid4().hex[:8]}"
        self.private_key = Ed25519PrivateKey.generate()

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(OKPAlgorithm.to_jwk(self.private_key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "alg": "EdDSA"})
        return {"keys": [jwk]}

    def install(self, app: FastAPI) -> None:
        """Call inside the app's lifespan (the verifier is created there)."""
        app.state.jwt_verifier.install_keys(self.jwks())

    def token(
        self,
        user_id: str | None = None,
        *,
        scopes: frozenset[str] | set[str] = USER_SCOPES,
        roles: list[str] | None = None,
        client_id: str | None = None,
        ttl: int = 900,
        session_id: str | None = None,
        **overrides: Any,
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": user_id or str(uuid.uuid4()),
            "sid": session_id or str(uuid.uuid4()),
            "scope": " ".join(sorted(scopes)),
            "roles": roles or [],
            "iat": now,
            "exp": now + ttl,
            "iss": self.issuer,
            "aud": self.audience,
            "jti": uuid.uuid4().hex,
        }
        if client_id:
            claims["client_id"] = client_id
        claims.update(overrides)
        return jwt.encode(
            claims, self.private_key, algorithm="EdDSA", headers={"kid": self.kid, "typ": ACCESS_TOKEN_TYPE}
        )
