"""The prod images' commands run the platform: each service is started with exactly the CMD, WORKDIR
and ENV its prod Dockerfile stage declares, plus the environment docker-compose.prod.yml gives it,
as plain processes in a private network namespace (so, as in containers, every service binds
0.0.0.0 on its fixed port). Migrations run with the compose one-shot command first. The platform
must then answer through the gateway, and every image HEALTHCHECK must pass.

What differs from real containers, and why: image paths under /app are the checkout (same layout);
service host names become 127.0.0.1 (one shared loopback instead of a container network); the
database is the test server; Redis is left out (the gateway falls back to memory).
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import infra_lint as lint
import pytest
from dockerfile_spec import host_env, parse_stages, to_host_path

from instapay_stack.postgres import drop_database, ensure_database
from instapay_stack.secrets import ensure_dev_secrets
from instapay_stack.services import LOCAL_SERVICES, RELAY_DIRECTORY, RELAYS, SERVICES, uvicorn_argv

HERE = Path(__file__).resolve().parent
ROOT = lint.ROOT


def prod_stage(spec):
    return parse_stages(spec.path / "Dockerfile")["prod"]


@pytest.mark.parametrize("spec", LOCAL_SERVICES, ids=lambda s: s.name)  # the simulator's image (staging) too
def test_prod_cmd_is_the_command_make_up_runs(spec):
    stage = prod_stage(spec)
    port = spec.port(8000)
    assert stage.cmd == uvicorn_argv(spec, host="0.0.0.0", port=port, python="python")
    assert stage.expose == [port]
    assert stage.env["PORT"] == str(port)
    assert stage.workdir == f"/app/services/{spec.directory}"
    assert stage.user not in (None, "root", "0", "0:0")
    assert stage.env["ENVIRONMENT"] == "production"
    assert stage.healthcheck[:2] == ["python", "-c"] and "/healthz" in stage.healthcheck[2]
    # No build tooling in the final image: the prod stage starts from the plain runtime and only
    # copies the built venv and code.
    assert stage.base.startswith("python:") and "slim" in stage.base
    dev = parse_stages(spec.path / "Dockerfile")["dev"]
    assert "--reload" in dev.cmd


def test_relay_image_runs_its_command_as_an_unprivileged_user():
    # The orchestrators give each relay its command (compose and the chart tests check it is
    # RelaySpec.argv); without one the image prints its usage instead of guessing an emitter.
    stages = parse_stages(RELAYS[0].path / "Dockerfile")
    prod = stages["prod"]
    assert prod.cmd == ["python", "-m", "outbox_relay", "--help"]
    assert prod.workdir == f"/app/services/{RELAY_DIRECTORY}"
    assert prod.user not in (None, "root", "0", "0:0")
    assert prod.env["ENVIRONMENT"] == "production"
    assert prod.base.startswith("python:") and "slim" in prod.base
    assert stages["dev"].workdir == prod.workdir
    usage = subprocess.run(
        [sys.executable, *prod.cmd[1:]],
        cwd=to_host_path(prod.workdir, ROOT),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert usage.returncode == 0 and "--service" in usage.stdout, usage.stderr


def test_dockerfiles_are_generated_from_the_template():
    import importlib.util

    module_spec = importlib.util.spec_from_file_location(
        "render_dockerfiles", ROOT / "infrastructure/docker/render_dockerfiles.py"
    )
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    for rel, text in module.render().items():
        assert (ROOT / rel).read_text() == text, f"{rel} is stale: run `make dockerfiles`"


def compose_prod_config(keys: dict[str, str]) -> dict:
    # Real secrets (generated like `make up`'s): production refuses the lint placeholders.
    real = {
        k: v for k, v in keys.items() if k.startswith("INTERNAL_SECRET_") or k in ("PIN_PEPPER", "PAYMENT_LINK_SECRETS")
    }
    env = {
        **lint.COMPOSE_LINT_ENV,
        **real,
        "JWT_PRIVATE_KEY_PATH": keys["JWT_PRIVATE_KEY_FILE"],
        "PATH": "/usr/bin:/bin",
        "HOME": tempfile.gettempdir(),
    }
    out = subprocess.run(
        [
            str(lint.compose_binary()),
            "-f",
            str(ROOT / "docker-compose.prod.yml"),
            "--project-directory",
            str(ROOT),
            "config",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    return json.loads(out)


class UnixToTcpBridge:
    """Lets processes in another network namespace reach a TCP PostgreSQL through a socket file."""

    def __init__(self, host: str, port: int, directory: Path) -> None:
        self.host, self.port, self.path = host, port, directory / f".s.PGSQL.{port}"
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    async def _pipe(self, reader, writer) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()

    async def _client(self, reader, writer) -> None:
        up_reader, up_writer = await asyncio.open_connection(self.host, self.port)
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True)

    def start(self) -> None:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(
            asyncio.start_unix_server(self._client, path=str(self.path)), self.loop
        ).result(10)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)


def netns_database_url(url: str, tmp: Path):
    """The URL processes in the namespace use (unix socket URLs work as they are)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if not parts.hostname or parts.hostname.startswith("/"):
        return url, None
    bridge = UnixToTcpBridge(parts.hostname, parts.port or 5432, tmp)
    bridge.start()
    auth = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return f"{parts.scheme}://{auth}{parts.path}?host={tmp}&port={parts.port or 5432}", bridge


def service_env(stage, compose_service: dict, compose: dict, database_url: str) -> dict[str, str]:
    env = host_env(stage, ROOT, base_path=os.defpath)
    env["HOME"] = tempfile.gettempdir()
    names = {s.directory for s in SERVICES}
    secret_files = {f"/run/secrets/{name}": s["file"] for name, s in compose.get("secrets", {}).items()}
    for key, value in (compose_service.get("environment") or {}).items():
        value = "" if value is None else str(value)
        for name in names:
            value = value.replace(f"http://{name}:", "http://127.0.0.1:")
        env[key] = secret_files.get(value, value)
    env["DATABASE_URL"] = database_url
    env.pop("REDIS_URL", None)
    return env


def namespace_command() -> list[str]:
    unshare = shutil.which("unshare")
    assert unshare, "util-linux `unshare` is needed to give the services their own network namespace"
    return [unshare, "--net"] + ([] if os.geteuid() == 0 else ["--map-root-user"])


# Nine Python processes start at once: on a loaded 2-core CI machine imports alone take minutes.
@pytest.mark.timeout(720)
def test_services_started_as_their_prod_images_answer_through_the_gateway(pg, tmp_path):
    keys = ensure_dev_secrets(tmp_path / "secrets")
    compose = compose_prod_config(keys)
    db_name = f"images_{os.getpid()}_{secrets.token_hex(3)}"
    url = ensure_database(pg, db_name)
    bridge = None
    try:
        sock_dir = Path(tempfile.mkdtemp(prefix="pgbridge-"))
        ns_url, bridge = netns_database_url(url, sock_dir)
        plan_services = []
        for spec in SERVICES:
            stage = prod_stage(spec)
            cwd = to_host_path(stage.workdir, ROOT)
            env = service_env(stage, compose["services"][spec.directory], compose, ns_url)
            if spec.migrates:
                # The one-shot step docker-compose.prod.yml runs before the service starts.
                migrate = compose["services"][f"migrate-{spec.name}"]
                done = subprocess.run(
                    migrate["command"],
                    cwd=cwd,
                    env={**env, "DATABASE_URL": url},
                    capture_output=True,
                    text=True,
                    timeout=180,
                    check=False,
                )
                assert done.returncode == 0, f"{spec.name} migration failed:\n{done.stdout}{done.stderr}"
            plan_services.append(
                {
                    "name": spec.name,
                    "argv": stage.cmd,
                    "cwd": cwd,
                    "env": env,
                    "port": stage.expose[0],
                    "healthcheck": stage.healthcheck,
                    "log": str(tmp_path / f"{spec.name}.log"),
                }
            )
        for relay in RELAYS:
            # Relays run from the relay image with the command compose gives them.
            stage = prod_stage(relay)
            compose_relay = compose["services"][relay.name]
            plan_services.append(
                {
                    "name": relay.name,
                    "argv": compose_relay["command"],
                    "cwd": to_host_path(stage.workdir, ROOT),
                    "env": service_env(stage, compose_relay, compose, ns_url),
                    "port": relay.port(8000),
                    "healthcheck": compose_relay["healthcheck"]["test"][1:],
                    "log": str(tmp_path / f"{relay.name}.log"),
                }
            )
        plan = {
            "services": plan_services,
            "timeout": 300,
            "gateway_url": "http://127.0.0.1:8000",
            "probe_paths": ["/api/v1/health", "/.well-known/jwks.json", "/healthz"],
        }
        (tmp_path / "plan.json").write_text(json.dumps(plan))
        run = subprocess.run(
            [*namespace_command(), sys.executable, str(HERE / "netns_runner.py"), str(tmp_path / "plan.json")],
            capture_output=True,
            text=True,
            timeout=540,
            check=False,
        )
        logs = "\n".join(
            f"--- {s['name']} ---\n" + Path(s["log"]).read_text()[-3000:]
            for s in plan_services
            if Path(s["log"]).exists()
        )
        assert run.returncode == 0, f"{run.stderr}\n{logs}"
        report = json.loads(run.stdout.strip().splitlines()[-1])
    finally:
        if bridge:
            bridge.stop()
        drop_database(pg, db_name)

    not_ready = {n: s for n, s in report["services"].items() if not s.get("ready")}
    assert not not_ready, f"not ready: {not_ready}\n{logs}"
    health = report["probes"]["/api/v1/health"]
    assert health["status"] == 200, health
    states = json.loads(health["body"])["services"]
    assert {name for name, state in states.items() if state == "up"} >= {s.name for s in SERVICES}, states
    jwks = report["probes"]["/.well-known/jwks.json"]
    assert jwks["status"] == 200 and json.loads(jwks["body"])["keys"], jwks
    names = [s.name for s in SERVICES] + [r.name for r in RELAYS]
    assert report["healthchecks"] == dict.fromkeys(names, 0)
    # SIGTERM (what `docker stop` and Kubernetes send) ends every process within its grace period
    # (uvicorn finishes its shutdown, then re-raises the signal: exit status -SIGTERM, not a SIGKILL).
    stopped = {n: s["stop_exit"] for n, s in report["services"].items()}
    assert all(stopped[n] in (0, -signal.SIGTERM) for n in names), stopped
