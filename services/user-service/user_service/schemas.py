"""Bodies of the user service's public and internal API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from instapay_common.identifiers import Handle
from instapay_common.text import plain_text

FullName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), AfterValidator(plain_text)
]


# The languages of the web app and the notifications (also a CHECK on profiles.language).
Language = Literal["en", "ar"]


class Preferences(BaseModel):
    language: Language
    notify_email: bool
    notify_sms: bool
    notify_push: bool


class PreferencesPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: Language | None = None
    # JSON true/false only: lax bool would take 0, 1, "yes", "off"... as a preference.
    notify_email: StrictBool | None = None
    notify_sms: StrictBool | None = None
    notify_push: StrictBool | None = None


class ProfilePatch(BaseModel):
    """Only these may change; anything else (user_id, email, roles, balance...) is refused with 422."""

    model_config = ConfigDict(extra="forbid")

    full_name: FullName | None = None
    handle: Handle | None = None
    preferences: PreferencesPatch | None = None


class ProfileOut(BaseModel):
    user_id: uuid.UUID
    full_name: str
    email: str
    phone: str
    handle: str
    created_at: datetime
    preferences: Preferences
    phone_verified: bool
    email_verified: bool


class InternalProfileOut(ProfileOut):
    display_name: str


class ProfileCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: uuid.UUID
    email: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=3, max_length=254)]
    phone: Annotated[str, StringConstraints(pattern=r"^\+[1-9][0-9]{7,14}$")]
    full_name: FullName
    handle: Handle


class VerificationState(BaseModel):
    """The contact state the auth service decided (internal): the whole of it, with its version."""

    model_config = ConfigDict(extra="forbid")

    phone: Annotated[str, StringConstraints(pattern=r"^\+[1-9][0-9]{7,14}$")]
    email: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=3, max_length=254)]
    phone_verified: bool
    email_verified: bool
    version: int


class LookupResult(BaseModel):
    user_id: uuid.UUID
    handle: str
    display_name: str


class DirectoryEntry(BaseModel):
    """A profile as the transaction service's recipient directory keeps it (internal): the
    identifiers by which it can be found (phone and e-mail only once verified, else null), the
    masked name, and the profile's `version` (the directory keeps the highest it has seen)."""

    user_id: uuid.UUID
    handle: str | None
    phone: str | None
    email: str | None
    display_name: str
    status: Literal["active", "deleted"]
    version: int


class ProfileLookup(BaseModel):
    """`POST /internal/users/lookup`: several profiles in one call (a batch of notices)."""

    model_config = ConfigDict(extra="forbid")

    ids: list[uuid.UUID] = Field(min_length=1, max_length=500)


class ProfileLookupOut(BaseModel):
    """The profiles that exist among the ids asked for (an unknown id is simply absent)."""

    items: list[InternalProfileOut]


class DirectoryPage(BaseModel):
    """`GET /internal/users/directory`: every profile by user id, for a rebuild of the directory."""

    items: list[DirectoryEntry]
    next_after: uuid.UUID | None


class Resolution(LookupResult):
    """An internal resolution: the recipient, the directory entry of what was found, and when the
    acting user's lookup budget counted this identifier (null without an acting user). The
    directory may resolve the same identifier for that user without a call until a day after
    `counted_at`, the time the budget counts it as free (recipient_budget.py)."""

    counted_at: datetime | None
    entry: DirectoryEntry


class PartiesOut(BaseModel):
    """Both sides of a transfer (internal): the recipient found by handle/phone/e-mail, the sender by
    id; `entries` and `counted_at` let the transaction service's directory learn from the answer."""

    recipient: LookupResult
    sender: LookupResult | None
    counted_at: datetime
    entries: list[DirectoryEntry]


class AdminUserPage(BaseModel):
    """Operators' search results: whole profiles (an admin sees what the owner sees), newest first."""

    items: list[ProfileOut]
    next_cursor: str | None
