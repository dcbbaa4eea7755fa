"""Request and response bodies of the auth service's public and internal API."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, JsonValue, StringConstraints

from instapay_common.identifiers import Handle, Phone
from instapay_common.security.scopes import CLIENT_SCOPES
from instapay_common.text import PlainText, plain_text

EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)


def _email(value: str) -> str:
    value = value.strip().lower()
    if len(value) > 254 or not EMAIL_RE.match(value):
        raise ValueError("not a valid e-mail address")
    return value


def _scopes(value: list[str]) -> list[str]:
    unknown = sorted(set(value) - CLIENT_SCOPES)
    if unknown:
        raise ValueError(f"unknown scopes {unknown}; allowed: {sorted(CLIENT_SCOPES)}")
    if not value:
        raise ValueError("give at least one scope")
    return sorted(set(value))


_SCOPE_NAMES: list[JsonValue] = [*sorted(CLIENT_SCOPES)]
Email = Annotated[str, AfterValidator(_email)]
Password = Annotated[str, StringConstraints(min_length=1, max_length=1024)]
Pin = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RegisterRequest(Strict):
    email: Email
    phone: Phone
    password: Password
    full_name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), AfterValidator(plain_text)
    ]
    handle: Handle | None = None


class RegisterResponse(BaseModel):
    user_id: uuid.UUID
    email: str
    phone: str
    handle: str


class LoginRequest(Strict):
    username: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=254)]
    password: Password


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    refresh_token: str | None = None
    scope: str


class RefreshRequest(BaseModel):
    refresh_token: PlainText | None = None  # empty: the browser's httpOnly cookie is used


class LogoutRequest(BaseModel):
    refresh_token: PlainText | None = None


class SessionOut(BaseModel):
    id: uuid.UUID
    created_at: datetime
    last_used_at: datetime
    user_agent: str | None
    ip: str | None
    current: bool


class SessionList(BaseModel):
    items: list[SessionOut]


class PasswordChangeRequest(Strict):
    current_password: Password
    new_password: Password


Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=16)]
Username = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=254)]


class CodeRequest(Strict):
    """A one-time code as received (6 digits); anything else counts as a wrong try."""

    code: Code


class PasswordForgotRequest(Strict):
    username: Username = Field(description="e-mail, phone (E.164 or 01xxxxxxxxx) or handle")


class PasswordResetRequest(Strict):
    username: Username
    code: Code
    new_password: Password


class PhoneChangeRequest(Strict):
    phone: Phone
    password: Password


class EmailChangeRequest(Strict):
    email: Email
    password: Password


class PinRequest(Strict):
    pin: Pin
    password: Password


class ClientCreateRequest(Strict):
    name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), AfterValidator(plain_text)
    ]
    scopes: Annotated[list[str], AfterValidator(_scopes)] = Field(
        max_length=10, json_schema_extra={"minItems": 1, "items": {"type": "string", "enum": _SCOPE_NAMES}}
    )
    # A standing grant outlives any token: the password proves the owner asks, not a token thief,
    # and a money scope needs the PIN too, as moving the money itself does.
    password: Password
    pin: Annotated[str, StringConstraints(max_length=32), AfterValidator(plain_text)] | None = Field(
        default=None, description="The transaction PIN; required when `scopes` holds transfers:write or wallet:withdraw"
    )


class ClientOut(BaseModel):
    client_id: str
    name: str
    scopes: list[str]
    created_at: datetime


class ClientCreated(ClientOut):
    client_secret: str


class ClientList(BaseModel):
    items: list[ClientOut]


class Jwk(BaseModel):
    """An Ed25519 public key (RFC 8037) with its RFC 7638 thumbprint as `kid`."""

    kty: str
    crv: str
    x: str
    kid: str
    use: str
    alg: str


class Jwks(BaseModel):
    keys: list[Jwk]


class PinVerifyRequest(BaseModel):
    user_id: uuid.UUID
    pin: str


class RevokedSession(BaseModel):
    session_id: uuid.UUID
    revoked_at: float


class RevokedSessions(BaseModel):
    items: list[RevokedSession]
    now: float
