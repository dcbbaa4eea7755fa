"""promtool check config / check rules / test rules on every Prometheus file we ship."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml
from local_prometheus import RULES_DIR, local_targets, render_config

from instapay_stack.services import SERVICES

OBS_DIR = Path(__file__).resolve().parents[1]
PROM_DIR = OBS_DIR / "prometheus"
ALERTS = {
    "GatewayHighErrorRate",
    "LatencySLOBurnFast",
    "LatencySLOBurnSlow",
    "ServiceDown",
    "OutboxBacklogGrowing",
    "OutboxDeliveryStalled",
    "RecipientDirectoryLagging",
    "RecipientDirectoryStale",
    "WebhookDeliveriesFailingEverywhere",
    "NotificationDeliveryFailing",
    "LoginFailureSpike",
    "DatabasePoolNearExhaustion",
    "ReconciliationDiscrepancy",
    "FundingAnomaly",
}


def _promtool(promtool: str, *args: str, cwd: Path = PROM_DIR) -> str:
    result = subprocess.run([promtool, *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _localized(config_file: Path, tmp_path: Path) -> Path:
    """The config with its container rule path pointed at the repo's rules (same file otherwise)."""
    text = config_file.read_text().replace("/etc/prometheus/rules", str(RULES_DIR))
    out = tmp_path / config_file.name
    out.write_text(text)
    return out


def test_compose_config_is_valid(promtool, tmp_path):
    out = _promtool(promtool, "check", "config", str(_localized(PROM_DIR / "prometheus.yml", tmp_path)))
    assert "SUCCESS" in out
    config = yaml.safe_load((PROM_DIR / "prometheus.yml").read_text())
    targets = {t["labels"]["service"]: t["targets"][0] for t in config["scrape_configs"][0]["static_configs"]}
    # compose service name = the app's service name, on its usual port
    assert targets == {s.directory: f"{s.directory}:{8000 + s.port_offset}" for s in SERVICES}


def test_kubernetes_config_is_valid_apart_from_discovery(promtool, tmp_path):
    # Debian's prometheus is built without Kubernetes discovery, so swap only that block for a
    # static target; every relabel rule and the rest of the file are checked as written.
    config = yaml.safe_load((PROM_DIR / "prometheus.k8s.yml").read_text())
    job = config["scrape_configs"][0]
    assert job["kubernetes_sd_configs"] == [{"role": "pod"}]
    actions = [(r.get("action", "replace"), r.get("target_label")) for r in job["relabel_configs"]]
    assert ("keep", None) in actions and ("replace", "service") in actions
    job.pop("kubernetes_sd_configs")
    job["static_configs"] = [{"targets": ["pod:8000"]}]
    config["rule_files"] = [str(RULES_DIR / "*.yml")]
    out = tmp_path / "k8s.yml"
    out.write_text(yaml.safe_dump(config))
    assert "SUCCESS" in _promtool(promtool, "check", "config", str(out))


def test_local_config_is_valid(promtool, tmp_path):
    out = tmp_path / "local.yml"
    out.write_text(render_config(local_targets(8000)))
    assert "SUCCESS" in _promtool(promtool, "check", "config", str(out))


def test_rules_check_and_cover_every_required_alert(promtool):
    out = _promtool(promtool, "check", "rules", *[str(p) for p in sorted(RULES_DIR.glob("*.yml"))])
    assert "SUCCESS" in out
    groups = yaml.safe_load((RULES_DIR / "instapay.rules.yml").read_text())["groups"]
    alerts = {r["alert"]: r for g in groups for r in g["rules"] if "alert" in r}
    assert set(alerts) == ALERTS
    runbooks = (OBS_DIR.parents[1] / "docs" / "OPERATIONS.md").read_text().lower()
    for name, rule in alerts.items():
        assert rule["labels"]["severity"] in ("page", "ticket"), name
        anchor = rule["annotations"]["runbook_url"].split("#", 1)[1]
        assert f"### {anchor}" in runbooks or f'id="{anchor}"' in runbooks, f"no runbook for {name}"


def test_rule_unit_tests_pass_and_test_every_alert(promtool):
    test_file = PROM_DIR / "tests" / "instapay.rules.test.yml"
    assert "SUCCESS" in _promtool(promtool, "test", "rules", str(test_file), cwd=test_file.parent)
    tests = yaml.safe_load(test_file.read_text())["tests"]
    fired = {case["alertname"] for t in tests for case in t.get("alert_rule_test", []) if case["exp_alerts"]}
    quiet = {case["alertname"] for t in tests for case in t.get("alert_rule_test", []) if not case["exp_alerts"]}
    assert fired == ALERTS, "every alert has a firing case"
    assert quiet >= ALERTS - {"OutboxDeliveryStalled"}, "every alert has a quiet case"
