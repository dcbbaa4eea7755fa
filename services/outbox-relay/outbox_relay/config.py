"""The relay's settings, read from the environment of its process.

Environment: DATABASE_URL (read by outbox_relay.main), INTERNAL_SECRET_RELAY (the relay's own
internal credential; required and checked when ENVIRONMENT is staging or production), <SUBSCRIBER>_URL
(REPORTING_URL, NOTIFICATION_URL, PAYOUTS_URL, DIRECTORY_URL: a subscriber without one receives nothing), OUTBOX_SCHEMA,
OUTBOX_BATCH_SIZE, OUTBOX_LINGER_SECONDS, OUTBOX_BACKOFF_CAP_SECONDS, and OUTBOX_SUBSCRIPTIONS
(JSON `{"event.type": ["subscriber", ...]}`, replaces the catalogue's entries for the listed types).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from instapay_common.security.internal import InternalCredentials, dev_secret, secret_env_name
from instapay_common.settings import secret_problem
from outbox_relay.catalogue import DEFAULT_SUBSCRIPTIONS, merged, subscriber_names

# The PostgreSQL schema each emitting service owns (where its outbox lives).
SERVICE_SCHEMAS: Mapping[str, str] = {"auth": "auth", "user": "users", "transaction": "ledger"}


@dataclass(frozen=True)
class RelayConfig:
    service: str  # emitting service's short name: "transaction"
    schema: str
    subscriber_urls: Mapping[str, str]  # "notification" -> "http://127.0.0.1:8005"
    subscriptions: Mapping[str, Sequence[str]] = field(default_factory=lambda: dict(DEFAULT_SUBSCRIPTIONS))
    internal_secret: str = ""
    batch_size: int = 200
    # Idle wait between polls. Emitters NOTIFY on commit (outbox.emit_event) and wake the relay at
    # once, so this only bounds how late a retry whose backoff ran out, or an event whose NOTIFY
    # was lost (listener reconnecting), is picked up.
    poll_interval: float = 1.0
    # After a round that did not fill a batch (and after a wake-up), wait this long before the
    # next one, so the events of a busy second travel together: each batch costs two HTTP hops and
    # a transaction in each subscriber whatever its size, and a relay woken by every commit would
    # send batches of one or two events (docs/PERFORMANCE.md, "Relay linger"). Adds at most this
    # much to an event's delivery time; a backlog (full batches) is sent without pause.
    linger: float = 0.05
    request_timeout: float = 5.0
    post_batch_size: int = 100  # events per POST to one subscriber
    batch_timeout: float = 30.0  # a whole batch POST (the subscriber applies each event)
    backoff_base: float = 0.5
    backoff_cap: float = 30.0  # a subscriber back from an outage waits at most this long

    def credentials(self) -> InternalCredentials:
        return InternalCredentials("relay", {"relay": self.internal_secret})

    @property
    def source(self) -> str:
        """The envelope's `source`: the emitting service's full name."""
        return f"{self.service}-service"


def subscriptions_from_env(env: Mapping[str, str]) -> dict[str, list[str]]:
    """OUTBOX_SUBSCRIPTIONS decoded (empty when unset)."""
    raw = env.get("OUTBOX_SUBSCRIPTIONS")
    if not raw:
        return {}
    decoded: dict[str, list[object]] = json.loads(raw)
    return {str(k): [str(s) for s in v] for k, v in decoded.items()}


def subscriber_urls_from_env(env: Mapping[str, str]) -> dict[str, str]:
    """Every subscriber named in the subscriptions whose <NAME>_URL is set."""
    names = subscriber_names(DEFAULT_SUBSCRIPTIONS, subscriptions_from_env(env))
    return {n: env[f"{n.upper()}_URL"] for n in names if env.get(f"{n.upper()}_URL")}


def relay_secret(env: Mapping[str, str]) -> str:
    """INTERNAL_SECRET_RELAY; the development secret when unset in development and test. Staging
    and production refuse a missing, short or placeholder one (the services' rule)."""
    name = secret_env_name("relay")
    value = env.get(name, "")
    if env.get("ENVIRONMENT", "development") in ("staging", "production"):
        problem = secret_problem(name, value) if value else f"{name} is required outside development"
        if problem:
            raise ValueError(problem)
        return value
    return value or dev_secret("relay")


def config_from_env(service: str, env: Mapping[str, str] = os.environ) -> RelayConfig:
    return RelayConfig(
        service=service,
        schema=env.get("OUTBOX_SCHEMA", SERVICE_SCHEMAS.get(service, service)),
        subscriber_urls=subscriber_urls_from_env(env),
        subscriptions=merged(subscriptions_from_env(env)),
        internal_secret=relay_secret(env),
        batch_size=int(env.get("OUTBOX_BATCH_SIZE", "200")),
        linger=float(env.get("OUTBOX_LINGER_SECONDS", "0.05")),
        backoff_cap=float(env.get("OUTBOX_BACKOFF_CAP_SECONDS", "30")),
    )
