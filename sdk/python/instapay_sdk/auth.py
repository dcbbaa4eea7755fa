"""Client-credentials tokens for an API client, fetched and refreshed by the HTTP client itself.

`ClientCredentials` is an httpx auth flow: before a request it gets a token if it has none or the
one it has is about to expire, and it repeats a request once with a new token when the API answers
401 (a token revoked before its expiry, e.g. after the user changed the password: if the client
itself was revoked, the token request fails with `TokenError`). One flow serves the sync and the
async client, because the token request is yielded to whichever client sends it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from typing import Any

import httpx

from instapay_sdk.generated.client import Client

TOKEN_PATH = "/api/v1/auth/token"
# A token is replaced this long before it expires (at most half its life), so a request never
# leaves with a token that expires on the way; access tokens live 15 minutes at most.
REFRESH_MARGIN_SECONDS = 60.0


class TokenError(Exception):
    """The token endpoint refused the client's credentials (the problem+json is in `problem`)."""

    def __init__(self, status_code: int, problem: dict[str, Any]) -> None:
        self.status_code = status_code
        self.problem = problem
        super().__init__(f"token request failed ({status_code}): {problem.get('code') or problem.get('title')}")


class ClientCredentials(httpx.Auth):
    """OAuth 2.0 client credentials (RFC 6749 4.4) against `POST /api/v1/auth/token`.

    Concurrent first requests may each fetch a token: harmless (tokens are independent), and
    cheaper than a lock that would have to work for threads and event loops alike."""

    requires_response_body = True

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._token_url = base_url.rstrip("/") + TOKEN_PATH
        self._form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}
        self._clock = clock
        self._token: str | None = None
        self._refresh_at = 0.0

    @property
    def token(self) -> str | None:
        """The current access token (None before the first request)."""
        return self._token

    def _token_request(self) -> httpx.Request:
        return httpx.Request("POST", self._token_url, data=self._form)

    def _store(self, response: httpx.Response) -> None:
        body = response.json()
        if response.status_code != 200:
            raise TokenError(response.status_code, body if isinstance(body, dict) else {})
        expires_in = float(body["expires_in"])
        self._token = str(body["access_token"])
        self._refresh_at = self._clock() + expires_in - min(REFRESH_MARGIN_SECONDS, expires_in / 2)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._token is None or self._clock() >= self._refresh_at:
            self._store((yield self._token_request()))
        request.headers["Authorization"] = f"Bearer {self._token}"
        response = yield request
        if response.status_code == 401:
            # Refused before it expired (revoked session, clock skew): one new token, one retry.
            # Safe for a POST: a request refused at authentication was not carried out.
            self._store((yield self._token_request()))
            request.headers["Authorization"] = f"Bearer {self._token}"
            yield request


def connect(
    base_url: str,
    client_id: str,
    client_secret: str,
    *,
    timeout: float = 20.0,
    httpx_args: dict[str, Any] | None = None,
) -> Client:
    """A generated-API client for `base_url` (the gateway, e.g. "https://api.instapay.example")
    that authenticates as the API client, getting and refreshing its token as needed.

        client = connect(url, client_id, client_secret)
        wallet = get_wallet_api_v1_wallet_get.sync(client=client)
    """
    auth = ClientCredentials(base_url, client_id, client_secret)
    return Client(
        base_url=base_url,
        timeout=httpx.Timeout(timeout),
        raise_on_unexpected_status=True,
        httpx_args={**(httpx_args or {}), "auth": auth},
    )
