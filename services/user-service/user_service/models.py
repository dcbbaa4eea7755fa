"""ORM models of the user service; every table lives in the "users" schema."""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, Index, Sequence, String, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from instapay_common.db.database import schema_metadata
from instapay_common.events.outbox import outbox_table


class Base(DeclarativeBase):
    metadata = schema_metadata("users")


# Events this service emits, written in the same transaction as the change they describe.
outbox = outbox_table(Base.metadata)

# One sequence for every profile's version: a value taken later is larger, whichever user.
PROFILE_VERSIONS = Sequence("profile_versions", metadata=Base.metadata)


class Profile(Base):
    __tablename__ = "profiles"

    # Same id as the auth service's credentials (it creates the profile during registration).
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    # Unique among the profiles that verified them only (the partial indexes below).
    email: Mapped[str] = mapped_column(String(254), index=True)  # lower-cased by the auth service
    phone: Mapped[str] = mapped_column(String(16), index=True)
    handle: Mapped[str] = mapped_column(String(30), unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(2), default="en")
    notify_email: Mapped[bool] = mapped_column(Boolean, default=True)
    notify_sms: Mapped[bool] = mapped_column(Boolean, default=False)
    notify_push: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    # The version of the identity fields (handle, full name, e-mail, phone) that `user.profile_changed`
    # carries: a new PROFILE_VERSIONS value on creation and on every change of them.
    version: Mapped[int] = mapped_column(BigInteger, server_default=PROFILE_VERSIONS.next_value())
    # Decided by the auth service and pushed here (PUT /internal/users/{id}/verification): an
    # account is a recipient only once its phone is verified, by e-mail only once that is too.
    phone_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    email_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    # The auth service's count of contact changes this row reflects (a late, older push is ignored).
    contacts_version: Mapped[int] = mapped_column(BigInteger, default=0)

    __table_args__ = (
        Index("uq_profiles_verified_email", "email", unique=True, postgresql_where=text("email_verified")),
        Index("uq_profiles_verified_phone", "phone", unique=True, postgresql_where=text("phone_verified")),
    )


class ReleasedHandle(Base):
    """A handle its owner gave up, kept from everyone else until `quarantined_until` (the owner may
    take it back): payers who saved it must not pay a newcomer."""

    __tablename__ = "released_handles"

    handle: Mapped[str] = mapped_column(String(30), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    released_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    quarantined_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RecipientLookup(Base):
    """A recipient identifier a user resolved (lookup, transfer, payment request, history filter),
    kept a day: the per-user budget counts new identifiers (recipient_budget.py). The identifier
    is a digest, so no phone or e-mail is stored here."""

    __tablename__ = "recipient_lookups"
    __table_args__ = (Index("ix_recipient_lookups_user_id_looked_up_at", "user_id", "looked_up_at"),)

    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    target: Mapped[str] = mapped_column(String(64), primary_key=True)
    looked_up_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
