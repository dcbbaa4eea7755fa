"""Reporting service metrics."""

from prometheus_client import Counter

EVENTS_APPLIED = Counter(
    "reporting_events_total",
    "Events received by outcome (applied, skipped = duplicate or unused type).",
    ["type", "outcome"],
)
