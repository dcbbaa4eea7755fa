"""Longest-prefix routing of public paths to upstream services."""

from __future__ import annotations


class RouteTable:
    def __init__(self, routes: dict[str, str], upstreams: dict[str, str]) -> None:
        unknown = set(routes.values()) - set(upstreams)
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
