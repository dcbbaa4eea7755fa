"""Whether the wallet owner's phone is verified (told by the auth service): until it is, the
wallet moves no money and receives none. Existing wallets start unverified, like their owners'
phones (nobody had proved one).

Revision ID: 0005_phone_verified
Revises: 0004
Create Date: 2026-12-10
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_phone_verified"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "ledger"


def upgrade() -> None:
    op.add_column(
        "accounts", sa.Column("phone_verified", sa.Boolean(), nullable=False, server_default=sa.false()), schema=SCHEMA
    )


def downgrade() -> None:
    op.drop_column("accounts", "phone_verified", schema=SCHEMA)
