"""The guard: every check a request passes before it is forwarded or answered (token, revocation,
quotas, operator paths, security headers), built once in the lifespan by `setup`."""
