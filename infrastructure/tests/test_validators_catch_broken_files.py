"""Every validator of `make lint-infra` passes the real file and fails a deliberately broken copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import infra_lint as lint
import pytest
import yaml


def _copy_with(src: Path, dst: Path, old: str, new: str) -> Path:
    text = src.read_text()
    assert old in text, f"{old!r} not in {src}"
    dst.write_text(text.replace(old, new, 1))
    return dst


def test_hadolint_fails_an_unpinned_root_dockerfile(tmp_path):
    good = lint.ROOT / "services/auth-service/Dockerfile"
    assert lint.hadolint(good).ok
    broken = _copy_with(
        good,
        tmp_path / "Dockerfile",
        "FROM python:3.11-slim-bookworm AS prod",
        "FROM python:latest AS prod\nRUN apt-get update && apt-get install -y curl",
    )
    result = lint.hadolint(broken)
    assert not result.ok
    assert "DL3007" in result.output  # `latest` tag
    assert "DL3008" in result.output  # unpinned apt package


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_compose_schema_fails_an_unknown_key(tmp_path, env):
    good = lint.ROOT / f"docker-compose.{env}.yml"
    assert lint.compose_schema(good).ok
    broken = _copy_with(good, tmp_path / good.name, "  postgres:\n", "  postgres:\n    restart_policy: always\n")
    assert not lint.compose_schema(broken).ok


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_compose_config_fails_a_dependency_on_a_missing_service(tmp_path, env):
    good = lint.ROOT / f"docker-compose.{env}.yml"
    assert lint.compose_config(good).ok
    broken = tmp_path / good.name
    doc = yaml.safe_load(good.read_text())
    doc["services"]["api-gateway"]["depends_on"]["ledger-service"] = {"condition": "service_healthy"}
    broken.write_text(yaml.safe_dump(doc))
    # The schema cannot see this; compose-go's loader does.
    assert lint.compose_schema(broken).ok
    result = lint.compose_config(broken)
    assert not result.ok
    assert "ledger-service" in result.output


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        (env, variable)
        for env in ("staging", "prod")
        for variable in sorted(lint.COMPOSE_LINT_ENV)
        if variable not in (lint.PROD_ONLY_ENV if env == "staging" else lint.STAGING_ONLY_ENV) | lint.SANDBOX_ONLY_ENV
    ]
    # The prod file with the sandbox: prod's variables and the sandbox's own.
    + [
        ("prod+sandbox", variable)
        for variable in sorted(lint.COMPOSE_LINT_ENV)
        if variable not in lint.STAGING_ONLY_ENV - {"DB_SIMULATOR_PASSWORD", "SIMULATOR_CONTROL_TOKEN"}
    ],
)
def test_compose_refuses_to_start_without_each_required_secret(env, variable):
    path = lint.PROD_WITH_SANDBOX if env == "prod+sandbox" else lint.ROOT / f"docker-compose.{env}.yml"
    env_without = {k: v for k, v in lint.COMPOSE_LINT_ENV.items() if k != variable}
    result = lint.compose_config(path, env=env_without)
    assert not result.ok
    assert f"required variable {variable} is missing" in result.output


def test_kubernetes_validate_fails_an_unknown_field_in_a_manifest(tmp_path):
    good = lint.K8S_DIR / "05-deployments.yaml"
    assert lint.kubernetes_validate([good], "good").ok
    broken = _copy_with(good, tmp_path / "deploy.yaml", "readinessProbe:", "readinessprobe:")
    result = lint.kubernetes_validate([broken], "broken")
    assert not result.ok
    assert "readinessprobe" in result.output


def test_kubernetes_validate_fails_a_wrong_type(tmp_path):
    good = lint.K8S_DIR / "03-services.yaml"
    broken = _copy_with(good, tmp_path / "svc.yaml", "port: 8001", "port: eight-thousand-one")
    assert not lint.kubernetes_validate([broken], "broken").ok


def _chart_copy(tmp_path: Path) -> Path:
    chart = tmp_path / "instapay"
    shutil.copytree(lint.CHART, chart)
    return chart


def test_rendered_chart_validation_fails_a_broken_template(tmp_path):
    chart = _chart_copy(tmp_path)
    _copy_with(
        lint.CHART / "templates/deployments.yaml",
        chart / "templates/deployments.yaml",
        "containerPort:",
        "containerport:",
    )
    # (The intact chart passes for every values file in `make lint-infra`.)
    assert lint.chart_validate("values-production.yaml", lint.CHART).ok
    result = lint.chart_validate("values-production.yaml", chart)
    assert not result.ok
    assert "did not validate for resource deployment/" in result.output


def test_helm_lint_fails_a_template_error(tmp_path):
    chart = _chart_copy(tmp_path)
    _copy_with(
        lint.CHART / "templates/services.yaml",
        chart / "templates/services.yaml",
        "type: ClusterIP",
        "type: {{ .Values.service.type.missing }}",
    )
    assert lint.helm_lint("values-production.yaml", lint.CHART).ok
    result = lint.helm_lint("values-production.yaml", chart)
    assert not result.ok
    assert "nil pointer" in result.output or "service" in result.output


def test_actionlint_fails_an_undefined_context(tmp_path):
    good = lint.WORKFLOWS[0]
    assert lint.actionlint(good).ok
    broken = _copy_with(
        good,
        tmp_path / good.name,
        "${{ matrix.service }}:${{ github.sha }}",
        "${{ matrix.services }}:${{ github.sha }}",
    )
    result = lint.actionlint(broken)
    assert not result.ok
    assert "services" in result.output


def test_workflow_schema_fails_an_unknown_job_key(tmp_path):
    good = lint.WORKFLOWS[0]
    assert lint.workflow_schema(good).ok
    broken = _copy_with(good, tmp_path / good.name, "    runs-on: ubuntu-24.04\n", "    run-on: ubuntu-24.04\n")
    assert not lint.workflow_schema(broken).ok


def test_yamllint_fails_a_duplicate_key(tmp_path):
    good = lint.ROOT / "docker-compose.prod.yml"
    assert lint.yamllint([good], "good").ok
    broken = _copy_with(good, tmp_path / good.name, "name: instapay-prod\n", "name: instapay-prod\nname: again\n")
    assert not lint.yamllint([broken], "broken").ok


def test_every_action_is_pinned_by_full_commit_sha():
    import re

    for path in lint.WORKFLOWS:
        uses = re.findall(r"uses:\s*(\S+)", path.read_text())
        assert uses, path
        for ref in uses:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"{path.name}: {ref} is not pinned by SHA"
