"""Password rules (documented in docs/ARCHITECTURE.md, "Identity and access"):
10-128 characters, at least three of lower case / upper case / digit / symbol, not one of the
10,000 most common passwords (also with trailing digits/symbols stripped), and not containing
the e-mail's local part or the handle.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 10
MAX_LENGTH = 128
COMMON_LIST = Path(__file__).resolve().parent / "data" / "common_passwords.txt"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _classes(password: str) -> int:
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


def password_problem(password: str, *, email: str = "", handle: str = "") -> str | None:
    """None when acceptable, else the reason (shown to the user)."""
    if len(password) < MIN_LENGTH:
        return f"use at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"use at most {MAX_LENGTH} characters"
    if _classes(password) < 3:
        return "mix at least three of: lower case, upper case, digits, symbols"
    lowered = password.lower()
    core = lowered.rstrip("0123456789!@#$%^&*()-_=+.?~ ")
    common = common_passwords()
    if lowered in common or core in common:
        return "this password is too common"
    for personal in (email.split("@")[0].lower(), handle.lower()):
        if len(personal) >= 4 and personal in lowered:
            return "the password must not contain your e-mail name or handle"
    return None
