"""Auth metrics (names fixed: the observability dashboards are built on them)."""

from prometheus_client import Counter

LOGINS = Counter("auth_logins_total", "Login attempts by outcome.", ["outcome"])
PIN_VERIFICATIONS = Counter("auth_pin_verifications_total", "PIN checks by outcome.", ["outcome"])
CODES = Counter("auth_codes_total", "One-time codes sent and checked, by purpose and outcome.", ["purpose", "outcome"])
REGISTRATIONS = Counter("auth_registrations_total", "Registrations by outcome.", ["outcome"])

# Present from the start (0), so dashboards and alerts see every series before the first event.
for _o in ("success", "invalid_credentials", "rate_limited", "locked"):
    LOGINS.labels(_o)
for _o in ("success", "invalid_pin", "pin_not_set", "locked"):
    PIN_VERIFICATIONS.labels(_o)
for _o in ("success", "conflict", "weak_password", "unavailable"):
    REGISTRATIONS.labels(_o)
