"""yamllint on every observability YAML file, and structural checks of Loki, Promtail and Grafana
provisioning: the parts other pieces rely on (ports, paths, labels, data source uids)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

OBS_DIR = Path(__file__).resolve().parents[1]
REPO = OBS_DIR.parents[1]


def _yaml(rel: str) -> dict:
    return yaml.safe_load((OBS_DIR / rel).read_text())


def test_yamllint_passes_on_every_file():
    files = sorted(p for p in OBS_DIR.rglob("*.yml") if "node_modules" not in p.parts)
    assert len(files) >= 8
    result = subprocess.run(
        [sys.executable, "-m", "yamllint", "-s", "-c", str(OBS_DIR / ".yamllint.yml"), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_loki_config_structure():
    loki = _yaml("loki/loki.yml")
    assert loki["auth_enabled"] is False
    assert loki["server"]["http_listen_port"] == 3100
    schema = loki["schema_config"]["configs"][-1]
    # structured metadata (request_id) needs the TSDB index with schema v13
    assert (schema["store"], schema["schema"]) == ("tsdb", "v13")
    assert loki["limits_config"]["allow_structured_metadata"] is True
    assert loki["compactor"]["retention_enabled"] is True and loki["limits_config"]["retention_period"]
    storage = loki["common"]["storage"]["filesystem"]
    assert storage["chunks_directory"].startswith(loki["common"]["path_prefix"])
    # docker-compose.dev.yml starts Loki with -config.file=/etc/loki/loki.yml from this folder
    compose = (REPO / "docker-compose.dev.yml").read_text()
    assert "./infrastructure/observability/loki:/etc/loki" in compose and "/etc/loki/loki.yml" in compose


def test_promtail_labels_service_level_environment_and_keeps_request_id_as_metadata():
    promtail = _yaml("promtail/promtail.yml")
    assert promtail["clients"][0]["url"].endswith("/loki/api/v1/push")
    jobs = {job["job_name"]: job for job in promtail["scrape_configs"]}
    assert {"instapay-local", "instapay-docker"} <= set(jobs)
    for name, job in jobs.items():
        stages = {next(iter(stage)): stage[next(iter(stage))] for stage in job["pipeline_stages"]}
        assert set(stages["json"]["expressions"]) >= {"service", "level", "request_id", "timestamp"}, name
        assert set(stages["labels"]) == {"service", "level"}, name
        assert "request_id" in stages["structured_metadata"], name
        assert "request_id" not in stages["labels"], "request_id must not become a label (cardinality)"
        assert stages["timestamp"]["source"] == "timestamp", name
        static_env = [t["labels"].get("environment") for t in job.get("static_configs", [])]
        relabel_env = [r for r in job.get("relabel_configs", []) if r.get("target_label") == "environment"]
        assert static_env or relabel_env, f"{name} sets no environment label"
    # the local job reads the files the local stack writes (.data/logs/<service>.log)
    path = jobs["instapay-local"]["static_configs"][0]["labels"]["__path__"]
    assert path.endswith(".data/logs}/*.log")


def test_promtail_pipeline_matches_a_real_log_line():
    """The JSON keys the pipeline extracts are the ones instapay_common.logging writes."""
    import io
    import json
    import logging

    from instapay_common.logging import configure_logging, get_logger

    stream = io.StringIO()
    configure_logging("observability-test")
    handler = logging.getLogger().handlers[0]
    handler.setStream(stream)
    get_logger("t").warning("probe", request_id="req-123")
    line = json.loads(stream.getvalue().splitlines()[-1])
    promtail = _yaml("promtail/promtail.yml")
    expressions = promtail["scrape_configs"][0]["pipeline_stages"][0]["json"]["expressions"]
    for key in expressions.values():
        assert key in line, f"log lines have no {key!r}"
    assert line["level"] == "warning" and line["service"] == "observability-test"
    assert line["request_id"] == "req-123"


def test_grafana_provisioning_structure():
    datasources = _yaml("grafana/provisioning/datasources/datasources.yml")
    by_type = {ds["type"]: ds for ds in datasources["datasources"]}
    assert set(by_type) == {"prometheus", "loki"}
    assert by_type["prometheus"]["uid"] == "prometheus" and by_type["prometheus"]["isDefault"] is True
    assert by_type["loki"]["uid"] == "loki"
    providers = _yaml("grafana/provisioning/dashboards/dashboards.yml")["providers"]
    assert providers[0]["folder"] == "Mini-InstaPay"
    compose = (REPO / "docker-compose.dev.yml").read_text()
    mount = f"./infrastructure/observability/grafana/dashboards:{providers[0]['options']['path']}"
    assert mount in compose, "the provider reads the folder compose mounts the dashboards into"
