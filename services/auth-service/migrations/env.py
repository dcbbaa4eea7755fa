"""Alembic environment: the shared runner, scoped to this service's schema."""

from auth_service.models import Base
from instapay_common.db.migrations import run_alembic

run_alembic(Base.metadata)
