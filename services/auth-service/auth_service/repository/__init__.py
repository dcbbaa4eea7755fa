"""All SQL of the auth service, one module per aggregate: `credentials` (identity, password,
PIN, login-failure count), `sessions` (login sessions and their refresh tokens), `clients`
(third-party API clients). Functions take the caller's `session` (AsyncSession) or `db` (the raw
`Database`), never commit, and return frozen rows."""
