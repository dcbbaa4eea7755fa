"""The browser's cookies. The refresh token: httpOnly (no script can read it), SameSite=Strict,
scoped to the auth paths, Secure outside development/test. The session hint: readable by the web
app, holding no secret ("1"), set and cleared with the refresh cookie, so the app knows whether a
refresh is worth asking for. The web app keeps only the access token, in memory."""

from __future__ import annotations

from fastapi import Request, Response

from auth_service.config import AuthSettings

# A request carrying this header (the web app sends it on every call) gets the refresh token in
# the httpOnly cookie only, never in the JSON body; API clients and the OAuth form, which do not
# send it, keep the contract's `refresh_token` field.
REFRESH_TRANSPORT_HEADER = "x-refresh-transport"


def cookie_transport(request: Request) -> bool:
    return request.headers.get(REFRESH_TRANSPORT_HEADER, "").strip().lower() == "cookie"


def set_refresh_cookie(response: Response, settings: AuthSettings, refresh_token: str) -> None:
    response.set_cookie(
        settings.refresh_cookie_name,
        refresh_token,
        max_age=settings.refresh_token_ttl_seconds,
        path=settings.refresh_cookie_path,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
    )
    response.set_cookie(
        settings.session_hint_cookie_name,
        "1",
        max_age=settings.refresh_token_ttl_seconds,
        path="/",
        httponly=False,  # read by the web app; it says only "a session may exist"
        samesite="strict",
        secure=settings.cookie_secure,
    )


def clear_refresh_cookie(response: Response, settings: AuthSettings) -> None:
    response.delete_cookie(
        settings.refresh_cookie_name,
        path=settings.refresh_cookie_path,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
    )
    response.delete_cookie(
        settings.session_hint_cookie_name, path="/", httponly=False, samesite="strict", secure=settings.cookie_secure
    )


def refresh_from(request: Request, settings: AuthSettings, body_token: str | None) -> str | None:
    return body_token or request.cookies.get(settings.refresh_cookie_name) or None
