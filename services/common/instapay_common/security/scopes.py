"""OAuth scopes and roles, shared by the auth service (which grants them) and every service
(which enforces them). A name, not domain logic: what each route requires lives in its service.
"""

# Scopes a user may grant a third-party API client (API contract, "Third-party API clients").
PROFILE_READ = "profile:read"
WALLET_READ = "wallet:read"
TRANSACTIONS_READ = "transactions:read"
TRANSFERS_WRITE = "transfers:write"  # transfers, top-ups, paying requests
WALLET_WITHDRAW = "wallet:withdraw"  # money out of the platform: a grant of its own
REPORTS_READ = "reports:read"
CLIENT_SCOPES = frozenset(
    {PROFILE_READ, WALLET_READ, TRANSACTIONS_READ, TRANSFERS_WRITE, WALLET_WITHDRAW, REPORTS_READ}
)
# Scopes that move money: granting one to an API client needs the PIN, as moving money does.
MONEY_SCOPES = frozenset({TRANSFERS_WRITE, WALLET_WITHDRAW})

# Scopes only a user's own (password-login) token carries: account management.
PROFILE_WRITE = "profile:write"
NOTIFICATIONS = "notifications"
ACCOUNT_MANAGE = "account:manage"  # sessions, password, PIN, API clients
USER_SCOPES = CLIENT_SCOPES | {PROFILE_WRITE, NOTIFICATIONS, ACCOUNT_MANAGE}

ROLE_ADMIN = "admin"
