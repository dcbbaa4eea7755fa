"""Service-to-service authentication for internal endpoints (never routed by the gateway).

Every caller (the gateway, each service that calls another, the outbox relay) has its own secret
and names itself on each internal call:

    X-Internal-Caller: transaction
    X-Internal-Token: <the transaction caller's secret>

A service holds its own secret (to call out) and the secrets of the callers it accepts (to check
them), nothing else. Each internal route states which callers may call it:

    @router.delete("/{user_id}")
    async def remove(user_id: uuid.UUID, _: Annotated[str, internal_callers("auth")], ...)

    router.add_route(path, internal_endpoint(handler, allow=("transaction",)), ...)

A missing or wrong credential (or a caller this service holds no secret for) is 401
`unauthenticated`; a right credential of a caller the route does not allow is 403 `forbidden`.
Secrets are compared in constant time.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from fastapi import Depends, Request
from starlette.datastructures import Headers

from instapay_common.errors import Forbidden, Unauthenticated

CALLER_HEADER = "X-Internal-Caller"
TOKEN_HEADER = "X-Internal-Token"
# The client address the gateway decided (its trusted-proxy rule); believed only with the gateway's
# credential on the same request (`client_address`).
CLIENT_ADDRESS_HEADER = "X-Client-Address"

# Every internal caller. Environment: INTERNAL_SECRET_<NAME> (upper case) holds its secret.
CALLERS: tuple[str, ...] = ("gateway", "auth", "user", "transaction", "reporting", "notification", "relay")


def secret_env_name(caller: str) -> str:
    return f"INTERNAL_SECRET_{caller.upper()}"


def dev_secret(caller: str) -> str:
    """The built-in development/test secret of `caller`; refused in staging and production."""
    return f"dev-internal-{caller}-secret-not-for-production"


class InternalCredentials:
    """What one process holds: its own identity and secret, and the secrets of its accepted callers."""

    def __init__(self, identity: str | None, secrets: Mapping[str, str]) -> None:
        unknown = ({identity} if identity else set()) | set(secrets)
        if not unknown <= set(CALLERS):
            raise ValueError(f"unknown internal callers: {sorted(unknown - set(CALLERS))}")
        self.identity = identity
        self._secrets = {caller: secret.encode() for caller, secret in secrets.items() if secret}

    def headers(self) -> dict[str, str]:
        """Headers that authenticate this process on an internal call."""
        if self.identity is None or self.identity not in self._secrets:
            raise RuntimeError("this process has no internal credential of its own")
        return {CALLER_HEADER: self.identity, TOKEN_HEADER: self._secrets[self.identity].decode()}

    def verify(self, caller: str | None, token: str | None) -> str | None:
        """The caller's name when `token` is its secret, else None."""
        if not caller or not token:
            return None
        secret = self._secrets.get(caller)
        if secret is None:
            return None
        return caller if hmac.compare_digest(token.encode(), secret) else None

    def authorize(self, headers: Headers, allowed: frozenset[str]) -> str:
        """The calling service's name; 401 without a valid credential, 403 when the route does not allow it."""
        caller = self.verify(headers.get(CALLER_HEADER), headers.get(TOKEN_HEADER))
        if caller is None:
            raise Unauthenticated("internal endpoint: missing or wrong service credentials")
        if caller not in allowed:
            raise Forbidden(f"internal endpoint: the {caller} service may not call this route")
        return caller


class HasInternalCredentials(Protocol):
    def internal_credentials(self) -> InternalCredentials: ...


def _credentials(request: Request) -> InternalCredentials:
    settings: HasInternalCredentials = request.app.state.settings
    return settings.internal_credentials()


def internal_callers(*allowed: str) -> Any:
    """A FastAPI dependency (use as `Annotated[str, internal_callers(...)]`): the calling service's
    name, when it is one of `allowed` and presents its own secret."""
    allow = _allow_list(allowed)

    async def require(request: Request) -> str:
        return _credentials(request).authorize(request.headers, allow)

    return Depends(require)


def _allow_list(allowed: Iterable[str]) -> frozenset[str]:
    allow = frozenset(allowed)
    if not allow or not allow <= set(CALLERS):
        raise ValueError(f"an internal route must allow known callers, not {sorted(allow)}")
    return allow


def authorize_request(request: Request, allowed: Iterable[str]) -> str:
    """The same check for plain Starlette routes (instapay_common.web.fast_routes)."""
    return _credentials(request).authorize(request.headers, _allow_list(allowed))


def client_address(request: Request) -> str | None:
    """The client's address: the one the gateway sent (only believed with the gateway's credential
    on the same request), else the TCP peer."""
    claimed = request.headers.get(CLIENT_ADDRESS_HEADER)
    if claimed:
        creds = _credentials(request)
        if creds.verify(request.headers.get(CALLER_HEADER), request.headers.get(TOKEN_HEADER)) == "gateway":
            return claimed.strip() or None
    return request.client.host if request.client else None
