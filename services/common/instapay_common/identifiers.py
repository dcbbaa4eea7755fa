"""How users are addressed: payment handles and phone numbers, one syntax for every service.

Auth takes both at registration and login, the user service when a handle changes and when it
resolves a recipient: a handle one accepts must be one the other accepts. The OpenAPI states the
same syntax (`pattern`), so clients and schemathesis draw values the API takes.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from instapay_common.errors import Conflict, DomainError

HANDLE_RE = re.compile(r"^[a-z0-9._]{3,30}$")
E164_RE = re.compile(r"^\+[1-9][0-9]{7,14}$")
# An Egyptian mobile number as typed locally: 0 + 1 + 9 digits (`01001234567`), which is
# +20 followed by the number without its leading 0 (`+201001234567`).
EGYPT_LOCAL_RE = re.compile(r"^01[0-9]{9}$")
EGYPT_COUNTRY_CODE = "+20"
HANDLE_RULE = "handle must be 3-30 characters of a-z, 0-9, '.' and '_'"
RESERVED_LIST = Path(__file__).resolve().parent / "data" / "reserved_handles.txt"
BRAND = "instapay"
PHONE_RULE = "phone must be in E.164 format (+201001234567) or the local Egyptian form (01001234567)"


def handle(value: str) -> str:
    """`@ahmed.m ` -> `ahmed.m`; anything else than the handle syntax is refused."""
    value = value.strip().removeprefix("@")
    if not HANDLE_RE.match(value):
        raise ValueError(HANDLE_RULE)
    return value


def as_e164(value: str) -> str | None:
    """The E.164 form of a phone number typed as E.164 or in the local Egyptian form, else None.

    The one normaliser of every place a phone is accepted (registration, sign-in, recipients,
    payers, password recovery): a number typed either way names the same account."""
    value = value.strip()
    if E164_RE.match(value):
        return value
    if EGYPT_LOCAL_RE.match(value):
        return EGYPT_COUNTRY_CODE + value[1:]
    return None


def phone(value: str) -> str:
    normalised = as_e164(value)
    if normalised is None:
        raise ValueError(PHONE_RULE)
    return normalised


# Documented as accepted: surrounding spaces and a leading `@` are taken off before the check.
Handle = Annotated[
    str,
    AfterValidator(handle),
    Field(
        json_schema_extra={"pattern": r"^\s*@?[a-z0-9._]{3,30}\s*$"},
        examples=["ahmed.m"],
        description="3-30 characters of a-z, 0-9, '.' and '_' (a leading @ is allowed)",
    ),
]
Phone = Annotated[
    str,
    AfterValidator(phone),
    Field(
        json_schema_extra={"pattern": r"^\s*(\+[1-9][0-9]{7,14}|01[0-9]{9})\s*$"},
        examples=["+201001234567"],
        description="E.164, or the local Egyptian form 01xxxxxxxxx (stored and shown as E.164)",
    ),
]


LookupColumn = Literal["phone", "email", "handle"]


def recipient_key(q: str) -> tuple[LookupColumn, str] | None:
    """What a typed recipient names: a handle (optionally @-prefixed), a phone (E.164 or local
    `01...`) or an e-mail -> (column, normalised value); None when it can name nobody. The user
    service resolves with it and the transaction service's directory reads with it, so both
    normalise a recipient the same way."""
    q = q.strip()
    number = as_e164(q)
    if number is not None:
        return "phone", number
    if q.startswith("+"):
        return None
    if "@" in q.lstrip("@"):
        return "email", q.lower()
    if HANDLE_RE.match(q.removeprefix("@").lower()):
        return "handle", q.removeprefix("@").lower()
    return None


def lookup_target(column: str, value: str) -> str:
    """A resolved identifier as the per-user lookup budget records it: a digest of its normalised
    form, so no phone or e-mail is stored in clear (user service) or copied (transaction service)."""
    return hashlib.sha256(f"{column}:{value}".encode()).hexdigest()


@lru_cache(maxsize=1)
def reserved_handles() -> frozenset[str]:
    lines = RESERVED_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def is_reserved_handle(value: str) -> bool:
    """True for a handle that reads as the platform or its staff (`admin`, `support_2`,
    `insta.pay`, `instapay.eg`): compared without '.', '_' and trailing digits."""
    core = value.lower().replace(".", "").replace("_", "")
    return core.rstrip("0123456789") in reserved_handles() or core.startswith(BRAND)


class HandleReserved(DomainError):
    status, code, title = 422, "handle_reserved", "This handle is reserved"


# An identifier already in use. Auth (credentials) and user (profiles) both hold e-mail, phone and
# handle and answer the same contract codes, so the conflicts live beside the identifiers' syntax.
class EmailTaken(Conflict):
    code, title = "email_taken", "This e-mail is already registered"


class PhoneTaken(Conflict):
    code, title = "phone_taken", "This phone number is already registered"


class HandleTaken(Conflict):
    code, title = "handle_taken", "This handle is taken"
