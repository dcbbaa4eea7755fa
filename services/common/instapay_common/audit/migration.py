"""What a service's migration calls to create its audit chain (`instapay_common.audit.chain`).

Frozen once released, like `events.tables_migration`: a later change to the table is a new
revision in each service that has one. The privileges (INSERT and SELECT only for the runtime
role) are made by `instapay_common.db.roles.grant_statements` after every migration.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


def create_audit_table(schema: str) -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("actor_role", sa.String(32), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(128), nullable=True),
        sa.Column("details", postgresql.JSONB(), nullable=False),
        sa.Column("ip", sa.String(64), nullable=True),
        sa.Column("request_id", sa.String(128), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
        # One row per link: two appends that read the same head cannot both be stored.
        sa.UniqueConstraint("prev_hash", name="uq_audit_log_prev_hash"),
        sa.CheckConstraint("hash ~ '^[0-9a-f]{64}$'", name="ck_audit_log_hash_hex"),
        schema=schema,
    )
    op.create_index("ix_audit_log_at_id", "audit_log", ["at", "id"], schema=schema)
    op.create_index("ix_audit_log_actor", "audit_log", ["actor"], schema=schema)
    op.create_index("ix_audit_log_subject", "audit_log", ["subject"], schema=schema)


def drop_audit_table(schema: str) -> None:
    op.drop_table("audit_log", schema=schema)
