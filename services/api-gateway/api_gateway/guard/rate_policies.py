"""Rate-limit policies: which requests a quota covers and what it is keyed on (configuration).

Keys:
- `ip`: the client address (IPv6 by /64: one subscriber usually holds a whole /64).
- `account`: the account a request targets: the username/e-mail/client id in the body of the
  public auth endpoints, else the verified caller's user id. OWASP ties failed-login counting to
  the account, so spreading a brute force over many addresses does not help.
- `principal`: the verified caller's user: an API client's token counts on the user it acts for,
  so creating more clients never buys more quota.

`count: failures` policies count only answers whose status is in `failure_statuses` (a wrong
password), checked before forwarding and counted when the failure comes back.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

LOGIN = "/api/v1/auth/login"
TOKEN = "/api/v1/auth/token"
REGISTER = "/api/v1/auth/register"
PIN = "/api/v1/auth/pin"
PASSWORD = "/api/v1/auth/password"
CLIENTS = "/api/v1/auth/clients"
LOOKUP = "/api/v1/users/lookup"
# Resolving a payment link shows its owner's masked name: a lookup, on the same counters.
RESOLVE = "/api/v1/payment-links/resolve"
FORGOT = "/api/v1/auth/password/forgot"
RESET = "/api/v1/auth/password/reset"


class RateLimitPolicy(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9_.-]{1,40}$")
    limit: int = Field(gt=0)
    window_seconds: int = Field(gt=0, le=86_400)
    key: Literal["ip", "account", "principal"]
    # "*" = every path; "/prefix/*" = the prefix and below; anything else = that exact path.
    paths: tuple[str, ...] = ("*",)
    methods: tuple[str, ...] = ()  # empty = every method
    count: Literal["requests", "failures"] = "requests"
    failure_statuses: tuple[int, ...] = (401, 403)

    def matches(self, method: str, path: str) -> bool:
        if self.methods and method not in self.methods:
            return False
        for pattern in self.paths:
            if pattern == "*" or pattern == path:
                return True
            if pattern.endswith("/*") and (path == pattern[:-2] or path.startswith(pattern[:-1])):
                return True
        return False


DEFAULT_POLICIES: tuple[RateLimitPolicy, ...] = (
    # Everyone, every path: a ceiling per address that leaves room for carrier-grade NAT.
    RateLimitPolicy(name="ip", limit=1200, window_seconds=60, key="ip"),
    # Credential endpoints per address: slows guessing and mass registration from one place.
    # Refresh is not here: it has its own per-session limit in the auth service, so people behind
    # one carrier-grade NAT address never use up each other's session restores. Failed sign-ins
    # are throttled by the auth service alone (per resolved account and per address), which sees
    # every form of a username as one account and reserves each attempt before checking it.
    RateLimitPolicy(
        name="ip-auth",
        limit=30,
        window_seconds=60,
        key="ip",
        paths=(LOGIN, TOKEN, REGISTER),
        methods=("POST",),
    ),
    # Registration attempts per e-mail (enumeration of taken addresses).
    RateLimitPolicy(
        name="account-register", limit=10, window_seconds=3600, key="account", paths=(REGISTER,), methods=("POST",)
    ),
    # Endpoints that check the password (and PIN) again: PIN change, password change, a new API
    # client. Wrong answers per user, so a stolen token cannot guess either.
    RateLimitPolicy(
        name="account-secrets",
        limit=5,
        window_seconds=900,
        key="account",
        paths=(PIN, PASSWORD, CLIENTS),
        methods=("POST", "PUT"),
        count="failures",
    ),
    # Password recovery (public): per address, and per account named in the body. The auth
    # service adds its own limits per account (codes: resends, tries).
    RateLimitPolicy(
        name="ip-recovery", limit=10, window_seconds=60, key="ip", paths=(FORGOT, RESET), methods=("POST",)
    ),
    RateLimitPolicy(
        name="account-recovery", limit=10, window_seconds=3600, key="account", paths=(FORGOT, RESET), methods=("POST",)
    ),
    # Recipient lookup reveals who is registered: per user and per address. Resolving a payment
    # link names its owner too, so it shares these counters (and the user service's budget).
    RateLimitPolicy(name="lookup", limit=30, window_seconds=60, key="principal", paths=(LOOKUP, RESOLVE)),
    RateLimitPolicy(name="ip-lookup", limit=60, window_seconds=60, key="ip", paths=(LOOKUP, RESOLVE)),
    # Every authenticated call, per user or per API client.
    RateLimitPolicy(name="principal", limit=600, window_seconds=60, key="principal"),
)
