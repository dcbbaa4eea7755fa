"""Dashboards: generated files are current, every PromQL expression parses in a real Prometheus,
every dashboard type-checks against @grafana/schema, LogQL is well formed, links resolve."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

OBS_DIR = Path(__file__).resolve().parents[1]
DASH_DIR = OBS_DIR / "grafana" / "dashboards"
DASHBOARDS = sorted(DASH_DIR.glob("*.json"))
GENERATOR = OBS_DIR / "grafana" / "generate_dashboards.py"
# Grafana's own macros and this repo's variables, replaced by values a query can run with.
MACROS = {
    "$__rate_interval": "1m",
    "$__interval": "1m",
    "$__range": "1h",
    "$__auto": "1m",
    "$service": "api-gateway",
    "$request_id": "abc",
    "$level": "info",
    "$search": "x",
}


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def _panels(dash: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for panel in dash["panels"]:
        out.append(panel)
        out.extend(panel.get("panels", []))
    return out


def _queries(kind: str) -> list[tuple[str, str, str]]:
    """(dashboard file, panel title, expression) of every query of data source type `kind`."""
    found = []
    for path in DASHBOARDS:
        dash = _load(path)
        for panel in _panels(dash):
            for target in panel.get("targets", []):
                ds = target.get("datasource") or panel.get("datasource") or {}
                if ds.get("type") == kind:
                    found.append((path.name, panel["title"], target["expr"]))
        for var in dash.get("templating", {}).get("list", []):
            if var["type"] == "query" and var["datasource"]["type"] == kind:
                found.append((path.name, f"variable {var['name']}", var["query"]))
    return found


def _substitute(expr: str) -> str:
    for macro in sorted(MACROS, key=len, reverse=True):
        expr = expr.replace(macro, MACROS[macro])
    assert "$" not in expr.replace("$1", ""), f"unknown variable in {expr}"
    return expr


def test_the_five_dashboards_exist_and_generated_files_are_current():
    names = {p.name for p in DASHBOARDS}
    assert names == {"platform-overview.json", "money-flow.json", "gateway.json", "service-drilldown.json", "logs.json"}
    result = subprocess.run([sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.name)
def test_dashboard_structure(path):
    dash = _load(path)
    assert dash["uid"].startswith("instapay-") and dash["title"].startswith("Mini-InstaPay / ")
    ids = [p["id"] for p in _panels(dash)]
    assert len(ids) == len(set(ids)), "panel ids are unique"
    for panel in _panels(dash):
        pos = panel["gridPos"]
        assert pos["x"] >= 0 and pos["x"] + pos["w"] <= 24, panel["title"]
        if panel["type"] != "row":
            assert panel["targets"], f"{panel['title']} has no query"
            assert panel["datasource"]["uid"] in ("prometheus", "loki")


def test_datasource_uids_match_provisioning():
    provisioned = yaml.safe_load((OBS_DIR / "grafana/provisioning/datasources/datasources.yml").read_text())
    uids = {ds["uid"]: ds["type"] for ds in provisioned["datasources"]}
    for path in DASHBOARDS:
        for panel in _panels(_load(path)):
            for target in panel.get("targets", []):
                ds = target["datasource"]
                assert uids.get(ds["uid"]) == ds["type"], (path.name, panel["title"])
    # the request id link of the Loki data source opens the logs dashboard
    loki = next(ds for ds in provisioned["datasources"] if ds["type"] == "loki")
    link = loki["jsonData"]["derivedFields"][0]
    assert link["url"].startswith("/d/instapay-logs/") and "var-request_id=" in link["url"]
    assert _load(DASH_DIR / "logs.json")["uid"] == "instapay-logs"


def test_every_promql_expression_parses_in_prometheus(idle_prometheus):
    queries = _queries("prometheus")
    assert len(queries) > 40
    failures = []
    for name, title, expr in queries:
        if expr.startswith("label_values("):  # Grafana's variable function: check its selector
            expr = re.match(r"label_values\((.*),\s*\w+\)$", expr).group(1)
        body = idle_prometheus.api("query", query=_substitute(expr))
        if body.get("status") != "success":
            failures.append(f"{name} / {title}: {body.get('error')}")
    assert not failures, "\n".join(failures)


def test_a_broken_expression_is_caught_by_the_same_check(idle_prometheus):
    body = idle_prometheus.api("query", query="sum by (service (rate(http_requests_total[1m]))")
    assert body["status"] == "error" and body["errorType"] == "bad_data"


def test_logql_queries_select_instapay_streams_by_label():
    queries = _queries("loki")
    assert len(queries) >= 3
    for name, title, expr in queries:
        if expr.startswith("label_values("):
            continue
        expr = _substitute(expr)
        assert expr.count("{") == expr.count("}") and expr.count("(") == expr.count(")"), (name, title)
        selector = re.search(r"\{([^}]*)\}", expr).group(1)
        labels = dict(re.findall(r'(\w+)\s*=~?\s*"([^"]*)"', selector))
        assert labels.get("job") == "instapay", (name, title)
        assert "request_id" not in labels, "request_id is structured metadata, never a stream label"


def test_dashboards_type_check_against_grafana_schema(schema_checker):
    result = subprocess.run(
        ["node", str(schema_checker), *map(str, DASHBOARDS)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(DASHBOARDS)} dashboards checked against @grafana/schema, 0 problems" in result.stdout


def test_schema_check_rejects_invalid_dashboards(schema_checker, tmp_path):
    good = _load(DASH_DIR / "gateway.json")
    broken = {
        "unknown-field.json": {**good, "colour": "blue"},
        "bad-grid.json": {**good, "panels": [{**good["panels"][0], "gridPos": {"h": "8", "w": 12, "x": 0, "y": 0}}]},
        "bad-enum.json": {**good, "graphTooltip": 7},
        "no-schema-version.json": {k: v for k, v in good.items() if k != "schemaVersion"},
    }
    for name, dash in broken.items():
        path = tmp_path / name
        path.write_text(json.dumps(dash))
        result = subprocess.run(["node", str(schema_checker), str(path)], capture_output=True, text=True, timeout=300)
        assert result.returncode == 1, f"{name} passed the schema check"


# ---- every metric a panel queries exists --------------------------------------------------------

REPO_ROOT = OBS_DIR.parents[1]
RULES = OBS_DIR / "prometheus" / "rules" / "instapay.rules.yml"
# prometheus_client's own collectors and Prometheus's `up`: not declared in this repository.
LIBRARY_METRICS = ("process_", "python_", "up")
_DECLARED = re.compile(r'(?:Counter|Gauge|Histogram|Summary)\(\s*"([a-zA-Z_:][a-zA-Z0-9_:]*)"')


def _declared_metrics() -> set[str]:
    """Every metric the services declare (with a histogram's series), and the recording rules."""
    names: set[str] = set()
    for path in (REPO_ROOT / "services").glob("*/*/**/*.py"):
        if "tests" not in path.parts:
            names |= set(_DECLARED.findall(path.read_text()))
    names |= {f"{n}{suffix}" for n in list(names) for suffix in ("_bucket", "_sum", "_count")}
    for group in yaml.safe_load(RULES.read_text())["groups"]:
        names |= {rule["record"] for rule in group["rules"] if "record" in rule}
    return names


def _metric_names(expr: str) -> set[str]:
    """The metric names an expression selects: identifiers left once strings, label matchers,
    ranges and grouping clauses are removed, other than function calls and keywords."""
    expr = re.sub(r'"[^"]*"', "", expr)
    expr = re.sub(r"\{[^}]*\}|\[[^\]]*\]", "", expr)
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr)
    found = set(re.findall(r"(?<![\w$])([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()", expr))
    return found - {"and", "or", "unless", "bool", "offset"}


def test_every_metric_a_dashboard_queries_is_declared_by_a_service():
    declared = _declared_metrics()
    missing = [
        (dash, title, name)
        for dash, title, expr in _queries("prometheus")
        if not title.startswith("variable ")  # label_values(...): a label name, not a metric
        for name in _metric_names(_substitute(expr))
        if name not in declared and not name.startswith(LIBRARY_METRICS)
    ]
    assert not missing, missing


def test_the_metric_name_check_sees_a_misspelt_metric():
    assert _metric_names('sum by (outcome) (rate(webhook_atempts_total{outcome="x"}[1m]))') == {"webhook_atempts_total"}
