"""Access-token verification shared by the gateway and every service (RFC 8725 checks).

Tokens are EdDSA-signed JWTs from the auth service; public keys come from its JWKS, cached and
refreshed when a token names an unknown `kid` (at most once per `min_refresh_seconds`, so a flood
of forged kids cannot hammer the auth service).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any

import aiohttp
import jwt
from fastapi import Depends, Request, params
from jwt.algorithms import OKPAlgorithm

from instapay_common.errors import Forbidden, InsufficientScope, Unauthenticated

ALLOWED_ALGORITHMS = ["EdDSA"]
ACCESS_TOKEN_TYPE = "at+jwt"  # RFC 9068 `typ` header: refresh tokens are opaque, ID tokens are never accepted
REQUIRED_CLAIMS = ["sub", "sid", "exp", "iat", "iss", "aud", "jti"]
# The contract caps access tokens at 15 minutes: a longer-lived one was not minted by our auth
# service (or was minted by a misconfigured one) and is refused, not trusted for longer.
MAX_ACCESS_TOKEN_LIFETIME = 900


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, as proven by a verified access token."""

    user_id: str
    session_id: str
    token_id: str
    scopes: frozenset[str]
    roles: frozenset[str] = frozenset()
    client_id: str | None = None  # set for third-party API client (client_credentials) tokens
    expires_at: int = 0
    claims: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_api_client(self) -> bool:
        return self.client_id is not None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class TokenRejected(Unauthenticated):
    """Carries a machine-readable reason for metrics; the client only sees `unauthenticated`."""

    def __init__(self, reason: str, detail: str = "Invalid or expired access token") -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        self.reason = reason


class VerifiedTokenCache:
    """A small LRU of tokens already verified, keyed by the whole token string (signature included),
    each kept only until its own `exp`. Verifying Ed25519 costs ~50 us plus JSON parsing per call; a hot
    path such as the gateway answers a repeat token with one dict lookup instead."""

    def __init__(self, max_entries: int) -> None:
        self._max = max_entries
        self._entries: OrderedDict[str, Principal] = OrderedDict()

    def get(self, token: str) -> Principal | None:
        principal = self._entries.get(token)
        if principal is None:
            return None
        if principal.expires_at <= time.time():
            del self._entries[token]
            return None
        self._entries.move_to_end(token)
        return principal

    def put(self, token: str, principal: Principal) -> None:
        self._entries[token] = principal
        if len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


class JwksVerifier:
    def __init__(
        self,
        jwks_url: str,
        *,
        issuer: str,
        audience: str,
        session: aiohttp.ClientSession | None = None,
        min_refresh_seconds: float = 10.0,
        leeway_seconds: int = 5,
        cache_size: int = 0,
    ) -> None:
        self.jwks_url = jwks_url
        self.issuer = issuer
        self.audience = audience
        self._session = session
        self._keys: dict[str, Any] = {}
        self._last_fetch = 0.0
        self._min_refresh = min_refresh_seconds
        self._leeway = leeway_seconds
        self._lock = asyncio.Lock()
        # Opt-in (cache_size > 0): only a verifier whose keys come from this JWKS may answer from it.
        self._cache = VerifiedTokenCache(cache_size) if cache_size > 0 else None

    def install_keys(self, jwks: dict[str, Any]) -> None:
        keys: dict[str, Any] = {}
        for jwk in jwks.get("keys", []):
            if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519" and jwk.get("kid"):
                keys[jwk["kid"]] = OKPAlgorithm.from_jwk(jwk)
        if self._cache is not None and set(keys) != set(self._keys):
            self._cache.clear()  # a key left the JWKS (rotation or compromise): re-verify everything
        self._keys = keys

    async def _refresh(self) -> None:
        async with self._lock:
            if time.monotonic() - self._last_fetch < self._min_refresh and self._keys:
                return
            await self._fetch()

    async def prefetch(self, *, first_delay: float = 0.5, max_delay: float = 5.0) -> None:
        """Fetches the keys, retrying with backoff, until some are installed. Started with the
        service, so the first request neither waits for the first fetch nor fails on it (right
        after a container stack starts, its DNS can take seconds: a valid token answered 401)."""
        delay = first_delay
        while not self._keys:
            async with self._lock:
                if not self._keys:
                    await self._fetch()
            if self._keys:
                return
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_delay)

    async def _fetch(self) -> None:
        """One GET of the JWKS (the caller holds the lock); a failure keeps the keys we have."""
        self._last_fetch = time.monotonic()
        own = self._session is None
        session = self._session or aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=3))
        try:
            async with session.get(self.jwks_url) as resp:
                if resp.status == 200:
                    self.install_keys(await resp.json(content_type=None))
        except (aiohttp.ClientError, TimeoutError):
            pass  # keep the keys we have; an unknown kid is then refused
        finally:
            if own:
                await session.close()

    async def key_for(self, kid: str) -> Any:
        key = self._keys.get(kid)
        if key is None:
            await self._refresh()
            key = self._keys.get(kid)
        return key

    async def verify(self, token: str) -> Principal:
        if self._cache is not None:
            cached = self._cache.get(token)
            if cached is not None:
                return cached
            principal = await self._verify(token)
            self._cache.put(token, principal)
            return principal
        return await self._verify(token)

    async def _verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise TokenRejected("malformed") from exc
        if header.get("alg") not in ALLOWED_ALGORITHMS:
            raise TokenRejected("algorithm")
        if header.get("typ") != ACCESS_TOKEN_TYPE:
            raise TokenRejected("token_type")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise TokenRejected("kid")
        key = await self.key_for(kid)
        if key is None:
            raise TokenRejected("unknown_kid")
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=ALLOWED_ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                leeway=self._leeway,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenRejected("expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise TokenRejected("audience") from exc
        except jwt.InvalidIssuerError as exc:
            raise TokenRejected("issuer") from exc
        except jwt.InvalidSignatureError as exc:
            raise TokenRejected("signature") from exc
        except jwt.PyJWTError as exc:
            raise TokenRejected("invalid") from exc
        lifetime = claims["exp"] - claims["iat"] if all(isinstance(claims[c], int) for c in ("exp", "iat")) else None
        if lifetime is None or lifetime > MAX_ACCESS_TOKEN_LIFETIME + self._leeway:
            raise TokenRejected("lifetime")
        return principal_from_claims(claims)


@asynccontextmanager
async def keys_prefetched(verifier: JwksVerifier) -> AsyncIterator[None]:
    """Runs `verifier.prefetch()` in the background for as long as the block (a service's lifespan)."""
    task = asyncio.create_task(verifier.prefetch())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    scope = claims.get("scope", "")
    roles = claims.get("roles", [])
    if not isinstance(scope, str) or not isinstance(roles, list):
        raise TokenRejected("claims")
    return Principal(
        user_id=str(claims["sub"]),
        session_id=str(claims["sid"]),
        token_id=str(claims["jti"]),
        scopes=frozenset(scope.split()),
        roles=frozenset(str(r) for r in roles),
        client_id=claims.get("client_id"),
        expires_at=int(claims["exp"]),
        claims=claims,
    )


def bearer_token(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    return token.strip()


async def get_principal(request: Request) -> Principal:
    verifier: JwksVerifier = request.app.state.jwt_verifier
    principal = await verifier.verify(bearer_token(request))
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_scope(scope: str) -> params.Depends:
    """Dependency: the caller's token must carry `scope`. For `Annotated[Principal, ...]` and
    `dependencies=[...]` (the object `fastapi.Depends` builds, typed as it is rather than as `Any`)."""

    async def dependency(principal: CurrentPrincipal) -> Principal:
        if not principal.has_scope(scope):
            raise InsufficientScope(f"this call needs the '{scope}' scope")
        return principal

    return params.Depends(dependency)


def require_role(role: str) -> params.Depends:
    """Dependency: the caller must hold `role` (API-client tokens never carry roles)."""

    async def dependency(principal: CurrentPrincipal) -> Principal:
        if role not in principal.roles or principal.is_api_client:
            raise Forbidden(f"this call needs the '{role}' role")
        return principal

    return params.Depends(dependency)
