"""`make observe`: the script starts Prometheus on the local stack's ports with the alert rules,
prints its URL, and stops cleanly (removing its temporary data) on SIGTERM / Ctrl-C."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml
from local_prometheus import RULES_DIR, free_port

SCRIPT = Path(__file__).resolve().parents[1] / "local_prometheus.py"


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return json.load(resp)


def _alerts_in_rule_files() -> set[str]:
    groups = [g for path in RULES_DIR.glob("*.yml") for g in yaml.safe_load(path.read_text())["groups"]]
    return {r["alert"] for g in groups for r in g["rules"] if "alert" in r}


def test_observe_scrapes_the_configured_ports_and_stops_cleanly():
    port, base = free_port(), 31000
    proc = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--port", str(port), "--base-port", str(base)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith(f"Prometheus: http://127.0.0.1:{port}/"), line
        deadline = time.monotonic() + 20
        scraped: dict[str, str] = {}
        while len(scraped) < 9 and time.monotonic() < deadline:  # discovery runs just after start
            time.sleep(0.3)
            targets = _get(f"http://127.0.0.1:{port}/api/v1/targets")["data"]["activeTargets"]
            scraped = {t["labels"]["service"]: t["scrapeUrl"] for t in targets}
        assert scraped == {
            "api-gateway": f"http://127.0.0.1:{base}/metrics",
            "auth-service": f"http://127.0.0.1:{base + 1}/metrics",
            "user-service": f"http://127.0.0.1:{base + 2}/metrics",
            "transaction-service": f"http://127.0.0.1:{base + 3}/metrics",
            "reporting-service": f"http://127.0.0.1:{base + 4}/metrics",
            "notification-service": f"http://127.0.0.1:{base + 5}/metrics",
            "auth-relay": f"http://127.0.0.1:{base + 6}/metrics",
            "user-relay": f"http://127.0.0.1:{base + 7}/metrics",
            "transaction-relay": f"http://127.0.0.1:{base + 8}/metrics",
        }
        rules = _get(f"http://127.0.0.1:{port}/api/v1/rules")["data"]["groups"]
        loaded = {r["name"] for g in rules for r in g["rules"] if r["type"] == "alerting"}
        assert loaded == _alerts_in_rule_files()
        workdir = Path(re.search(r"data in (\S+) ", proc.stdout.readline()).group(1))
        assert (workdir / "data").is_dir()
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert not workdir.exists(), "the temporary data directory is removed"
