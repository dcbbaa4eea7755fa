"""Business metrics of the money core (names fixed: dashboards are built on them)."""

from prometheus_client import Counter, Gauge

TRANSFERS = Counter("transfers_total", "Transfers by outcome and decline code.", ["outcome", "code"])
MONEY_MOVED = Counter("money_moved_total", "Sum of completed amounts in EGP (for dashboards only).", ["type"])
TOPUPS = Counter("topups_total", "Top-ups by outcome.", ["outcome"])
WITHDRAWALS = Counter("withdrawals_total", "Withdrawals by outcome.", ["outcome"])
WALLETS = Gauge("wallets_total", "User wallets in the ledger.")
IDEMPOTENT_REPLAYS = Counter("idempotent_replays_total", "Answers replayed from a stored idempotency key.")
FUNDING_OUTCOMES = Counter(
    "funding_outcomes_total", "Top-ups and withdrawals finished after the provider answered.", ["kind", "outcome"]
)
FUNDING_ANOMALIES = Counter(
    "funding_anomalies_total", "Provider statements that contradict the ledger (nothing was moved).", ["kind"]
)
PROVIDER_CALLBACKS = Counter("provider_callbacks_total", "Provider callbacks by outcome.", ["outcome"])
PENDING_HOLDS = Gauge("holds_pending", "Holds not yet posted, released or expired.")
# Set by the funding sweeper's pass (every few seconds), next to holds_pending.
APPROVALS_PENDING = Gauge("approvals_pending", "Admin actions proposed and waiting for a second admin (not expired).")
RECONCILIATION_DISCREPANCIES = Gauge(
    "reconciliation_discrepancies", "Items of the last reconciliation that did not match, by day.", ["provider", "day"]
)
# Recipient resolutions by the local directory: `hit`, or why it asked the user service instead
# (`no_entry`: unknown, deleted or in doubt; `not_counted`: an identifier the acting user's
# lookup budget has not counted in the last day; `unparsable`).
DIRECTORY_RESOLUTIONS = Counter(
    "directory_resolutions_total",
    "Recipient resolutions answered by the directory or passed to the user service.",
    ["outcome"],
)
for _outcome in ("hit", "no_entry", "not_counted", "unparsable"):
    DIRECTORY_RESOLUTIONS.labels(outcome=_outcome)
DIRECTORY_EVENTS = Counter(
    "directory_events_total", "Profile events applied to the directory, by outcome.", ["outcome"]
)
for _outcome in ("applied", "skipped"):
    DIRECTORY_EVENTS.labels(outcome=_outcome)
