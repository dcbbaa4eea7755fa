"""Transaction PIN: a keyed hash (HMAC-SHA256 with a server-side pepper), cheap enough for the
path of every transfer; the pepper keeps a stolen table from being brute-forced over 10^6 PINs."""

from __future__ import annotations

import hashlib
import hmac
import re

PIN_PATTERN = re.compile(r"^[0-9]{6}$")


def pin_digest(pepper: str, user_id: str, pin: str) -> str:
    # The user id in the message: equal PINs of two users do not give equal digests.
    return hmac.new(pepper.encode(), f"{user_id}:{pin}".encode(), hashlib.sha256).hexdigest()


def pin_matches(pepper: str, user_id: str, pin: str, stored: str) -> bool:
    return hmac.compare_digest(pin_digest(pepper, user_id, pin), stored)
