"""The operators' console in a real browser against the real stack: an admin finds a user, proposes
freezing their wallet with a reason, a second admin approves it (two-person control), the user is
told (a notice and a notification) and how to reach support, the admin unfreezes it (approved
again); a user without the admin role gets no console. Phone screenshots
of the overview in English and Arabic go to test-artifacts/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from helpers import WebUser, check_a11y, log_in, new_identity, open_bell, poll, sign_up, wait_loaded
from playwright.sync_api import Page, expect

from instapay_stack.e2e import approve_pending, login, make_admin, register_user

pytestmark = pytest.mark.timeout(900)

SUPPORT = "support@instapay.local"


_WIDEST = """(width) => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > width + 0.5 || el.getBoundingClientRect().left < -0.5)
  .slice(-3).map((el) => { const r = el.getBoundingClientRect(); const p = el.parentElement.getBoundingClientRect();
    return `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || "").slice(0, 30)}" ` +
      `[${Math.round(r.left)}-${Math.round(r.right)} in ${Math.round(p.left)}-${Math.round(p.right)}]`; })"""


def assert_fits(page: Page, width: int) -> None:
    """Nothing is cut off: the page does not scroll sideways (the message names what sticks out)."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    if overflow > width:
        raise AssertionError(f"{page.url} is {overflow}px wide at {width}px: {page.evaluate(_WIDEST, width)}")


def set_language(page: Page, user: WebUser, lang: str) -> None:
    """Saves the language in the user's profile (what the app follows once signed in) and reloads."""
    gateway = "/".join(page.url.split("/", 3)[:3])
    token = login(gateway, user.handle, user.password)["access_token"]
    r = httpx.patch(
        gateway + "/api/v1/users/me",
        json={"preferences": {"language": lang}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.text
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def freeze_panel_action(page: Page, reason: str, review: str, confirm: str, says: str) -> None:
    """Types the reason, asks for the review, finds `says` in the confirmation, confirms."""
    panel = page.get_by_test_id("freeze-panel")
    panel.get_by_role("textbox").fill(reason)
    panel.get_by_role("button", name=review).click()
    question = panel.get_by_role("group")
    expect(question).to_contain_text(says)
    check_a11y(page, "admin, freeze confirmation")
    panel.get_by_role("button", name=confirm).click()


def test_an_admin_freezes_and_unfreezes_a_wallet_and_its_owner_is_told(
    new_page, grant_admin, console, screenshots: Path, sms, stack
) -> None:
    # Granting the role ends the account's sessions: its open notification stream may be refused
    # (401) on reconnecting before the page reloads to the sign-in screen.
    console.allow(401, "/api/v1/notifications/stream")
    olga, mona = new_identity("Olga"), new_identity("Mona")
    admin = new_page(width=375, height=812)
    owner = new_page()
    sign_up(admin, olga, sms)
    sign_up(owner, mona, sms)

    # Without the role: no admin entry, and /admin says so (the server refuses the calls anyway).
    expect(owner.locator('a[href="/admin"]')).to_have_count(0)
    owner.goto("/admin")
    expect(owner.get_by_role("heading", level=1, name="Not allowed")).to_be_visible()
    expect(owner.get_by_role("navigation", name="Administration sections")).to_have_count(0)
    check_a11y(owner, "admin, not allowed")

    # A role change ends the account's sessions: sign in again for a token with the role.
    grant_admin(olga.email)
    admin.reload()
    expect(admin.get_by_role("button", name="Log in")).to_be_visible()
    log_in(admin, olga)
    expect(admin.locator('a[href="/admin"]').first).to_be_attached()
    admin.goto("/admin")
    expect(admin.get_by_role("heading", name="Platform overview")).to_be_visible()
    expect(admin.get_by_test_id("admin-stats")).to_be_visible()
    wait_loaded(admin)
    assert_fits(admin, 375)
    check_a11y(admin, "admin overview (phone)")
    admin.screenshot(path=screenshots / "admin-overview-375.png", full_page=True)

    # Find Mona by her handle (typed with its @), open her page.
    sub = admin.get_by_role("navigation", name="Administration sections")
    sub.get_by_role("link", name="Users").click()
    admin.get_by_label("Handle, e-mail, phone or name").fill("@" + mona.handle)
    admin.get_by_role("button", name="Search").click()
    results = admin.get_by_test_id("admin-user-results")
    expect(results.get_by_role("link")).to_have_count(1)
    expect(results).to_contain_text(mona.full_name)
    assert_fits(admin, 375)
    check_a11y(admin, "admin, user search")
    results.get_by_role("link").click()
    expect(admin.get_by_role("heading", level=2, name=mona.full_name)).to_be_visible()
    expect(admin.get_by_test_id("admin-profile")).to_contain_text(mona.email)
    expect(admin.get_by_test_id("admin-wallet-status")).to_have_text("Active")
    check_a11y(admin, "admin, user page")

    # Freeze: a reason is required, then a confirmation.
    admin.get_by_role("button", name="Freeze…").click()
    expect(admin.get_by_text("Write the reason first.")).to_be_visible()
    freeze_panel_action(
        admin,
        "Card reported stolen",
        "Freeze…",
        "Yes, freeze the wallet",
        says="they will be told: \u2068Card reported stolen",
    )
    # Proposed only: nothing changes until another admin approves it.
    expect(admin.get_by_text(re.compile("another admin approves it"))).to_be_visible()
    expect(admin.get_by_test_id("admin-wallet-status")).to_have_text("Active")
    checker = make_admin(stack, register_user(stack.gateway_url))
    mona_id = admin.url.rstrip("/").rsplit("/", 1)[-1]
    approve_pending(stack.gateway_url, checker, action="wallet.freeze", subject=mona_id)
    admin.reload()
    expect(admin.get_by_test_id("admin-wallet-status")).to_have_text("Frozen")
    expect(admin.get_by_test_id("admin-frozen-reason")).to_have_text("Card reported stolen")
    assert_fits(admin, 375)
    admin.screenshot(path=screenshots / "admin-user-frozen-375.png", full_page=True)

    # Mona: the wallet says it is frozen, and a notification tells her why and whom to write to.
    gateway = "/".join(owner.url.split("/", 3)[:3])
    mona_token = login(gateway, mona.handle, mona.password)["access_token"]

    def delivered(kind: str) -> None:
        r = httpx.get(gateway + "/api/v1/notifications", headers={"Authorization": f"Bearer {mona_token}"})
        assert r.status_code == 200, r.text
        assert kind in [n["type"] for n in r.json()["items"]], r.json()["items"][:3]

    def told(kind: str, title: str) -> None:
        poll(lambda: delivered(kind), timeout=60, what=f"the {kind} notification")
        owner.goto("/")
        expect(owner.get_by_role("heading", name="Balance")).to_be_visible()
        open_bell(owner)
        expect(owner.get_by_role("dialog", name="Notifications")).to_contain_text(title)

    told("wallet.frozen", "Your wallet is frozen")
    dialog = owner.get_by_role("dialog", name="Notifications")
    expect(dialog).to_contain_text("Card reported stolen")
    expect(dialog).to_contain_text(SUPPORT)
    owner.keyboard.press("Escape")
    expect(owner.get_by_role("main")).to_contain_text(re.compile("frozen", re.IGNORECASE))

    # Unfreeze, with a reason for the audit log and a confirmation; Mona is told.
    freeze_panel_action(
        admin, "Documents checked", "Unfreeze…", "Yes, unfreeze the wallet", says="Money can move again"
    )
    expect(admin.get_by_text(re.compile("another admin approves it"))).to_be_visible()
    approve_pending(stack.gateway_url, checker, action="wallet.unfreeze", subject=mona_id)
    admin.reload()
    expect(admin.get_by_test_id("admin-wallet-status")).to_have_text("Active")
    owner.keyboard.press("Escape")
    told("wallet.unfrozen", "Your wallet is active again")

    # Approvals reads both as actions in words, with the wallet each left as the wallet panel shows it.
    admin.goto("/admin/approvals")
    for action, name, reason, status in (
        ("wallet.freeze", "Freeze a wallet", "Card reported stolen", "Frozen"),
        ("wallet.unfreeze", "Unfreeze a wallet", "Documents checked", "Active"),
    ):
        item = admin.locator(f'[data-testid="approval"][data-action="{action}"]').filter(has_text=mona_id).first
        expect(item.get_by_test_id("approval-action")).to_have_text(name)
        expect(item.get_by_test_id("approval-payload")).to_contain_text(f"Reason{reason}")
        result = item.get_by_test_id("approval-wallet")
        expect(result).to_contain_text(f"Status{status}")
        expect(result).to_contain_text(re.compile(r"AvailableEGP\s[\d,]+\.\d\d"))
        expect(result).to_contain_text("Limit per transaction")
        expect(item).not_to_contain_text(re.compile(r"available_balance|per_transaction|[{}]"))
    assert_fits(admin, 375)

    # The overview in Arabic, on the phone.
    set_language(admin, olga, "ar")
    admin.goto("/admin")
    expect(admin.get_by_role("heading", name="نظرة عامة على المنصة")).to_be_visible()
    expect(admin.get_by_test_id("admin-stats")).to_be_visible()
    wait_loaded(admin)
    expect(admin.locator("html")).to_have_attribute("dir", "rtl")
    assert_fits(admin, 375)
    check_a11y(admin, "admin overview (ar, phone)")
    admin.screenshot(path=screenshots / "admin-overview-375-ar.png", full_page=True)
