"""Profile versions: `version` takes a new value of one sequence on every change an event
describes, so it increases per user, also across a delete and a re-creation of the same id.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "users"


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence("profile_versions", schema=SCHEMA)))
    op.add_column(
        "profiles",
        sa.Column(
            "version",
            sa.BigInteger(),
            nullable=False,
            server_default=sa.text(f"nextval('{SCHEMA}.profile_versions')"),
        ),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_column("profiles", "version", schema=SCHEMA)
    op.execute(sa.schema.DropSequence(sa.Sequence("profile_versions", schema=SCHEMA)))
