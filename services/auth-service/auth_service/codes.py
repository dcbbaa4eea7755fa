"""One-time codes (phone and e-mail verification, password reset): 6 random digits, kept only
as an HMAC-SHA256 under a server-side key, so a copy of the table gives no code back.

The key is derived from the PIN pepper with a label of its own (HMAC as a KDF): one secret to
manage, two independent keys. The digest binds the account, the purpose and the address the code
went to, so a code is worth nothing for another account, purpose or a phone changed since.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

CODE_PATTERN = re.compile(r"^[0-9]{6}$")
_KEY_LABEL = b"instapay/verification-codes/v1"


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def code_digest(pepper: str, *, user_id: str, purpose: str, destination: str, code: str) -> str:
    key = hmac.new(pepper.encode(), _KEY_LABEL, hashlib.sha256).digest()
    return hmac.new(key, f"{user_id}:{purpose}:{destination}:{code}".encode(), hashlib.sha256).hexdigest()


def code_matches(pepper: str, *, user_id: str, purpose: str, destination: str, code: str, stored: str) -> bool:
    # Computed for any input (even a malformed code) so the comparison costs the same.
    digest = code_digest(pepper, user_id=user_id, purpose=purpose, destination=destination, code=code)
    return hmac.compare_digest(digest, stored) and bool(CODE_PATTERN.match(code))
