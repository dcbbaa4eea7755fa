"""The gateway serves the web app that `make frontend-build` writes: its default folder is the
repository's frontend/dist, wherever the module sits inside the package (the image keeps the same
layout under /app)."""

from api_gateway.api.static_site import DEFAULT_DIST
from instapay_stack.paths import REPO_ROOT


def test_the_default_web_app_folder_is_the_repositorys_frontend_dist():
    assert DEFAULT_DIST == REPO_ROOT / "frontend" / "dist"
