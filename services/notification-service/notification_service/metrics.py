"""Notification service metrics."""

from prometheus_client import Counter, Gauge

NOTIFICATION_DELIVERIES = Counter(
    "notification_deliveries_total",
    "Notification deliveries by channel (in_app, email, sms) and outcome (created, sent, skipped, retry, failed).",
    ["channel", "outcome"],
)
SSE_STREAMS = Gauge("notification_sse_streams", "Open notification streams in this process.")
