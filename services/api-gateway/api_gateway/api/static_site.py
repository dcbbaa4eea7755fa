"""Serves the built web app (frontend/dist) at `/`, with index.html for client-side routes."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

DEFAULT_DIST = Path(__file__).resolve().parents[4] / "frontend" / "dist"  # api_gateway/api/ -> repo root


class SpaStaticFiles(StaticFiles):
    """Unknown paths fall back to index.html so deep links (/history, /send) work on reload."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404 or path.startswith(("api/", ".well-known/")):
                raise
            return FileResponse(Path(str(self.directory)) / "index.html", headers={"Cache-Control": "no-cache"})


def mount_web_app(app: FastAPI, dist: Path = DEFAULT_DIST) -> bool:
    """Mounts the app when it has been built; returns whether it was."""
    if not (dist / "index.html").is_file():
        return False
    app.mount("/", SpaStaticFiles(directory=dist, html=True), name="web")
    return True
