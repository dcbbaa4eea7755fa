"""Business metrics of the money core (names fixed: dashboards are built on them)."""

from prometheus_client import Counter, Gauge

TRANSFERS = Counter("transfers_total", "Transfers by outcome and decline code.", ["outcome", "code"])
MONEY_MOVED = Counter("money_moved_total", "Sum of completed amounts in EGP (for dashboards only).", ["type"])
TOPUPS = Counter("topups_total", "Top-ups by outcome.", ["outcome"])
WITHDRAWALS = Counter("withdrawals_total", "Withdrawals by outcome.", ["outcome"])
WALLETS = Gauge("wallets_total", "User wallets in the ledger.")
IDEMPOTENT_REPLAYS = Counter("idempotent_replays_total", "Answers replayed from a stored idempotency key.")
