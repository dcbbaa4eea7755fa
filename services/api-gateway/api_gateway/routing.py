"""Longest-prefix routing of public paths to upstream services."""

from __future__ import annotations

# A route to this name is answered by the gateway's own routes (api/), after the guard: it is
# authenticated and rate-limited like a forwarded path, but nothing is forwarded as it is (the
# audit log, which the gateway gathers from several services: api/audit.py).
GATEWAY = "gateway"


class RouteTable:
    def __init__(self, routes: dict[str, str], upstreams: dict[str, str]) -> None:
        unknown = set(routes.values()) - set(upstreams) - {GATEWAY}
        if unknown:
            raise ValueError(f"GATEWAY_ROUTES names unknown upstreams: {sorted(unknown)}")
        # Longest first, so "/api/v1/admin/reports" wins over "/api/v1/admin".
        self._routes = sorted(((p.rstrip("/"), u) for p, u in routes.items()), key=lambda r: -len(r[0]))
        self.upstreams = upstreams

    def match(self, path: str) -> tuple[str, str] | None:
        """(matched prefix, upstream name) owning `path`, or None when the gateway does not route it."""
        for prefix, upstream in self._routes:
            if path == prefix or path.startswith(prefix + "/"):
                return prefix, upstream
        return None
