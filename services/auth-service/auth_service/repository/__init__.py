"""All SQL of the auth service, one module per aggregate: `credentials` (identity, password,
PIN, login-failure count), `sessions` (login sessions and their refresh tokens), `clients`
(third-party API clients), `quarantine` (released phones and e-mails). Functions take the
caller's `session` (AsyncSession) or `db` (the raw `Database`) and return frozen rows; they never
commit (the use case does, once, so its writes and its event share a transaction), and roll back
only to turn a unique-key violation into its conflict error."""
