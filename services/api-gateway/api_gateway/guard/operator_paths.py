"""The gateway's operator endpoints are for the cluster, not for the internet.

The gateway also serves the web app at `/`, so in Kubernetes the ingress sends it every path, and
its own `/metrics` (route names, traffic, error counts) and `/readyz` (which services are down)
would be public there; Caddy refuses them in the compose setups. A request that came through a
reverse proxy carries `X-Forwarded-For`, `Forwarded` or `X-Real-IP` (ingress-nginx and Caddy always
add one), and gets 404 for them here, as if they did not exist. Prometheus and the kubelet call
the pod directly and are not affected; `/healthz` says only "alive" and stays answerable.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from instapay_common.errors import NotFound, problem_response

OPERATOR_PATHS = frozenset({"/metrics", "/readyz"})
PROXY_HEADERS = frozenset({b"x-forwarded-for", b"forwarded", b"x-real-ip"})


class OperatorPathsGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["path"].rstrip("/") in OPERATOR_PATHS
            and any(name in PROXY_HEADERS for name, _ in scope["headers"])
        ):
            response = problem_response(NotFound.status, NotFound.code, NotFound.title, "No such route.")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
