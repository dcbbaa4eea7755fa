"""Runs every service's Alembic migrations to head (each in its own schema)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable

from instapay_stack.processes import StackError
from instapay_stack.services import SERVICES, ServiceSpec


class MigrationFailed(StackError):
    pass


def migrate_all(database_url: str, *, services: Iterable[ServiceSpec] = SERVICES, python: str = sys.executable,
                progress=print) -> None:
    """Migrates the services in parallel (separate processes: each Alembic env imports its own models)."""
    env = {**os.environ, "DATABASE_URL": database_url}
    running = []
    for spec in services:
        if not spec.migrates:
            continue
        cmd = [python, "-m", "alembic", "-c", str(spec.path / "alembic.ini"), "upgrade", "head"]
        running.append((spec, subprocess.Popen(cmd, cwd=spec.path, env=env, stdout=subprocess.PIPE,
                                               stderr=subprocess.STDOUT, text=True)))
    failed = []
    for spec, proc in running:
        out, _ = proc.communicate()
        if proc.returncode != 0:
            failed.append(f"--- {spec.name} ---\n{out}")
        else:
            progress(f"  migrated {spec.name}")
    if failed:
        raise MigrationFailed("migrations failed (fix the migration, or check DATABASE_URL):\n" + "\n".join(failed))
