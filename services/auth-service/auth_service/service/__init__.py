"""The auth service's use cases, one module each: `registration`, `login`, `sessions` (token
pairs, refresh rotation, revocation), `clients` (API clients), `account` (password, PIN, roles),
`revocation` (ending every grant of an account at once). No SQL here: every statement is in
`auth_service.repository`. Functions that change state commit their own transaction."""
