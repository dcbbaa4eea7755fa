"""The account a public auth request targets, read from its body (for per-account quotas).

Only the login, token, register and password-recovery bodies are read; the value is normalised (trimmed, case-folded)
and hashed, so counters never hold e-mail addresses or phone numbers in clear (e.g. in Redis).
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, unquote_plus

import orjson

from api_gateway.guard.rate_policies import FORGOT, LOGIN, REGISTER, RESET, TOKEN

BODY_ACCOUNT_PATHS = frozenset({LOGIN, TOKEN, REGISTER, FORGOT, RESET})


def _digest(value: str) -> str | None:
    value = value.strip().casefold()
    if not value:
        return None
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _json_field(body: bytes, name: str) -> str | None:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    value = data.get(name) if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def _basic_client_id(authorization: bytes | None) -> str | None:
    if not authorization or authorization[:6].lower() != b"basic ":
        return None
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    client_id, _, _ = decoded.partition(":")
    return unquote_plus(client_id)  # RFC 6749 2.3.1: form-encoded before base64


def _token_account(body: bytes, authorization: bytes | None) -> str | None:
    try:
        form = parse_qs(body.decode(), keep_blank_values=True)
    except UnicodeDecodeError:
        return None
    grant = (form.get("grant_type") or [""])[0]
    if grant == "password":
        return next(iter(form.get("username", [])), None)
    if grant == "client_credentials":
        return next(iter(form.get("client_id", [])), None) or _basic_client_id(authorization)
    return None


def account_of(path: str, body: bytes, authorization: bytes | None) -> str | None:
    if path in (LOGIN, FORGOT, RESET):
        value = _json_field(body, "username")
    elif path == REGISTER:
        value = _json_field(body, "email")
    elif path == TOKEN:
        value = _token_account(body, authorization)
    else:
        value = None
    return _digest(value) if value else None
