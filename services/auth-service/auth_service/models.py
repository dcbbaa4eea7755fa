"""ORM models of the auth service; every table lives in the "auth" schema.

No secret is stored in the clear: passwords are argon2id hashes, the PIN an HMAC with a
server-side pepper, refresh tokens and client secrets SHA-256 digests of 256-bit random values.
"""

import uuid
from datetime import datetime

from sqlalchemy import ARRAY, BigInteger, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from instapay_common.audit.chain import audit_table
from instapay_common.db.database import schema_metadata
from instapay_common.events.outbox import outbox_table


class Base(DeclarativeBase):
    metadata = schema_metadata("auth")


# Events this service emits, written in the same transaction as the change they describe.
outbox = outbox_table(Base.metadata)
# The tamper-evident audit chain (auth_service.audit), append-only for the runtime role.
audit_log = audit_table(Base.metadata)


class Credential(Base):
    __tablename__ = "credentials"

    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    # Unique among the accounts that verified them only (the partial indexes below): an
    # unverified claim never blocks the owner, who verifies first and holds it.
    email: Mapped[str] = mapped_column(String(254), index=True)  # stored lower-cased
    phone: Mapped[str] = mapped_column(String(16), index=True)
    password_hash: Mapped[str] = mapped_column(Text)
    # "pending" while registration is still creating the profile and wallet; only "active" logs in.
    status: Mapped[str] = mapped_column(String(16), default="pending")
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list)
    pin_hash: Mapped[str | None] = mapped_column(String(64))
    pin_failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    pin_locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Unused since sign-in throttling moved to `signin_attempts`; kept for the previous release's pods.
    login_failures: Mapped[int] = mapped_column(Integer, default=0)
    login_failures_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    password_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    phone_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Bumped by every change of the contact state; the user and transaction services have been
    # told up to `contacts_synced_version` (service.contact_sync pushes the difference).
    contacts_version: Mapped[int] = mapped_column(BigInteger, default=0)
    contacts_synced_version: Mapped[int] = mapped_column(BigInteger, default=0)

    __table_args__ = (
        Index(
            "uq_credentials_verified_email",
            "email",
            unique=True,
            postgresql_where=text("email_verified_at IS NOT NULL"),
        ),
        Index(
            "uq_credentials_verified_phone",
            "phone",
            unique=True,
            postgresql_where=text("phone_verified_at IS NOT NULL"),
        ),
        Index(
            "ix_credentials_unsynced", "user_id", postgresql_where=text("contacts_synced_version < contacts_version")
        ),
    )


class VerificationCode(Base):
    """The live one-time code of one purpose ("phone", "email", "password_reset") of an account,
    and its send counters (resend limits). Only an HMAC of the code is stored."""

    __tablename__ = "verification_codes"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("credentials.user_id", ondelete="CASCADE"), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16), primary_key=True)
    code_hash: Mapped[str | None] = mapped_column(String(64))  # None once used or dead
    destination: Mapped[str | None] = mapped_column(String(254))  # the phone or e-mail it went to
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    window_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sends_in_window: Mapped[int] = mapped_column(Integer, default=0)


class Session(Base):
    """A login (or an API client's standing grant): access tokens carry its id as `sid`."""

    __tablename__ = "sessions"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("credentials.user_id", ondelete="CASCADE"), index=True)
    client_id: Mapped[str | None] = mapped_column(String(40))  # set for API-client sessions
    user_agent: Mapped[str | None] = mapped_column(String(300))
    ip: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    revoked_reason: Mapped[str | None] = mapped_column(String(32))
    # Refreshes of this session in the current fixed window (the per-session refresh limit).
    refresh_window_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refresh_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class RefreshToken(Base):
    """One row per refresh token ever issued; a used (rotated) one presented again revokes its session."""

    __tablename__ = "refresh_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The pair its rotation issued, for the reuse grace: the successor's digest, and the pair
    # sealed (AES-GCM) under a key derived from this token itself, so only its holder can open it.
    successor_hash: Mapped[str | None] = mapped_column(String(64))
    successor_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)


class SigninAttempt(Base):
    """Failed password sign-ins counted on one key: an account, an unknown username's normalised
    form, or a client address. Each attempt is reserved here (row lock) before its password is
    checked; a success takes its reservation back."""

    __tablename__ = "signin_attempts"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)


class ApiClient(Base):
    __tablename__ = "api_clients"

    client_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("credentials.user_id", ondelete="CASCADE"), index=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReleasedIdentifier(Base):
    """A phone or e-mail an account gave up, kept from every other account until
    `quarantined_until` (the previous owner may take it back)."""

    __tablename__ = "released_identifiers"

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # "email" or "phone"
    value: Mapped[str] = mapped_column(String(254), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    released_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    quarantined_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
