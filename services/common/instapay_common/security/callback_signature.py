"""Signatures of provider callbacks: HMAC-SHA256 over `timestamp.body`, sent as
`t=<unix seconds>,v1=<hex digest>[,v1=<hex digest>...]` (the shape payment providers use; several
`v1` values let a provider sign with an old and a new secret while a secret is rotated).

The timestamp is inside the signed text, so a captured callback cannot be replayed with a fresh
timestamp, and one older than the tolerance is refused even with a valid signature.
"""

from __future__ import annotations

import hashlib
import hmac
import time


class SignatureError(ValueError):
    """Missing, malformed, wrong or stale signature; the message says which (never the secret)."""


def _digest(secret: bytes, timestamp: int, body: bytes) -> str:
    return hmac.new(secret, str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def sign(secret: bytes, body: bytes, *, timestamp: int | None = None) -> str:
    """The header value for `body`, signed now (or at `timestamp`)."""
    at = int(time.time()) if timestamp is None else timestamp
    return f"t={at},v1={_digest(secret, at, body)}"


def verify(
    secrets: list[bytes], header: str | None, body: bytes, *, tolerance_seconds: int, now: float | None = None
) -> int:
    """The signed timestamp, if one `v1` of `header` is the digest of `body` under one of `secrets`
    and the timestamp is within `tolerance_seconds` of now; raises SignatureError otherwise."""
    if not header:
        raise SignatureError("the signature header is missing")
    timestamp: int | None = None
    given: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit() and len(value) <= 12:
            timestamp = int(value)
        elif key == "v1" and value:
            given.append(value)
    if timestamp is None or not given:
        raise SignatureError("the signature header is malformed")
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_seconds:
        raise SignatureError("the signature timestamp is outside the tolerance")
    # Every pair is compared (no early exit on a match) so timing says nothing about which failed.
    matched = False
    for secret in secrets:
        expected = _digest(secret, timestamp, body)
        for value in given:
            matched |= hmac.compare_digest(expected, value)
    if not matched:
        raise SignatureError("the signature does not match")
    return timestamp
