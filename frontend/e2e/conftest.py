"""Browser fixtures for the web app's end-to-end tests: Debian's /usr/bin/chromium driven by
Playwright (never a downloaded browser), against the real stack (`stack` fixture) whose gateway
serves the built app (frontend/dist) at /."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect, sync_playwright

# The tests import their step helpers (helpers.py) by name; pytest's importlib mode does not put
# test folders on sys.path, so this folder is added here.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers import SmsInbox  # (importable once the path above is set)

# The stack runs on a shared, busy machine: give each expectation room (no fixed sleeps anywhere).
expect.set_options(timeout=15_000)

CHROMIUM = Path("/usr/bin/chromium")
DIST_INDEX = Path(__file__).resolve().parents[1] / "dist" / "index.html"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Signed out, the app asks the refresh endpoint whether the httpOnly cookie holds a session (it
# cannot read the cookie): a 401 there is the expected "no session" answer. Chromium logs every
# non-2xx response as a console error, so only that one is tolerated; anything else fails.
EXPECTED_URL = "/api/v1/auth/refresh"


@dataclass
class ConsoleLog:
    errors: list[str] = field(default_factory=list)
    allowed: list[tuple[int, str]] = field(default_factory=lambda: [(401, EXPECTED_URL)])

    def allow(self, status: int, path: str) -> None:
        """A test that provokes an API error on purpose names it (Chromium logs every 4xx)."""
        self.allowed.append((status, path))

    def _expected(self, text: str, url: str) -> bool:
        path = url.split("?", 1)[0]
        return any(f"status of {status} " in text and path.endswith(p) for status, p in self.allowed)

    def watch(self, page: Page) -> None:
        def on_console(msg: ConsoleMessage) -> None:
            if msg.type != "error":
                return
            url = (msg.location or {}).get("url", "")
            if self._expected(msg.text, url):
                return
            self.errors.append(f"{page.url}: {msg.text} ({url})")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: uncaught {exc}"))


@pytest.fixture(scope="session")
def browser(web_url: str) -> Iterator[Browser]:
    # Depends on web_url so the stack (whose setup and teardown use asyncio.run) starts before and
    # stops after sync Playwright, which keeps an event loop running in this thread while open.
    assert CHROMIUM.exists(), "Debian chromium is missing: run `make test-frontend-e2e` (it installs it)"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def web_url(stack) -> str:
    assert DIST_INDEX.is_file(), "frontend/dist is not built: run `make frontend-build` first"
    return stack.gateway_url


@pytest.fixture(scope="session")
def funding_confirms(stack) -> bool:
    """Whether the stack's funding provider ever confirms: the provider simulator sends the signed
    callbacks that complete bank top-ups and withdrawals; the in-process provider never does, so
    they stay pending there."""
    return stack.env.get("FUNDING_PROVIDER", "in_process") != "in_process"


@pytest.fixture
def grant_admin(stack) -> Callable[[str], None]:
    """Gives the account with this e-mail the admin role, as an operator would (`make admin`)."""

    def grant(email: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "auth_service.admin", "grant", "--email", email],
            env={**os.environ, "DATABASE_URL": stack.config.database_url},
            check=True,
            capture_output=True,
            timeout=60,
        )

    return grant


@pytest.fixture
def console() -> Iterator[ConsoleLog]:
    log = ConsoleLog()
    yield log
    assert not log.errors, "console errors:\n" + "\n".join(log.errors)


@pytest.fixture
def screenshots(artifacts_dir: Path) -> Path:
    path = artifacts_dir / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def new_page(browser: Browser, web_url: str, console: ConsoleLog) -> Iterator[Callable[..., Page]]:
    """Opens a page in a fresh browser context (its own cookies: one per user)."""
    contexts: list[BrowserContext] = []

    def open_page(*, width: int = 1280, height: int = 860) -> Page:
        ctx = browser.new_context(
            base_url=web_url, viewport={"width": width, "height": height}, accept_downloads=True, locale="en-US"
        )
        ctx.set_default_timeout(20_000)
        contexts.append(ctx)
        page = ctx.new_page()
        console.watch(page)
        return page

    yield open_page
    for ctx in contexts:
        ctx.close()


@pytest.fixture(scope="session")
def sms(stack) -> SmsInbox:
    """The stack's SMS sink (verification and password-reset codes arrive there)."""
    return SmsInbox(stack.sms_dir)
