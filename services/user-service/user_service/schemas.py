"""Bodies of the user service's public and internal API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, StrictBool, StringConstraints

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


class PartiesOut(BaseModel):
    """Both sides of a transfer (internal): the recipient found by handle/phone/e-mail, the sender by id."""

    recipient: LookupResult
    sender: LookupResult | None


class AdminUserPage(BaseModel):
    """Operators' search results: whole profiles (an admin sees what the owner sees), newest first."""

    items: list[ProfileOut]
    next_cursor: str | None
