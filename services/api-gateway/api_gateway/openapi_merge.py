"""Merges the services' OpenAPI documents into the one public API the gateway exposes.

Only paths the gateway routes to the service that documents them are kept (internal endpoints
never appear). Schema names that two services define differently are prefixed with the service.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from api_gateway.routing import RouteTable

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}
WEBHOOK_ROUTES = "/api/v1/webhooks/endpoints"  # whoever serves these sends the webhooks


def _rename_refs(spec: dict[str, Any], renames: dict[str, str]) -> dict[str, Any]:
    if not renames:
        return spec
    text = json.dumps(spec)
    for old, new in renames.items():
        text = text.replace(f'"#/components/schemas/{old}"', f'"#/components/schemas/{new}"')
    renamed: dict[str, Any] = json.loads(text)
    return renamed


def merge_specs(
    gateway_spec: dict[str, Any], service_specs: dict[str, dict[str, Any]], table: RouteTable
) -> dict[str, Any]:
    merged = copy.deepcopy(gateway_spec)
    merged.setdefault("paths", {})
    schemas: dict[str, Any] = merged.setdefault("components", {}).setdefault("schemas", {})
    for service, raw in sorted(service_specs.items()):
        spec_schemas = raw.get("components", {}).get("schemas", {})
        renames = {
            name: f"{service.capitalize()}{name}"
            for name, body in spec_schemas.items()
            if name in schemas and schemas[name] != body
        }
        spec = _rename_refs(raw, renames)
        for name, body in spec.get("components", {}).get("schemas", {}).items():
            schemas.setdefault(renames.get(name, name), body)
        for name, body in spec.get("components", {}).get("securitySchemes", {}).items():
            merged["components"].setdefault("securitySchemes", {}).setdefault(name, body)
        for path, item in spec.get("paths", {}).items():
            matched = table.match(path)
            if matched is None or matched[1] != service:
                continue  # internal, or owned by another service
            for method, op in item.items():
                if method in HTTP_METHODS:
                    op.setdefault("tags", [service])
            merged["paths"][path] = item
        # OpenAPI 3.1 `webhooks` (requests we send, not routes): kept from the service that
        # owns the webhook routes, so generated clients get the payload types.
        owner = table.match(WEBHOOK_ROUTES)
        if spec.get("webhooks") and owner is not None and owner[1] == service:
            merged.setdefault("webhooks", {}).update(spec["webhooks"])
    merged["paths"] = dict(sorted(merged["paths"].items()))
    merged["components"]["securitySchemes"] = merged["components"].get("securitySchemes") or {
        "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    }
    return merged
