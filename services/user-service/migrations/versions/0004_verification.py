"""Verified phone and e-mail on profiles (told by the auth service, which decides them).

A phone or e-mail is unique among the profiles that verified it only (partial unique indexes),
as in the auth service: an unverified claim never blocks the owner. `contacts_version` is the
auth service's count of contact changes: an older state arriving late is ignored.

Revision ID: 0004_verification
Revises: 0003
Create Date: 2026-12-10
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_verification"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "users"


def upgrade() -> None:
    op.add_column(
        "profiles", sa.Column("phone_verified", sa.Boolean(), nullable=False, server_default=sa.false()), schema=SCHEMA
    )
    op.add_column(
        "profiles", sa.Column("email_verified", sa.Boolean(), nullable=False, server_default=sa.false()), schema=SCHEMA
    )
    op.add_column(
        "profiles", sa.Column("contacts_version", sa.BigInteger(), nullable=False, server_default="0"), schema=SCHEMA
    )
    op.drop_constraint("uq_profiles_email", "profiles", schema=SCHEMA)
    op.drop_constraint("uq_profiles_phone", "profiles", schema=SCHEMA)
    op.create_index("ix_profiles_email", "profiles", ["email"], schema=SCHEMA)
    op.create_index("ix_profiles_phone", "profiles", ["phone"], schema=SCHEMA)
    op.create_index(
        "uq_profiles_verified_email",
        "profiles",
        ["email"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text("email_verified"),
    )
    op.create_index(
        "uq_profiles_verified_phone",
        "profiles",
        ["phone"],
        unique=True,
        schema=SCHEMA,
        postgresql_where=sa.text("phone_verified"),
    )


def downgrade() -> None:
    op.drop_index("uq_profiles_verified_phone", "profiles", schema=SCHEMA)
    op.drop_index("uq_profiles_verified_email", "profiles", schema=SCHEMA)
    op.drop_index("ix_profiles_phone", "profiles", schema=SCHEMA)
    op.drop_index("ix_profiles_email", "profiles", schema=SCHEMA)
    op.create_unique_constraint("uq_profiles_phone", "profiles", ["phone"], schema=SCHEMA)
    op.create_unique_constraint("uq_profiles_email", "profiles", ["email"], schema=SCHEMA)
    op.drop_column("profiles", "contacts_version", schema=SCHEMA)
    op.drop_column("profiles", "email_verified", schema=SCHEMA)
    op.drop_column("profiles", "phone_verified", schema=SCHEMA)
