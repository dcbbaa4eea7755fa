"""The pair a refresh token's rotation issued, sealed so that only that token's holder can open it.

Concurrent refreshes of one token within the grace period must all get the same new pair, so the
pair is kept with the spent token; it is never stored usable. It is encrypted with AES-256-GCM
under a key derived (HKDF-SHA256, its own label) from the spent refresh token itself, which the
database holds only as a SHA-256 digest: reading the database gives neither the key nor the pair.
"""

from __future__ import annotations

import os

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_INFO = b"instapay refresh successor v1"
_NONCE = 12


def _key(refresh_token: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(refresh_token.encode())


def seal(refresh_token: str, pair: dict[str, object]) -> bytes:
    nonce = os.urandom(_NONCE)
    return nonce + AESGCM(_key(refresh_token)).encrypt(nonce, orjson.dumps(pair), None)


def open_sealed(refresh_token: str, sealed: bytes) -> dict[str, object] | None:
    try:
        plain = AESGCM(_key(refresh_token)).decrypt(sealed[:_NONCE], sealed[_NONCE:], None)
    except (InvalidTag, ValueError):
        return None
    value = orjson.loads(plain)
    return value if isinstance(value, dict) else None
