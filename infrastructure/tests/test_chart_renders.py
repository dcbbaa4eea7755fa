"""The Helm chart renders for every values file with the objects and hardening we expect."""

from __future__ import annotations

import importlib.util
from collections import Counter

import infra_lint as lint
import pytest
import yaml

from instapay_stack.services import RELAY_DIRECTORY, RELAYS, SERVICES

COMPONENTS = {f"{s.directory}" for s in SERVICES}  # api-gateway, auth-service, ...
RELAY_COMPONENTS = {r.name for r in RELAYS}  # auth-relay, user-relay, transaction-relay
MIGRATING = {s.directory for s in SERVICES if s.migrates}
# One database role per process (instapay_common.db.roles), a Secret each: <release>-db-<role>.
ROLE_SECRETS = {"migrator"} | {s.name for s in SERVICES if s.migrates} | {f"{r.service}-relay" for r in RELAYS}


def objects(values_file: str) -> list[dict]:
    return lint.rendered_objects(lint.chart_values(values_file))


def by_kind(objs: list[dict], kind: str) -> list[dict]:
    return [o for o in objs if o["kind"] == kind]


def component(obj: dict) -> str:
    return obj["metadata"]["labels"]["app.kubernetes.io/component"]


@pytest.mark.parametrize("values_file", lint.VALUES_FILES)
def test_one_deployment_and_service_per_service_with_probes_and_hardening(values_file):
    objs = objects(values_file)
    bundled = {"development": {"redis"}}.get(lint.chart_values(values_file).get("environment"), set())
    deployments = {component(d): d for d in by_kind(objs, "Deployment")}
    assert set(deployments) == COMPONENTS | RELAY_COMPONENTS | bundled
    services = {component(s) for s in by_kind(objs, "Service")}
    assert services >= COMPONENTS | RELAY_COMPONENTS
    for name in COMPONENTS | RELAY_COMPONENTS:
        pod = deployments[name]["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] == 10001
        assert pod["automountServiceAccountToken"] is False
        (container,) = pod["containers"]
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        if name in RELAY_COMPONENTS:  # a relay serves only /healthz and /metrics
            assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
        else:
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
            assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
        sc = container["securityContext"]
        assert sc["readOnlyRootFilesystem"] is True
        assert sc["allowPrivilegeEscalation"] is False
        assert sc["capabilities"]["drop"] == ["ALL"]
        assert {"cpu", "memory"} <= set(container["resources"]["limits"])
        assert {"cpu", "memory"} <= set(container["resources"]["requests"])
        image_of = RELAY_DIRECTORY if name in RELAY_COMPONENTS else name
        assert container["image"].endswith(f"/{image_of}:0.1.0")
        annotations = deployments[name]["spec"]["template"]["metadata"]["annotations"]
        assert annotations["prometheus.io/scrape"] == "true"
        # Scraped on the metrics-only port (the relays': their one port).
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        assert annotations["prometheus.io/port"] == str(ports.get("metrics", ports["http"]))
        labels = deployments[name]["metadata"]["labels"]
        assert labels["app.kubernetes.io/name"] == "instapay"
        assert labels["app.kubernetes.io/instance"] == lint.RELEASE
        assert labels["app.kubernetes.io/part-of"] == "instapay"


@pytest.mark.parametrize("values_file", lint.VALUES_FILES)
def test_config_points_every_service_at_the_others(values_file):
    (config,) = [c for c in by_kind(objects(values_file), "ConfigMap") if c["metadata"]["name"] == "instapay-config"]
    data = config["data"]
    ports = {s.name: 8000 + s.port_offset for s in SERVICES}
    for spec in SERVICES:
        if spec.name != "gateway":
            assert data[f"{spec.name.upper()}_URL"] == f"http://instapay-{spec.directory}:{ports[spec.name]}"
    assert data["JWKS_URL"] == "http://instapay-auth-service:8001/.well-known/jwks.json"
    assert data["ENVIRONMENT"] == lint.chart_values(values_file).get("environment", "production")


@pytest.mark.parametrize("values_file", lint.VALUES_FILES)
def test_one_migration_job_runs_alembic_for_every_schema(values_file):
    (job,) = by_kind(objects(values_file), "Job")
    containers = job["spec"]["template"]["spec"]["containers"]
    assert {c["image"].rsplit("/", 1)[1].split(":")[0] for c in containers} == MIGRATING
    assert all(c["command"] == ["python", "-m", "alembic", "-c", "alembic.ini", "upgrade", "head"] for c in containers)
    assert all(c["securityContext"]["readOnlyRootFilesystem"] for c in containers)


@pytest.mark.parametrize("values_file", ["values.yaml", "values-staging.yaml", "values-production.yaml"])
def test_gateway_and_transaction_autoscale_with_disruption_budgets(values_file):
    objs = objects(values_file)
    assert {component(h) for h in by_kind(objs, "HorizontalPodAutoscaler")} == {"api-gateway", "transaction-service"}
    assert {component(p) for p in by_kind(objs, "PodDisruptionBudget")} == {"api-gateway", "transaction-service"}
    # The HPA owns the replica count: the Deployment must not fight it.
    for d in by_kind(objs, "Deployment"):
        assert ("replicas" in d["spec"]) == (component(d) not in {"api-gateway", "transaction-service"})


@pytest.mark.parametrize("values_file", ["values-staging.yaml", "values-production.yaml"])
def test_ingress_is_nginx_with_cert_manager_tls_to_the_gateway(values_file):
    objs = objects(values_file)
    (ingress,) = by_kind(objs, "Ingress")
    values = lint.chart_values(values_file)
    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert ingress["metadata"]["annotations"]["cert-manager.io/cluster-issuer"] == values["ingress"]["clusterIssuer"]
    assert ingress["spec"]["tls"][0]["hosts"] == [values["ingress"]["host"]]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == "instapay-api-gateway"
    assert len(by_kind(objs, "ServiceMonitor")) == 1


def test_secrets_are_referenced_never_inlined():
    for values_file in ("values.yaml", "values-staging.yaml", "values-production.yaml"):
        objs = objects(values_file)
        assert by_kind(objs, "Secret") == []
        secret = lint.chart_values(values_file)["secrets"]["existingSecret"]
        auth = next(d for d in by_kind(objs, "Deployment") if component(d) == "auth-service")
        refs = {
            e["valueFrom"]["secretKeyRef"]["name"]
            for e in auth["spec"]["template"]["spec"]["containers"][0]["env"]
            if "valueFrom" in e
        }
        assert refs == {secret, "instapay-db-auth"}  # the shared Secret and its database role's
    # Without a Secret to reference, the chart refuses to render.
    import helm_python as helm

    with pytest.raises(helm.HelmError, match="existingSecret is required"):
        lint.render_chart({})


def test_dev_values_bundle_postgres_and_redis_and_generate_dev_secrets():
    objs = objects("values-dev.yaml")
    assert [component(s) for s in by_kind(objs, "StatefulSet")] == ["postgresql"]
    roles = {f"instapay-db-{r}" for r in ROLE_SECRETS}
    assert {o["metadata"]["name"] for o in by_kind(objs, "Secret")} == {
        "instapay-dev-secrets",
        "instapay-postgresql",
    } | roles
    assert by_kind(objs, "Ingress") == [] and by_kind(objs, "HorizontalPodAutoscaler") == []


@pytest.mark.parametrize("values_file", lint.VALUES_FILES)
def test_relays_run_the_local_stack_command_from_the_relay_image(values_file):
    relays = {component(d): d for d in by_kind(objects(values_file), "Deployment") if component(d) in RELAY_COMPONENTS}
    for spec in RELAYS:
        (container,) = relays[spec.name]["spec"]["template"]["spec"]["containers"]
        port = spec.port(8000)
        assert container["command"] == spec.argv(host="0.0.0.0", port=port, python="python")
        assert container["ports"][0]["containerPort"] == port


def _policy(objs, name):
    return next(p for p in by_kind(objs, "NetworkPolicy") if p["metadata"]["name"] == f"instapay-{name}")


def _peers(rules) -> set[str]:
    return {
        peer["podSelector"]["matchLabels"]["app.kubernetes.io/component"]
        for rule in rules
        for peer in rule.get("from", rule.get("to", []))
        if "podSelector" in peer and "matchLabels" in peer["podSelector"] and "namespaceSelector" not in peer
    }


def test_network_policies_allow_only_the_documented_paths():
    objs = objects("values-production.yaml")
    default_deny = _policy(objs, "default-deny")
    assert default_deny["spec"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    callers = {
        "auth-service": {
            "api-gateway",
            "transaction-service",
            "reporting-service",
            "user-service",
            "notification-service",
        },  # everyone fetches JWKS from auth
        "user-service": {"api-gateway", "auth-service", "transaction-service", "notification-service"},
        # the transaction relay delivers withdrawal.requested to the payout submitter
        "transaction-service": {"api-gateway", "auth-service", "reporting-service", "transaction-relay", "user-relay"},
        # events arrive from the outbox relays, never from the emitting services themselves
        "reporting-service": {"api-gateway"} | RELAY_COMPONENTS,
        # and auth sends one-time codes through POST /internal/messages
        "notification-service": {"api-gateway", "auth-service"} | RELAY_COMPONENTS,
        "api-gateway": set(),
        "auth-relay": set(),
        "user-relay": set(),
        "transaction-relay": set(),
    }
    for name, expected in callers.items():
        assert _peers(_policy(objs, name)["spec"]["ingress"]) == expected, name
    # Only the gateway admits the ingress controller.
    for name in callers:
        from_ingress = [
            peer
            for rule in _policy(objs, name)["spec"]["ingress"]
            for peer in rule["from"]
            if peer.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name")
            == "ingress-nginx"
        ]
        assert bool(from_ingress) == (name == "api-gateway"), name
    # Egress mirrors ingress: the gateway reaches all five services and Redis, not the database.
    gateway_egress = _policy(objs, "api-gateway")["spec"]["egress"]
    assert _peers(gateway_egress) == COMPONENTS - {"api-gateway"}
    ports = {p["port"] for rule in gateway_egress for p in rule.get("ports", [])}
    assert 6379 in ports and 5432 not in ports
    for name in RELAY_COMPONENTS:
        # payouts (transaction relay) and the recipient directory (user relay) are the transaction service.
        payouts = {"transaction-service"} if name in ("transaction-relay", "user-relay") else set()
        assert _peers(_policy(objs, name)["spec"]["egress"]) == {"reporting-service", "notification-service"} | payouts
    for name in (COMPONENTS | RELAY_COMPONENTS) - {"api-gateway"}:
        egress_ports = {p["port"] for rule in _policy(objs, name)["spec"]["egress"] for p in rule.get("ports", [])}
        assert 5432 in egress_ports and 6379 not in egress_ports, name


def test_plain_manifests_are_the_chart_rendered_with_their_values():
    spec = importlib.util.spec_from_file_location("k8s_generate", lint.K8S_DIR / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.render()
    committed = {p.name: p.read_text() for p in lint.K8S_DIR.glob("[0-9][0-9]-*.yaml")}
    assert committed == expected, "infrastructure/k8s is stale: run `make k8s-manifests`"
    kinds = Counter(o["kind"] for text in expected.values() for o in yaml.safe_load_all(text) if o)
    assert kinds["Namespace"] == 1 and kinds["Deployment"] == 9 and kinds["Service"] == 9
    assert kinds["Ingress"] == 1 and kinds["Job"] == 1 and kinds["HorizontalPodAutoscaler"] == 2


def _database_secret(container: dict) -> str | None:
    refs = [e["valueFrom"]["secretKeyRef"]["name"] for e in container["env"] if e["name"] == "DATABASE_URL"]
    assert len(refs) <= 1
    return refs[0] if refs else None


@pytest.mark.parametrize("values_file", lint.VALUES_FILES)
def test_each_process_reads_its_own_database_role_and_a_job_creates_the_roles(values_file):
    objs = objects(values_file)
    deployments = {component(d): d["spec"]["template"]["spec"]["containers"][0] for d in by_kind(objs, "Deployment")}
    for spec in SERVICES:
        expected = f"instapay-db-{spec.name}" if spec.migrates else None  # the gateway holds none
        assert _database_secret(deployments[spec.directory]) == expected, spec.directory
    for relay in RELAYS:
        assert _database_secret(deployments[relay.name]) == f"instapay-db-{relay.service}-relay"
    (job,) = by_kind(objs, "Job")
    pod = job["spec"]["template"]["spec"]
    for container in pod["containers"]:
        assert _database_secret(container) == "instapay-db-migrator"
        env = {e["name"]: e.get("value") for e in container["env"]}
        service = container["name"].removeprefix("migrate-")
        assert env["DB_RUNTIME_ROLE"] == f"instapay_{service}"
        assert env.get("DB_RELAY_ROLE") == (
            f"instapay_{service}_relay" if f"{service}-relay" in RELAY_COMPONENTS else None
        )
    (create,) = pod["initContainers"]
    assert create["command"] == ["sh", "/scripts/create-roles.sh"]
    passwords = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in create["env"] if e["name"].startswith("DB_")}
    assert passwords == {
        f"DB_{r.replace('-', '_').upper()}_PASSWORD": {"name": f"instapay-db-{r}", "key": "password"}
        for r in ROLE_SECRETS
    }
    (script,) = [c for c in by_kind(objs, "ConfigMap") if c["metadata"]["name"] == "instapay-create-roles"]
    # The chart's copy is the script compose runs and the local tests run against PostgreSQL.
    assert script["data"]["create-roles.sh"] == (lint.ROOT / "infrastructure/db/create-roles.sh").read_text()
