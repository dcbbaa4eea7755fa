"""Alembic environment: the shared runner, scoped to the simulator's schema."""

from instapay_common.db.migrations import run_alembic
from provider_simulator.models import Base

run_alembic(Base.metadata)
