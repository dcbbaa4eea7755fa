"""Signed payment-link tokens: what a QR code or a `/pay/<token>` link carries.

Layout (then base64url without padding): version (1 byte) | link id (16 bytes) | expiry (4 bytes,
Unix seconds, 0 = none) | handle (UTF-8) | HMAC-SHA256 of all of that, first 16 bytes.
- Signed by the platform (`PAYMENT_LINK_SECRET`): a token nobody here issued, or one with any
  byte changed, does not verify (`hmac.compare_digest`, constant time) and answers 404 like an
  unknown link. A 128-bit tag is far beyond guessing and keeps a QR code small (~64 characters).
- No personal data beyond the handle the owner shares anyway: amount, reference and single-use
  live in the link's row, so they cannot be edited in the token and the token stays short.
- The handle is a hint for people reading the URL; the link row's owner is who gets paid.
"""

import base64
import binascii
import hashlib
import hmac
import struct
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

VERSION = 1
_TAG_BYTES = 16
_HEAD = struct.Struct(">B16sI")  # version, link id, expiry
MAX_TOKEN_CHARS = 200  # a 64-character handle makes ~130; anything longer is not ours


@dataclass(frozen=True, slots=True)
class LinkToken:
    link_id: uuid.UUID
    expires_at: datetime | None
    handle: str


def _tag(secret: bytes, body: bytes) -> bytes:
    return hmac.new(secret, body, hashlib.sha256).digest()[:_TAG_BYTES]


def sign(secret: bytes, token: LinkToken) -> str:
    expiry = int(token.expires_at.timestamp()) if token.expires_at else 0
    body = _HEAD.pack(VERSION, token.link_id.bytes, expiry) + token.handle.encode()
    return base64.urlsafe_b64encode(body + _tag(secret, body)).decode().rstrip("=")


def verify(secrets: list[bytes], token: str) -> LinkToken | None:
    """The token's content if one of `secrets` signed it (several during a rotation), else None."""
    if not 0 < len(token) <= MAX_TOKEN_CHARS:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        return None
    # One spelling per token: base64 ignores stray characters and a final character's spare bits,
    # so a changed character could otherwise decode to the same bytes and be accepted.
    if base64.urlsafe_b64encode(raw).decode().rstrip("=") != token:
        return None
    if len(raw) < _HEAD.size + _TAG_BYTES:
        return None
    body, tag = raw[:-_TAG_BYTES], raw[-_TAG_BYTES:]
    if not any(hmac.compare_digest(_tag(secret, body), tag) for secret in secrets):
        return None
    version, link_id, expiry = _HEAD.unpack_from(body)
    if version != VERSION:
        return None
    try:
        handle = body[_HEAD.size :].decode()
    except UnicodeDecodeError:
        return None
    return LinkToken(uuid.UUID(bytes=link_id), datetime.fromtimestamp(expiry, UTC) if expiry else None, handle)
