"""What the local stack runs: the six services and their helper processes (an outbox relay per
emitting service, the SMTP sink, the provider simulator).

The command for each service is the one its production container runs (see the Dockerfiles);
only host, port and environment differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from instapay_stack.paths import SERVICES_DIR


@dataclass(frozen=True)
class ServiceSpec:
    name: str  # short name: also the gateway's upstream name and the key in /api/v1/health
    directory: str  # under services/
    module: str  # ASGI app, "package.main:app"
    port_offset: int  # port = base port + offset (gateway at the base)
    schema: str | None = None  # the PostgreSQL schema it owns (None: stateless)
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def migrates(self) -> bool:
        return self.schema is not None

    @property
    def path(self) -> Path:
        return SERVICES_DIR / self.directory

    def port(self, base: int) -> int:
        return base + self.port_offset


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec("auth", "auth-service", "auth_service.main:app", 1, "auth"),
    ServiceSpec("user", "user-service", "user_service.main:app", 2, "users"),
    ServiceSpec("transaction", "transaction-service", "transaction_service.main:app", 3, "ledger"),
    ServiceSpec("reporting", "reporting-service", "reporting_service.main:app", 4, "reporting"),
    ServiceSpec("notification", "notification-service", "notification_service.main:app", 5, "notifications"),
    ServiceSpec("gateway", "api-gateway", "api_gateway.main:app", 0),
)

# The payment service provider's stand-in (services/provider-simulator). In production the provider
# is an outside company, so the simulator is not one of the platform's SERVICES (no Helm chart
# entry, no prod compose entry); the local stack, the tests and the dev/staging
# compose files run it like a service, with its own schema.
SIMULATOR = ServiceSpec("simulator", "provider-simulator", "provider_simulator.main:app", 10, "simulator")
# Everything the local stack starts as a uvicorn app, and the schemas it migrates.
LOCAL_SERVICES: tuple[ServiceSpec, ...] = (*SERVICES, SIMULATOR)
# Ports a local stack takes from its base: the services, relays, SMTP sink and simulator.
PORT_COUNT = 11
# Where the simulator sends its callbacks: the transaction service's intake, through the gateway.
SIMULATOR_WEBHOOK_PATH = "/api/v1/funding/webhooks/simulator"

# The outbox relay's worker package (services/outbox-relay): one image for every relay.
RELAY_DIRECTORY = "outbox-relay"


@dataclass(frozen=True)
class RelaySpec:
    """An outbox relay process for one emitting service; its port serves /metrics and /healthz."""

    name: str  # process name, e.g. "transaction-relay" (kill it alone in fault tests)
    service: str  # emitting service: auth, user, transaction
    port_offset: int

    @property
    def path(self) -> Path:
        return SERVICES_DIR / RELAY_DIRECTORY

    def port(self, base: int) -> int:
        return base + self.port_offset

    def argv(self, *, host: str, port: int, python: str) -> list[str]:
        return [
            python,
            "-m",
            "outbox_relay",
            "--service",
            self.service,
            "--host",
            host,
            "--metrics-port",
            str(port),
        ]


RELAYS: tuple[RelaySpec, ...] = (
    RelaySpec("auth-relay", "auth", 6),
    RelaySpec("user-relay", "user", 7),
    RelaySpec("transaction-relay", "transaction", 8),
)

# The local SMTP sink (instapay_stack.smtp_sink) that notification-service sends e-mail to.
SMTP_SINK_NAME = "smtp-sink"
SMTP_SINK_OFFSET = 9


def smtp_sink_argv(*, host: str, port: int, mail_dir: str, python: str) -> list[str]:
    return [python, "-m", "instapay_stack.smtp_sink", "--host", host, "--port", str(port), "--dir", mail_dir]


def service_urls(base: int, host: str = "127.0.0.1") -> dict[str, str]:
    """Environment entries telling every service where the others are."""
    by_name = {s.name: f"http://{host}:{s.port(base)}" for s in SERVICES}
    return {
        "AUTH_URL": by_name["auth"],
        "USER_URL": by_name["user"],
        "TRANSACTION_URL": by_name["transaction"],
        "REPORTING_URL": by_name["reporting"],
        "NOTIFICATION_URL": by_name["notification"],
        # The outbox relay's `payouts` subscriber is the transaction service's payout submitter.
        "PAYOUTS_URL": by_name["transaction"],
        # ... and its `directory` subscriber (user.profile_changed) the transaction service's directory.
        "DIRECTORY_URL": by_name["transaction"],
        "JWKS_URL": by_name["auth"] + "/.well-known/jwks.json",
        # Where this stack's web app answers `/pay/<token>` (the links and QR codes it makes).
        "PUBLIC_BASE_URL": by_name["gateway"],
    }


def funding_env(base: int, host: str, dev_secrets: dict[str, str]) -> dict[str, str]:
    """The simulator's callback target, and the transaction service's provider settings pointing at
    the simulator with the same (generated) credentials."""
    gateway = next(s for s in SERVICES if s.name == "gateway")
    return {
        "SIMULATOR_WEBHOOK_URL": f"http://{host}:{gateway.port(base)}{SIMULATOR_WEBHOOK_PATH}",
        "FUNDING_PROVIDER": "simulator",
        "FUNDING_PROVIDER_URL": f"http://{host}:{SIMULATOR.port(base)}",
        "FUNDING_API_KEY": dev_secrets["SIMULATOR_API_KEY"],
        "FUNDING_WEBHOOK_SECRETS": dev_secrets["SIMULATOR_WEBHOOK_SECRET"],
    }


HTTP_PROTOCOL = "instapay_common.web.http_protocol:GuardedHttpToolsProtocol"


def uvicorn_argv(spec: ServiceSpec, *, host: str, port: int, python: str) -> list[str]:
    # Same flags as the prod Dockerfile's CMD.
    # --http: uvicorn's protocol plus header timeout/size limits and no server header (slowloris, API4).
    # --no-proxy-headers: the peer is never rewritten from X-Forwarded-For (uvicorn trusts 127.0.0.1
    # by default); only the gateway's own rule (GATEWAY_TRUSTED_PROXIES) decides who the client is.
    return [
        python,
        "-m",
        "uvicorn",
        spec.module,
        "--host",
        host,
        "--port",
        str(port),
        "--no-proxy-headers",
        "--no-access-log",
        "--timeout-graceful-shutdown",
        "5",
        "--http",
        HTTP_PROTOCOL,
    ]
