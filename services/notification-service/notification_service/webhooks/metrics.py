"""Webhook metrics."""

from prometheus_client import Counter

WEBHOOK_ATTEMPTS = Counter(
    "webhook_attempts_total",
    "Webhook delivery attempts by outcome (succeeded, retry, gone, exhausted).",
    ["outcome"],
)
