"""`/openapi.json` and `/docs` on the gateway: the merged public API, fetched from the services
(cached briefly), so the documentation is always that of the running code.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import HTMLResponse, JSONResponse

from api_gateway.openapi_merge import merge_specs

CACHE_SECONDS = 30.0


async def _fetch(session: aiohttp.ClientSession, url: str) -> dict[str, Any] | None:
    try:
        async with session.get(url + "/openapi.json", timeout=aiohttp.ClientTimeout(total=3)) as resp:
            return await resp.json() if resp.status == 200 else None
    except (aiohttp.ClientError, TimeoutError, ValueError):
        return None


def install_docs(app: FastAPI) -> None:
    """Adds the merged docs routes (the app is created with its own docs switched off)."""
    cache: dict[str, Any] = {"at": 0.0, "spec": None}

    async def merged_openapi(request: Request) -> JSONResponse:
        if cache["spec"] is None or time.monotonic() - cache["at"] > CACHE_SECONDS:
            upstreams: dict[str, str] = request.app.state.route_table.upstreams
            names = list(upstreams)
            specs = await asyncio.gather(*(_fetch(request.app.state.http, upstreams[n]) for n in names))
            found = {n: s for n, s in zip(names, specs, strict=True) if s}
            cache["spec"] = merge_specs(app.openapi(), found, request.app.state.route_table)
            # Only cache a complete document; a service that is down is retried next time.
            cache["at"] = time.monotonic() if len(found) == len(names) else 0.0
        return JSONResponse(cache["spec"])

    async def swagger(_: Request) -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="Mini-InstaPay API")

    app.add_route("/openapi.json", merged_openapi, include_in_schema=False)
    app.add_route("/docs", swagger, include_in_schema=False)
