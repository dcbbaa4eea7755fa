"""The browser's refresh-token cookie: httpOnly (no script can read it), SameSite=Strict, scoped to
the auth paths, Secure outside development/test. The web app keeps only the access token, in memory."""

from __future__ import annotations

from fastapi import Request, Response

from auth_service.config import AuthSettings


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


def clear_refresh_cookie(response: Response, settings: AuthSettings) -> None:
    response.delete_cookie(
        settings.refresh_cookie_name,
        path=settings.refresh_cookie_path,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
    )


def refresh_from(request: Request, settings: AuthSettings, body_token: str | None) -> str | None:
    return body_token or request.cookies.get(settings.refresh_cookie_name) or None
