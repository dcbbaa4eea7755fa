"""The gateway's guard, a pure ASGI layer in front of the proxy and the gateway's own routes.

For every request: find the client address, verify the bearer token on routed non-public paths
(JwksVerifier with a verified-token cache, then the revoked-sessions list), count it against the
rate-limit policies in one counter-store round trip, and answer 429 or 401 itself, or pass the
request on with the verified principal in the scope (the proxy forwards it as headers). Every
response leaves with the RateLimit headers; failure-counting policies are charged when the answer
comes back as a failure (a wrong password).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from prometheus_client import Counter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api_gateway.guard.account_key import BODY_ACCOUNT_PATHS, account_of
from api_gateway.guard.client_address import ClientAddress, rate_key
from api_gateway.guard.rate_counters import Window
from api_gateway.guard.rate_limiter import Applied, RateLimiter
from api_gateway.guard.rate_policies import RateLimitPolicy
from api_gateway.guard.revocation import RevocationList
from api_gateway.guard.streams import StreamLease, StreamSlots
from api_gateway.proxy import PayloadTooLarge, read_body
from api_gateway.routing import RouteTable
from instapay_common.errors import DomainError, RateLimited, problem_response
from instapay_common.security.tokens import JwksVerifier, Principal, TokenRejected

JWT_REJECTIONS = Counter("gateway_jwt_rejections_total", "Access tokens refused by the gateway, by reason.", ["reason"])

PRINCIPAL_SCOPE_KEY = "instapay.principal"
CLIENT_IP_SCOPE_KEY = "instapay.client_ip"


@dataclass
class GuardState:
    """What the guard needs at request time; built in the app's lifespan (gateway_app.py)."""

    verifier: JwksVerifier
    revocations: RevocationList
    limiter: RateLimiter
    streams: StreamSlots


def _bearer(scope: Scope) -> str | None:
    for key, value in scope["headers"]:
        if key == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            token = token.strip()
            return token if scheme.lower() == "bearer" and token else None
    return None


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            found: bytes = value
            return found
    return None


async def forward_identity(scope: Scope, _headers: dict[bytes, bytes]) -> list[tuple[str, str]]:
    """Proxy guard: the verified identity, as headers for the upstream (which verifies the token too)."""
    principal: Principal | None = scope.get(PRINCIPAL_SCOPE_KEY)
    if principal is None:
        return []
    headers = [("x-authenticated-user-id", principal.user_id), ("x-authenticated-session-id", principal.session_id)]
    if principal.client_id:
        headers.append(("x-authenticated-client-id", principal.client_id))
    return headers


def stream_gate(state: Callable[[], GuardState]) -> Callable[[Scope], StreamLease | None]:
    """Proxy hook: admits a stream for the verified caller (guard/streams.py)."""

    def open_stream(scope: Scope) -> StreamLease | None:
        principal: Principal | None = scope.get(PRINCIPAL_SCOPE_KEY)
        return None if principal is None else state().streams.open(principal)

    return open_stream


class AccessControl:
    def __init__(
        self,
        app: ASGIApp,
        *,
        table: RouteTable,
        public_paths: Sequence[str],
        addresses: ClientAddress,
        max_body_bytes: int,
        state: Callable[[], GuardState],
    ) -> None:
        self.app = app
        self.table = table
        self.public = frozenset(public_paths)
        self.addresses = addresses
        self.max_body = max_body_bytes
        self._state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        guard = self._state()
        path = scope["path"]
        client_ip = self.addresses.of(scope)
        scope[CLIENT_IP_SCOPE_KEY] = client_ip
        principal: Principal | None = None
        rejection: TokenRejected | None = None
        matched = self.table.match(path)
        if matched is not None:
            # Label refusals made here (401, 429) by their route prefix too, not as "<unmatched>".
            scope["route_label"] = matched[0] + "/*"
        if path not in self.public and matched is not None:
            principal, rejection = await self._authenticate(scope, guard)

        policies = guard.limiter.applicable(scope["method"], path)
        account: str | None = None
        if principal is None and path in BODY_ACCOUNT_PATHS and any(p.key == "account" for p in policies):
            try:
                body = await read_body(receive, self.max_body)
            except PayloadTooLarge as exc:
                await self._problem(exc, [], scope, receive, send)
                return
            receive = _replay(body, receive)
            account = account_of(path, body, _header(scope, b"authorization"))
        applied = self._bind(guard.limiter, policies, rate_key(client_ip), principal, account)
        windows = await guard.limiter.evaluate(applied)
        rl_headers = guard.limiter.headers(applied, windows)

        refused = guard.limiter.refused(applied, windows)
        if refused:
            retry = max(w.reset_seconds for _, w in refused)
            limited = RateLimited(
                f"too many requests ({refused[0][0].policy.name}); retry in {retry} s",
                headers={"Retry-After": str(retry)},
            )
            await self._problem(limited, rl_headers, scope, receive, send)
            return
        if rejection is not None:
            JWT_REJECTIONS.labels(rejection.reason).inc()
            await self._problem(rejection, rl_headers, scope, receive, send)
            return
        if principal is not None:
            scope[PRINCIPAL_SCOPE_KEY] = principal
        if any(a.policy.count == "failures" for a in applied):
            send = self._failure_counting_send(send, guard.limiter, applied, windows)
        else:
            send = _with_headers(send, rl_headers)
        await self.app(scope, receive, send)

    async def _authenticate(self, scope: Scope, guard: GuardState) -> tuple[Principal | None, TokenRejected | None]:
        token = _bearer(scope)
        if token is None:
            return None, TokenRejected("missing", "Missing bearer token")
        try:
            principal = await guard.verifier.verify(token)
        except TokenRejected as exc:
            return None, exc
        if guard.revocations.is_revoked(principal.session_id):
            return None, TokenRejected("revoked", "This session has been signed out")
        return principal, None

    @staticmethod
    def _bind(
        limiter: RateLimiter,
        policies: Sequence[RateLimitPolicy],
        ip_key: str,
        principal: Principal | None,
        account: str | None,
    ) -> list[Applied]:
        applied: list[Applied] = []
        for policy in policies:
            if policy.key == "ip":
                subject: str | None = ip_key
            elif policy.key == "principal":
                # Every token of one user (its own, any of its API clients') shares one quota.
                subject = None if principal is None else f"user:{principal.user_id}"
            else:
                subject = f"user:{principal.user_id}" if principal is not None else account
            if subject is not None:
                applied.append(limiter.bind(policy, subject))
        return applied

    @staticmethod
    async def _problem(
        exc: DomainError, rl_headers: list[tuple[bytes, bytes]], scope: Scope, receive: Receive, send: Send
    ) -> None:
        headers = dict(exc.headers)
        headers.update({k.decode(): v.decode() for k, v in rl_headers})
        response = problem_response(exc.status, exc.code, exc.title, exc.detail, headers=headers, **exc.extra)
        await response(scope, receive, send)

    @staticmethod
    def _failure_counting_send(send: Send, limiter: RateLimiter, applied: list[Applied], windows: list[Window]) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                updated = await limiter.record_failures(applied, message["status"])
                current = [updated.get(i, w) for i, w in enumerate(windows)]
                message["headers"] = [*message.get("headers", []), *limiter.headers(applied, current)]
            await send(message)

        return wrapped


def _with_headers(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
    if not extra:
        return send

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), *extra]
        await send(message)

    return wrapped


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body was read to find the account; hand it on unchanged to the next layer."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return replay
