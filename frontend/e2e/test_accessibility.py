"""axe-core on every page of the web app, in English and Arabic, at 375 px and 1280 px: no
`serious` or `critical` violation anywhere. A summary (violations per page by impact) is printed
and written to test-artifacts/axe-summary.json."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import httpx
import pytest
from helpers import WebUser, axe_violations, log_in, new_identity, sign_up, top_up
from playwright.sync_api import Page, expect

from instapay_stack.e2e import login

pytestmark = pytest.mark.timeout(1200)

WIDTHS = (375, 1280)
LANGS = ("en", "ar")
BLOCKING = {"serious", "critical"}
# Signed out: the pages before a session.
GUEST_PAGES = {"login": "/login", "register": "/register", "forgot password": "/forgot-password"}


def signed_in_pages(user_id: str, handle: str, *, transaction_id: str, pay_token: str) -> dict[str, str]:
    return {
        "dashboard": "/",
        "send": "/send",
        "wallet": "/wallet",
        "requests": "/requests",
        "history": "/history",
        "transaction detail": f"/transactions/{transaction_id}",
        "receive": "/receive",
        "pay by link": f"/pay/{pay_token}",
        "reports": "/reports",
        "profile": "/profile",
        "security": "/security",
        "verify": "/verify",
        "admin overview": "/admin",
        "admin users": f"/admin/users?q={handle}",
        "admin user": f"/admin/users/{user_id}",
        "admin reconciliation": "/admin/reconciliation",
    }


def open_in_app(page: Page, path: str) -> None:
    """Client-side navigation (as a click on a link does): no page load, so no session restore
    per page; then waits for the screen's heading and for its data."""
    page.evaluate("(path) => { history.pushState({}, '', path); dispatchEvent(new PopStateEvent('popstate')); }", path)
    expect(page.locator("main h1, main h2").first).to_be_visible()
    expect(page.locator("main p.muted[role=status]")).to_have_count(0)  # the Loading placeholder


def set_language(page: Page, user: WebUser, lang: str) -> None:
    gateway = "/".join(page.url.split("/", 3)[:3])
    token = login(gateway, user.handle, user.password)["access_token"]
    r = httpx.patch(
        gateway + "/api/v1/users/me",
        json={"preferences": {"language": lang}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.text
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", lang)


def test_no_page_has_serious_or_critical_accessibility_violations(
    new_page, grant_admin, console, sms, artifacts_dir: Path
) -> None:
    # Granting the admin role ends the account's sessions; the open notification stream may be
    # refused (401) while reconnecting, before the sign-in below.
    console.allow(401, "/api/v1/notifications/stream")
    ada = new_identity("Ada")
    page = new_page()
    sign_up(page, ada, sms)
    grant_admin(ada.email)  # the admin pages too (a role change ends the sessions: sign in again)
    log_in(page, ada)
    gateway = "/".join(page.url.split("/", 3)[:3])
    token = login(gateway, ada.handle, ada.password)["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    me = httpx.get(gateway + "/api/v1/users/me", headers=auth).json()
    # Something to show in a transaction's details, and a payment link to open (Ada's own: the
    # pay screen then says she cannot pay herself, which is a screen too).
    top_up(page, "10.00")
    tx = httpx.get(gateway + "/api/v1/transactions", headers=auth).json()["items"][0]
    link = httpx.post(gateway + "/api/v1/payment-links", json={"amount": "5.00", "reference": "axe"}, headers=auth)
    assert link.status_code == 201, link.text
    pages = signed_in_pages(me["user_id"], ada.handle, transaction_id=tx["id"], pay_token=link.json()["token"])

    summary: dict[str, dict] = {}
    blocking: list[str] = []

    def record(name: str, lang: str, width: int, target: Page) -> None:
        violations = axe_violations(target)
        impacts = Counter(v["impact"] for v in violations)
        summary[f"{name} [{lang}, {width}px]"] = {
            "page": name,
            "language": lang,
            "width": width,
            "url": target.url,
            "by_impact": dict(impacts),
            "rules": sorted({f"{v['id']} ({v['impact']})" for v in violations}),
        }
        for v in violations:
            if v["impact"] in BLOCKING:
                targets = ", ".join(n["target"] for n in v["nodes"][:3])
                blocking.append(f"{name} [{lang}, {width}px]: {v['id']} ({v['impact']}) {v['help']} at {targets}")

    guest = new_page()
    for lang in LANGS:
        set_language(page, ada, lang)
        # A guest's language is the one last chosen on this device (kept in localStorage).
        guest.goto("/login")
        guest.evaluate("(lang) => localStorage.setItem('instapay.lang', lang)", lang)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 860})
            guest.set_viewport_size({"width": width, "height": 860})
            for name, path in pages.items():
                open_in_app(page, path)
                record(name, lang, width, page)
            for name, path in GUEST_PAGES.items():
                guest.goto(path)
                expect(guest.locator("html")).to_have_attribute("lang", lang)
                expect(guest.locator("main h1, h1").first).to_be_visible()
                record(name, lang, width, guest)

    out = artifacts_dir / "axe-summary.json"
    out.write_text(json.dumps(summary, indent=1, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    print(f"\naxe summary ({len(summary)} page views; {out}):")
    for key, entry in sorted(summary.items()):
        counts = ", ".join(f"{k} {n}" for k, n in sorted(entry["by_impact"].items())) or "no violations"
        print(f"  {key}: {counts}")
    assert not blocking, "serious or critical accessibility violations:\n" + "\n".join(blocking)
