"""Fixtures of the observability suite: the Prometheus binary, a rules-only Prometheus for parsing
PromQL, and the schema checker's npm packages."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

OBS_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(OBS_DIR))  # local_prometheus.py and grafana/generate_dashboards.py

from local_prometheus import LocalPrometheus, free_port, prometheus_binary, render_config  # noqa: E402

SCHEMA_DIR = OBS_DIR / "tests" / "schema"


@pytest.fixture(scope="session")
def promtool() -> str:
    path = shutil.which("promtool")
    assert path, "promtool missing: `make test-observability` installs Debian's prometheus package"
    return path


@pytest.fixture(scope="session")
def idle_prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPrometheus]:
    """A Prometheus with the alert rules loaded and nothing to scrape: a PromQL parser and evaluator."""
    assert prometheus_binary(), "prometheus missing: `make test-observability` installs it"
    prom = LocalPrometheus(render_config({}), port=free_port(), workdir=tmp_path_factory.mktemp("prom-idle"))
    prom.start()
    yield prom
    prom.stop()


@pytest.fixture(scope="session")
def schema_checker() -> Path:
    """check_dashboards.mjs with its locked npm packages (@grafana/schema, typescript) installed."""
    if not (SCHEMA_DIR / "node_modules" / "@grafana" / "schema").is_dir():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=SCHEMA_DIR, check=True, timeout=300
        )
    return SCHEMA_DIR / "check_dashboards.mjs"
