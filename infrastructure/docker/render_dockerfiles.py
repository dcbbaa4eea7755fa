# ruff: noqa: E501  (the template holds Dockerfile lines, which are long by nature)
"""Writes the six service Dockerfiles, the provider simulator's and the outbox relay's (and their .dockerignore) from one template.

They differ only in names, ports and commands, so they are generated rather than edited by hand:
    python infrastructure/docker/render_dockerfiles.py
infrastructure/tests checks that the committed files equal this output (no drift between services).
"""

from pathlib import Path

SERVICES = [
    ("auth", "auth-service", "auth_service", 8001),
    ("user", "user-service", "user_service", 8002),
    ("transaction", "transaction-service", "transaction_service", 8003),
    ("reporting", "reporting-service", "reporting_service", 8004),
    ("notification", "notification-service", "notification_service", 8005),
    ("gateway", "api-gateway", "api_gateway", 8000),
    # The payment provider's stand-in: dev and staging only (instapay_stack.services.SIMULATOR).
    ("simulator", "provider-simulator", "provider_simulator", 8010),
]
MEMBERS = [
    "services/common",
    "services/auth-service",
    "services/user-service",
    "services/transaction-service",
    "services/reporting-service",
    "services/notification-service",
    "services/api-gateway",
    "services/outbox-relay",
    "services/provider-simulator",
    "infrastructure/local",
    "sdk/python",
]

WEB_STAGE = """
# --- web: the React app, built once and served by the gateway at / (no separate web image) ---
FROM node:20-bookworm-slim AS web
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build
"""

TEMPLATE = """# syntax=docker/dockerfile:1.7
# {title} image. Build from the repository root (the uv workspace and its single lock file live there):
#   docker build -f services/{dir}/Dockerfile --target prod -t instapay/{dir}:<sha> .
{targets}
{web}
# --- builder: lock-file-pinned dependencies in /app/.venv (uv sync --locked) ---
FROM python:3.11-slim-bookworm AS builder
ENV UV_COMPILE_BYTECODE=1 \\
    UV_LINK_MODE=copy \\
    UV_PYTHON_DOWNLOADS=never \\
    UV_PROJECT_ENVIRONMENT=/app/.venv \\
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
# Manifests first: the dependency layer is rebuilt only when the lock or a pyproject.toml changes.
# `--locked` needs every workspace member's manifest to prove uv.lock is current.
COPY pyproject.toml uv.lock ./
{manifests}
RUN uv sync --locked --no-dev --no-default-groups --package {dir} --no-install-workspace
# Then the code: only the shared library and this service (the workspace packages install editable
# from /app/services/..., which is why the prod stage keeps the same paths).
COPY services/common/ services/common/
COPY services/{dir}/ services/{dir}/
RUN uv sync --locked --no-dev --no-default-groups --package {dir}

# --- dev: {dev_what}; docker-compose.dev.yml mounts services/common and services/{dir} over the copies ---
FROM builder AS dev
ENV PYTHONUNBUFFERED=1 \\
    PATH=/app/.venv/bin:$PATH \\
    ENVIRONMENT=development \\
    HOST=0.0.0.0{port_env}
WORKDIR /app/services/{dir}
{expose}CMD {dev_cmd}

# --- prod: no compiler, no uv, no pip cache; root-owned read-only code; runs as an unprivileged user ---
FROM python:3.11-slim-bookworm AS prod
ENV PYTHONUNBUFFERED=1 \\
    PYTHONDONTWRITEBYTECODE=1 \\
    PATH=/app/.venv/bin:$PATH \\
    ENVIRONMENT=production \\
    HOST=0.0.0.0{port_env}
RUN groupadd --system --gid 10001 instapay \\
    && useradd --system --uid 10001 --gid instapay --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin instapay
COPY --from=builder /app/.venv /app/.venv
COPY --from=builder /app/services/common /app/services/common
COPY --from=builder /app/services/{dir} /app/services/{dir}
{web_copy}WORKDIR /app/services/{dir}
USER 10001:10001
{expose}{healthcheck}CMD {prod_cmd}
"""

SERVICE_TARGETS = """# Targets: `dev` (code mounted by docker-compose.dev.yml, reload on change) and `prod` (slim, non-root).
# The prod CMD is the command `make up` runs (instapay_stack.services.uvicorn_argv); a test checks that."""

RELAY_TARGETS = """# One image for every emitting service's relay: the orchestrator gives the command
# (`python -m outbox_relay --service <emitter> --host 0.0.0.0 --metrics-port <port>`, the one `make up`
# runs: instapay_stack.services.RelaySpec.argv), and the healthcheck on that port; a test checks that.
# Targets: `dev` (code mounted by docker-compose.dev.yml) and `prod` (slim, non-root)."""

SERVICE_HEALTHCHECK = """# Liveness only (the orchestrators ask /readyz themselves); python's stdlib, so no curl in the image.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \\
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '{port}') + '/healthz', timeout=2)"]
"""

# Without a command the relay image only says how to run it (it cannot guess the emitter).
RELAY_CMD = '["python", "-m", "outbox_relay", "--help"]'

RELAY = ("outbox-relay", "outbox_relay")

DOCKERIGNORE = """# Build context is the repository root; keep caches, local data and host builds out of the image.
.git
.venv
.tools
.data
test-artifacts
**/__pycache__
**/*.pyc
**/tests
**/.pytest_cache
**/.ruff_cache
frontend/node_modules
frontend/dist
frontend/e2e
"""

ROOT = Path(__file__).resolve().parents[2]


def _service(name: str, d: str, pkg: str, port: int, manifests: str) -> str:
    is_gw = name == "gateway"
    # --no-proxy-headers: uvicorn never rewrites the peer from X-Forwarded-For; only the gateway's
    # own rule (GATEWAY_TRUSTED_PROXIES) decides who the client is.
    uvicorn = (
        f'["python", "-m", "uvicorn", "{pkg}.main:app", "--host", "0.0.0.0", "--port", "{port}", "--no-proxy-headers"'
    )
    return TEMPLATE.format(
        title={
            "gateway": "API gateway (also serves the built web app)",
            "simulator": "Provider simulator (a payment provider stand-in for dev and staging, never production)",
        }.get(name, f"{name.capitalize()} service"),
        targets=SERVICE_TARGETS,
        dir=d,
        port_env=f" \\\n    PORT={port}",
        expose=f"EXPOSE {port}\n",
        dev_what="hot reload",
        dev_cmd=uvicorn + f', "--reload", "--reload-dir", "/app/services/{d}", "--reload-dir", "/app/services/common"]',
        healthcheck=SERVICE_HEALTHCHECK.format(port=port),
        prod_cmd=uvicorn + ', "--no-access-log", "--timeout-graceful-shutdown", "5", "--http", '
        '"instapay_common.web.http_protocol:GuardedHttpToolsProtocol"]',
        manifests=manifests,
        web=WEB_STAGE if is_gw else "",
        web_copy="COPY --from=web /app/frontend/dist /app/frontend/dist\n" if is_gw else "",
    )


def _relay(d: str, manifests: str) -> str:
    return TEMPLATE.format(
        title="Outbox relay",
        targets=RELAY_TARGETS,
        dir=d,
        port_env="",
        expose="",
        dev_what="no reload (restart the container after a change)",
        dev_cmd=RELAY_CMD,
        healthcheck="",
        prod_cmd=RELAY_CMD,
        manifests=manifests,
        web="",
        web_copy="",
    )


def render() -> dict[Path, str]:
    """Relative path -> content of every generated file."""
    manifests = "\n".join(f"COPY {m}/pyproject.toml {m}/" for m in MEMBERS)
    texts = {d: _service(name, d, pkg, port, manifests) for name, d, pkg, port in SERVICES}
    texts[RELAY[0]] = _relay(RELAY[0], manifests)
    files: dict[Path, str] = {}
    for d, text in texts.items():
        files[Path("services", d, "Dockerfile")] = text
        # BuildKit reads <Dockerfile>.dockerignore next to the Dockerfile (the context is the repo root).
        files[Path("services", d, "Dockerfile.dockerignore")] = DOCKERIGNORE
    return files


if __name__ == "__main__":
    for rel, text in render().items():
        (ROOT / rel).write_text(text)
        print(f"wrote {rel}")
