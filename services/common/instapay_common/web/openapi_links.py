"""OpenAPI links: "the id this answer carries is the `{id}` of that operation".

Clients and generated SDKs read them to know which call follows which, and schemathesis' stateful
phase uses them to chain real requests (create a payment request, then accept, decline or cancel
*that* request) instead of guessing ids that only ever get 404s.

Links point at their target by `operationRef` (the path and method), not `operationId`: FastAPI
derives operation ids from function names, and the gateway's merged document keeps paths as they
are, so a path is the stable name. A service can only link to its own operations (the merged
document drops nothing a link here points at).
"""

from __future__ import annotations

from typing import Any


def link(path: str, method: str, description: str, **parameters: str) -> dict[str, Any]:
    """One link object; `parameters` maps the target's parameter names to runtime expressions,
    e.g. `request_id="$response.body#/id"`."""
    pointer = path.replace("~", "~0").replace("/", "~1")
    return {"operationRef": f"#/paths/{pointer}/{method.lower()}", "parameters": parameters, "description": description}


def with_links(
    responses: dict[int | str, dict[str, Any]], status: int, **links: dict[str, Any]
) -> dict[int | str, dict[str, Any]]:
    """`responses=` with `links` added to the entry for `status` (which must be there)."""
    entry = dict(responses[status])
    entry["links"] = {**entry.get("links", {}), **links}
    return {**responses, status: entry}
