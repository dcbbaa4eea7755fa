"""Deployment security as configured (the chart, the plain manifests' values, the compose files,
the images' commands): each workload gets exactly the internal secrets its code holds (its own
and its accepted callers'), the gateway knows its trusted proxies and uvicorn never reads proxy
headers, egress reaches only the named database, Redis and SMTP relay, Prometheus only the
metrics ports, and production pins images. The services' own refusals (short or placeholder
secrets, missing trusted proxies) are tested beside them (services/common/tests/
test_internal_credentials.py, services/api-gateway/tests/test_client_addresses.py)."""

from __future__ import annotations

import importlib

import helm_python as helm
import infra_lint as lint
import pytest
import yaml
from dockerfile_spec import parse_stages
from test_compose_structure import resolved

from instapay_stack.services import RELAYS, SERVICES, uvicorn_argv

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
    assert set(secret["data"]) == needed | {"PIN_PEPPER", "PAYMENT_LINK_SECRETS"}


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


def _policies(values: dict) -> dict[str, dict]:
    return {
        o["metadata"]["name"].removeprefix("instapay-"): o["spec"]
        for o in lint.rendered_objects(values)
        if o["kind"] == "NetworkPolicy"
    }


def _outside(rules: list[dict]) -> list[tuple[str, frozenset[int]]]:
    """(destination, ports) of the rules reaching outside the namespace, DNS left out."""
    found = []
    for rule in rules:
        ports = frozenset(p["port"] for p in rule.get("ports", []))
        if ports == {53}:
            continue
        for peer in rule.get("to", [{"everywhere": True}]):
            if "ipBlock" in peer:
                found.append((peer["ipBlock"]["cidr"], ports))
            elif "namespaceSelector" in peer or "everywhere" in peer:
                found.append((str(peer), ports))
    return found


# The one rule reaching the internet: the notification service's webhooks, https only, with the
# private, loopback, link-local (metadata), CGNAT ranges carved out (the sender checks them too).
WEBHOOK_EXCEPT = {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10"}


def _is_webhook_egress(name: str, rule: dict) -> bool:
    blocks = [peer.get("ipBlock", {}) for peer in rule.get("to", [])]
    if not any(b.get("cidr", "").endswith("/0") for b in blocks):
        return False
    assert name == "notification-service", f"{name}: egress to everything"
    assert rule["ports"] == [{"port": 443, "protocol": "TCP"}], name
    assert all(set(b.get("except", [])) >= WEBHOOK_EXCEPT for b in blocks), name
    return True


@pytest.mark.parametrize("values_file", lint.VALUES_FILES)
def test_egress_reaches_only_the_database_redis_and_the_smtp_relay(values_file):
    values = lint.chart_values(values_file)
    merged = yaml_merge(yaml.safe_load((lint.CHART / "values.yaml").read_text()), values)
    np = merged["networkPolicy"]
    policies = _policies(values)
    db, redis = np["externalDatabase"], np["externalRedis"]
    bundled = merged["postgresql"]["enabled"]
    for name, spec in policies.items():
        for rule in spec.get("egress", []):
            assert "to" in rule, f"{name}: an egress rule without destinations opens everything"
        rules = [r for r in spec.get("egress", []) if not _is_webhook_egress(name, r)]
        if name == "notification-service":
            assert len(rules) == len(spec["egress"]) - 1, "the webhooks' egress rule is missing"
        if bundled or name in ("default-deny",):
            continue
        outside = _outside(rules)
        if name == "api-gateway":
            assert outside == [(redis["cidr"], frozenset({redis["port"]}))]
        elif name in ("migrate", *held_by_code()):
            expected = [(db["cidr"], frozenset({db["port"]}))]
            if name == "notification-service" and merged["config"]["smtp"]["host"]:
                expected.append((np["smtpRelay"]["cidr"], frozenset({int(merged["config"]["smtp"]["port"])})))
            assert outside == expected, name


def test_prometheus_alone_reaches_the_metrics_port():
    """Only Prometheus's pods, and only on the port serving /metrics alone: the services'
    METRICS_PORT (never the API port), the relays' one port."""
    objs = lint.rendered_objects(lint.chart_values("values-production.yaml"))
    for deployment in (o for o in objs if o["kind"] == "Deployment"):
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        if "metrics" in ports:
            env = _env_names(container)
            assert env["METRICS_PORT"]["value"] == str(ports["metrics"]) != str(ports["http"])
    relays = {r.name for r in RELAYS}
    for name, spec in _policies(lint.chart_values("values-production.yaml")).items():
        if name in ("default-deny", "migrate"):
            continue
        (rule,) = [
            r
            for r in spec["ingress"]
            if any(
                p.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name") == "monitoring"
                for p in r["from"]
            )
        ]
        (peer,) = rule["from"]
        assert peer["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "prometheus"}, name
        metrics_port = "http" if name in relays else "metrics"
        assert rule["ports"] == [{"port": metrics_port, "protocol": "TCP"}], name


def test_egress_to_everything_or_nowhere_named_is_refused():
    base = lint.chart_values("values-production.yaml")
    for key, override, message in (
        ("externalDatabase", {"cidr": "0.0.0.0/0"}, "opens egress to everything"),
        ("externalRedis", {"cidr": "::/0"}, "opens egress to everything"),
        ("smtpRelay", {"cidr": ""}, "networkPolicy.smtpRelay: set cidr"),
        ("externalDatabase", {"cidr": ""}, "networkPolicy.externalDatabase: set cidr"),
    ):
        values = {**base, "networkPolicy": {**base["networkPolicy"], key: {**base["networkPolicy"][key], **override}}}
        with pytest.raises(helm.HelmError, match=message):
            lint.render_chart(values)
    # An in-cluster database (e.g. CloudNativePG) by its pods instead of an address.
    cnpg = {"cidr": "", "namespace": "databases", "podLabels": {"cnpg.io/cluster": "instapay"}, "port": 5432}
    values = {**base, "networkPolicy": {**base["networkPolicy"], "externalDatabase": cnpg}}
    rules = _policies(values)["auth-service"]["egress"]
    (peer,) = [
        p for r in rules for p in r.get("to", []) if p.get("podSelector", {}).get("matchLabels") == cnpg["podLabels"]
    ]
    assert peer["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": "databases"}


def yaml_merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = (
            yaml_merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
        )
    return merged


def test_production_references_images_by_digest_or_immutable_tag():
    values = lint.chart_values("values-production.yaml")
    assert values["image"]["pullPolicy"] == "IfNotPresent"
    assert values["image"].get("tag", "") in ("",), "production takes the commit tag from the deploy job"
    digest = "sha256:" + "ab" * 32
    pinned = {**values, "image": {**values["image"], "digests": {"auth-service": digest}}}
    images = {
        d["metadata"]["labels"]["app.kubernetes.io/component"]: d["spec"]["template"]["spec"]["containers"][0]["image"]
        for d in lint.rendered_objects(pinned)
        if d["kind"] == "Deployment"
    }
    assert images["auth-service"] == f"ghcr.io/mini-instapay/auth-service@{digest}"
    assert images["user-service"] == "ghcr.io/mini-instapay/user-service:0.1.0"


def test_uvicorn_never_takes_the_client_from_proxy_headers():
    """Only the gateway's own rule (GATEWAY_TRUSTED_PROXIES) decides who the client is: every
    uvicorn (`make up`, each image's dev and prod command) runs with --no-proxy-headers."""
    for spec in SERVICES:
        assert "--no-proxy-headers" in uvicorn_argv(spec, host="0.0.0.0", port=8000, python="python")
        stages = parse_stages(lint.ROOT / "services" / spec.directory / "Dockerfile")
        for target in ("dev", "prod"):
            assert "--no-proxy-headers" in stages[target].cmd, (spec.name, target)
