"""Deployment security as configured: each workload gets exactly the internal secrets its code
holds (its own and its accepted callers'), the gateway knows its trusted proxies, and the
Services' placeholders are refused (services/common/tests/test_internal_credentials.py)."""

from __future__ import annotations

import importlib

import helm_python as helm
import infra_lint as lint
import pytest
from test_compose_structure import resolved

from instapay_stack.services import RELAYS, SERVICES

SETTINGS_CLASSES = {
    "auth": "auth_service.config:AuthSettings",
    "user": "user_service.config:UserSettings",
    "transaction": "transaction_service.config:TransactionSettings",
    "reporting": "reporting_service.config:ReportingSettings",
    "notification": "notification_service.config:NotificationSettings",
    "gateway": "api_gateway.config:GatewaySettings",
}


def held_by_code() -> dict[str, set[str]]:
    """Component -> the INTERNAL_SECRET_* settings its code reads (the relay: its own)."""
    held: dict[str, set[str]] = {}
    for spec in SERVICES:
        module, cls = SETTINGS_CLASSES[spec.name].split(":")
        settings = getattr(importlib.import_module(module), cls)(environment="test")
        held[spec.directory] = {f"INTERNAL_SECRET_{c.upper()}" for c in settings.held_internal_callers()}
    for relay in RELAYS:
        held[relay.name] = {"INTERNAL_SECRET_RELAY"}
    return held


def _env_names(container: dict) -> dict[str, dict]:
    return {e["name"]: e for e in container.get("env", [])}


@pytest.mark.parametrize("values_file", lint.VALUES_FILES)
def test_chart_gives_each_workload_only_the_internal_secrets_it_holds(values_file):
    objs = lint.rendered_objects(lint.chart_values(values_file))
    expected = held_by_code()
    seen = set()
    for deployment in (o for o in objs if o["kind"] == "Deployment"):
        name = deployment["metadata"]["labels"]["app.kubernetes.io/component"]
        if name not in expected:
            continue  # bundled redis
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        env = _env_names(container)
        assert {n for n in env if n.startswith("INTERNAL_")} == expected[name], name
        seen.add(name)
        if name == "api-gateway":
            assert env["GATEWAY_TRUSTED_PROXIES"]["value"] == '["10.0.0.0/8"]'
    assert seen == set(expected)
    for job in (o for o in objs if o["kind"] == "Job"):  # migrations hold no internal secret
        for container in job["spec"]["template"]["spec"]["containers"]:
            assert not [n for n in _env_names(container) if n.startswith("INTERNAL_")]


def test_development_secret_holds_every_callers_secret():
    objs = lint.rendered_objects(lint.chart_values("values-dev.yaml"))
    (secret,) = [o for o in objs if o["kind"] == "Secret" and o["metadata"]["name"] == "instapay-dev-secrets"]
    needed = set().union(*held_by_code().values())
    assert set(secret["data"]) == needed | {"PIN_PEPPER"}


def test_production_chart_refuses_to_render_without_trusted_proxies():
    values = {**lint.chart_values("values-production.yaml"), "trustedProxies": []}
    with pytest.raises(helm.HelmError, match="trustedProxies is required"):
        lint.render_chart(values)


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_compose_gives_each_service_only_the_internal_secrets_it_holds(env):
    config = resolved(env)
    expected = held_by_code()
    for name, svc in config["services"].items():
        held = {n for n in svc.get("environment") or {} if n.startswith("INTERNAL_")}
        assert held == expected.get(name, set()), name
    gateway = config["services"]["api-gateway"]["environment"]
    subnet = config["networks"]["edge"]["ipam"]["config"][0]["subnet"]
    assert gateway["GATEWAY_TRUSTED_PROXIES"] == f'["{subnet}"]'
