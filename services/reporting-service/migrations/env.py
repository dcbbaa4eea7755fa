"""Alembic environment: the shared runner, scoped to this service's schema."""

from instapay_common.db.migrations import run_alembic
from reporting_service.models import Base

run_alembic(Base.metadata)
