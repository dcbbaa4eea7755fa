"""The web app end to end, in a real browser against the real stack: two people sign up, top up,
send money, see it arrive live, request and pay, browse history and reports, download a
statement, and log out. Screenshots of the main screens go to test-artifacts/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import (
    AR,
    PIN,
    audit_every_screen,
    check_a11y,
    expect_balance,
    go,
    log_in,
    log_out,
    money_re,
    nav,
    new_identity,
    open_bell,
    poll,
    sign_up,
    tab_to,
    top_up,
    unread_count,
    wait_loaded,
    withdraw,
)
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.timeout(900)


def assert_fits(page: Page, width: int) -> None:
    """Nothing is cut off: the page does not scroll sideways at this width."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= width, f"{page.url} is {overflow}px wide at a {width}px viewport"


def test_two_people_pay_each_other(new_page, screenshots: Path, sms) -> None:
    alice, bob = new_identity("Alice"), new_identity("Bob")
    a = new_page()
    b = new_page()

    # Sign up (with PIN setup) on both sides.
    sign_up(a, alice, sms, audit=True)
    sign_up(b, bob, sms)
    expect_balance(a, "0.00")
    check_a11y(a, "dashboard")
    a.screenshot(path=screenshots / "dashboard.png", full_page=True)

    # Alice tops up; the session survives a reload (refresh cookie, token only in memory).
    top_up(a, "500.00")
    expect(a.get_by_test_id("balance")).to_have_text(money_re("500.00"))
    a.reload()
    expect_balance(a, "500.00")
    assert a.evaluate("() => JSON.stringify({...localStorage, ...sessionStorage})").find("eyJ") < 0, (
        "a token was written to web storage"
    )

    # Bob waits on his dashboard with nothing unread.
    b.goto("/")
    expect_balance(b, "0.00")
    open_bell(b)
    if unread_count(b):
        b.get_by_role("button", name="Mark all as read").click()
    expect(b.get_by_test_id("unread-count")).to_have_count(0)
    b.keyboard.press("Escape")

    # Alice sends: the masked name shows before she confirms.
    nav(a, "Send")
    a.get_by_label("Recipient (handle, phone or email)").fill(bob.handle)
    a.get_by_role("button", name="Find recipient").click()
    shown = a.get_by_test_id("recipient-name")
    expect(shown).to_have_text(re.compile(r"^Bob\b"))
    assert shown.inner_text() != bob.full_name, "the recipient's full name must not be revealed"
    a.get_by_label("Amount (EGP)").fill("125.50")
    a.get_by_label("Note (optional)").fill("lunch")
    a.get_by_role("button", name="Review").click()
    expect(a.get_by_test_id("send-review")).to_contain_text("lunch")
    a.get_by_label("Transaction PIN").fill(PIN)
    a.screenshot(path=screenshots / "send.png", full_page=True)
    check_a11y(a, "send, recipient found")
    a.get_by_role("button", name="Confirm and send").click()
    expect(a.get_by_role("status").filter(has_text="Sent")).to_be_visible()
    check_a11y(a, "send, sent")

    # Bob sees it live (SSE): unread badge and balance update without a reload.
    expect(b.get_by_test_id("unread-count")).to_be_visible(timeout=20_000)
    expect_balance(b, "125.50")
    open_bell(b)
    expect(b.get_by_role("dialog", name="Notifications").locator("li.unread").first).to_be_visible()
    b.screenshot(path=screenshots / "notifications.png")
    check_a11y(b, "notifications open")
    b.keyboard.press("Escape")

    # Bob requests 20.00 from Alice; Alice accepts with her PIN.
    nav(b, "Requests")
    b.get_by_label("Who pays").fill(alice.handle)
    b.get_by_role("button", name="Find who pays").click()
    expect(b.get_by_test_id("payer-name")).to_have_text(re.compile(r"^Alice\b"))
    b.get_by_label("Amount (EGP)").fill("20")
    b.get_by_label("Note (optional)").fill("coffee")
    b.get_by_role("button", name="Send request").click()
    expect(b.get_by_role("status").filter(has_text="Request sent")).to_be_visible()
    b.get_by_role("tab", name="Outgoing").click()
    expect(b.get_by_test_id("payment-request").first).to_contain_text("Pending")
    check_a11y(b, "requests, outgoing")

    nav(a, "Requests")
    request = a.get_by_test_id("payment-request").filter(has_text="coffee")
    expect(request).to_contain_text("Pending", timeout=20_000)
    a.screenshot(path=screenshots / "requests.png", full_page=True)
    request.get_by_role("button", name="Accept and pay").click()
    request.get_by_label("Transaction PIN").fill(PIN)
    check_a11y(a, "requests, accepting with the PIN")
    request.get_by_role("button", name="Accept and pay").click()
    expect(request).to_contain_text("Paid")
    nav(b, "Dashboard")
    expect_balance(b, "145.50")

    # History: everything Alice did, newest first, and the filters narrow it down.
    nav(a, "History")
    rows = a.get_by_test_id("history-list").locator("li")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text(money_re("20.00"))
    expect(rows.nth(1)).to_contain_text("lunch")
    a.get_by_label("Type").select_option("topup")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Top-up")
    a.get_by_label("Type").select_option("")
    a.get_by_label("Direction").select_option("out")
    expect(rows).to_have_count(2)
    a.screenshot(path=screenshots / "history.png", full_page=True)
    check_a11y(a, "history, filtered")

    # Reports: totals from the reporting read model (eventually consistent), chart, CSV statement.
    nav(a, "Reports")

    def totals_are_in() -> None:
        a.reload()
        expect(a.get_by_test_id("total-sent")).to_have_text(money_re("145.50"), timeout=5_000)

    poll(totals_are_in, timeout=45, what="the report to show 145.50 sent")
    expect(a.get_by_role("img", name="Sent and received per period")).to_be_visible()
    expect(a.get_by_text(f"@{bob.handle}")).to_be_visible()
    a.screenshot(path=screenshots / "reports.png", full_page=True)
    check_a11y(a, "reports")
    with a.expect_download() as download_info:
        a.get_by_role("button", name="Download CSV statement").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    csv_text = Path(download.path()).read_text(encoding="utf-8")
    assert "125.50" in csv_text and "500.00" in csv_text, csv_text[:500]

    # Withdraw with the PIN: requested (pending), the amount no longer available at once.
    withdraw(a, "4.50")
    expect_balance(a, "350.00")  # available: 500 - 125.50 - 20 - 4.50
    check_a11y(a, "top up & withdraw, withdrawal requested")
    for path in ("/profile", "/security"):
        go(a, path)
        check_a11y(a, path)

    # Log out: back to the login page, and a reload does not bring the session back.
    log_out(a)
    expect(a.get_by_role("heading", name="Log in to Mini-InstaPay")).to_be_visible()
    check_a11y(a, "login")
    a.goto("/")
    expect(a).to_have_url(re.compile(r"/login$"))


def test_errors_are_explained(new_page, console, sms) -> None:
    # The wrong PIN (403) and the insufficient funds (422) are provoked on purpose.
    console.allow(403, "/api/v1/transfers")
    console.allow(422, "/api/v1/transfers")
    carol, dave = new_identity("Carol"), new_identity("Dave")
    d = new_page()
    sign_up(d, dave, sms)
    c = new_page()
    sign_up(c, carol, sms)

    nav(c, "Send")
    c.get_by_label("Recipient (handle, phone or email)").fill(dave.handle)
    c.get_by_role("button", name="Find recipient").click()
    expect(c.get_by_test_id("recipient-name")).to_be_visible()
    c.get_by_label("Amount (EGP)").fill("10.123")
    c.get_by_role("button", name="Review").click()
    expect(c.get_by_text("at most 2 decimals")).to_be_visible()
    check_a11y(c, "send with a validation error")

    c.get_by_label("Amount (EGP)").fill("10")
    c.get_by_role("button", name="Review").click()
    c.get_by_label("Transaction PIN").fill("000000")
    c.get_by_role("button", name="Confirm and send").click()
    expect(c.get_by_role("alert")).to_contain_text("Wrong PIN")
    check_a11y(c, "send with a server error")

    c.get_by_label("Transaction PIN").fill(PIN)
    c.get_by_role("button", name="Confirm and send").click()
    expect(c.get_by_role("alert")).to_contain_text("Insufficient funds")


def test_send_money_with_the_keyboard_only(new_page, console, sms) -> None:
    """Tab, typing and Enter only, from the dashboard to a completed transfer. A refused submit puts
    focus on the first invalid field (whose error is its description), a refused PIN on the PIN."""
    console.allow(403, "/api/v1/transfers")
    gina, hank = new_identity("Gina"), new_identity("Hank")
    h = new_page()
    sign_up(h, hank, sms)
    g = new_page()
    sign_up(g, gina, sms)
    top_up(g, "50.00")
    nav(g, "Dashboard")
    expect(g.get_by_role("main")).to_be_focused()  # the app moves focus to the new screen's content

    tab_to(g, g.get_by_role("main").get_by_role("link", name="Send", exact=True))
    g.keyboard.press("Enter")
    expect(g).to_have_url(re.compile(r"/send$"))
    expect(g.get_by_role("main")).to_be_focused()  # the new screen, as after a page load
    recipient = g.get_by_label("Recipient (handle, phone or email)")
    tab_to(g, recipient)
    g.keyboard.press("Enter")  # nothing typed yet
    expect(recipient).to_be_focused()
    expect(recipient).to_have_attribute("aria-invalid", "true")
    g.keyboard.type(hank.handle)
    g.keyboard.press("Enter")
    expect(g.get_by_test_id("recipient-name")).to_have_text(re.compile(r"^Hank\b"))

    amount = g.get_by_label("Amount (EGP)")
    expect(amount).to_be_focused()
    g.keyboard.type("12.345")
    g.keyboard.press("Enter")
    expect(amount).to_be_focused()
    expect(amount).to_have_accessible_description(re.compile("at most 2 decimals"))
    g.keyboard.press("Control+A")
    g.keyboard.type("12.50")
    g.keyboard.press("Tab")
    expect(g.get_by_label("Note (optional)")).to_be_focused()
    g.keyboard.type("keyboard only")
    g.keyboard.press("Enter")  # to the review, never straight to sending
    expect(g.get_by_test_id("send-review")).to_contain_text("keyboard only")
    pin = g.get_by_label("Transaction PIN")
    expect(pin).to_be_focused()
    g.keyboard.press("Enter")  # no PIN yet
    expect(pin).to_have_attribute("aria-invalid", "true")
    g.keyboard.type("000000")
    g.keyboard.press("Enter")
    expect(g.get_by_role("alert")).to_contain_text("Wrong PIN")
    expect(pin).to_be_focused()
    g.keyboard.type(PIN)
    tab_to(g, g.get_by_role("button", name="Confirm and send"))
    g.keyboard.press("Enter")
    sent = g.get_by_role("status").filter(has_text="Sent")
    expect(sent).to_be_focused()  # the form is gone: focus is on the confirmation, not lost
    expect(sent).to_contain_text("12.50")
    expect_balance(h, "12.50")


def test_phone_layout_and_arabic(new_page, screenshots: Path, sms) -> None:
    erin, jade = new_identity("Erin"), new_identity("Jade")
    sign_up(new_page(), jade, sms)  # someone to send to (sending to oneself is refused at the lookup)
    setup = new_page()
    sign_up(setup, erin, sms)
    top_up(setup, "100.00")  # something in the history, the limits and the bell

    phone = new_page(width=375, height=812)
    log_in(phone, erin)
    assert_fits(phone, 375)
    phone.screenshot(path=screenshots / "dashboard-375.png", full_page=True)
    nav(phone, "Send")
    phone.get_by_label("Recipient (handle, phone or email)").fill(jade.handle)
    phone.get_by_role("button", name="Find recipient").click()
    expect(phone.get_by_test_id("recipient-name")).to_have_text(re.compile(r"^Jade\b"))
    phone.get_by_label("Amount (EGP)").fill("70000.00")
    phone.get_by_label("Note (optional)").fill("rent for November, flat 12")
    phone.get_by_role("button", name="Review").click()
    expect(phone.get_by_role("button", name="Confirm and send")).to_be_in_viewport()
    assert_fits(phone, 375)
    phone.screenshot(path=screenshots / "send-375.png", full_page=True)
    audit_every_screen(phone, "en, phone")

    # Arabic: right-to-left layout, money with the Arabic currency symbol (Latin digits, as the
    # whole app writes numbers), saved as the user's preference.
    nav(phone, "Profile")
    phone.get_by_label("Language").select_option("ar")
    phone.get_by_role("button", name="Save").click()
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("html")).to_have_attribute("lang", "ar")
    nav(phone, "الرئيسية")
    expect(phone.get_by_test_id("balance")).to_contain_text("0.00 ج.م.")
    assert_fits(phone, 375)
    phone.screenshot(path=screenshots / "dashboard-375-ar.png", full_page=True)

    # Security page: sessions listed (this device marked), API client secret shown once.
    nav(phone, "الأمان")
    expect(phone.get_by_text("هذا الجهاز")).to_be_visible()
    phone.get_by_label("اسم التطبيق").fill("budget app")
    phone.get_by_label("أكّد بكلمة المرور").fill(erin.password)
    phone.get_by_role("button", name="إنشاء تطبيق").click()
    expect(phone.get_by_test_id("client-secret")).not_to_be_empty()
    phone.screenshot(path=screenshots / "security-375-ar.png", full_page=True)
    phone.reload()
    expect(phone.get_by_text("budget app")).to_be_visible()
    expect(phone.get_by_test_id("client-secret")).to_have_count(0)
    audit_every_screen(phone, "ar, phone")

    # The saved preference follows the user to another device: Arabic at desktop width.
    setup.reload()
    expect(setup.locator("html")).to_have_attribute("dir", "rtl")
    audit_every_screen(setup, "ar, desktop")

    # Signed out, still in Arabic: login at both widths, and a new account with its PIN step.
    for page, where in ((setup, "desktop"), (phone, "phone")):
        log_out(page)
        expect(page.get_by_role("heading", name="تسجيل الدخول إلى ميني إنستاباي")).to_be_visible()
        check_a11y(page, f"login (ar, {where})")
    sign_up(phone, new_identity("Farida"), sms, text=AR, audit=True)
    # Signed up in Arabic, the account is saved in Arabic: its profile (loaded by the page) says so,
    # and the app stays right-to-left instead of switching to the new profile's English default.
    nav(phone, "الملف الشخصي")
    expect(phone.get_by_label("اللغة")).to_have_value("ar")
    expect(phone.locator("html")).to_have_attribute("lang", "ar")


def test_pending_funding_on_a_phone(new_page, console, screenshots: Path, funding_confirms: bool, sms) -> None:
    """A bank top-up and a withdrawal are pending until the bank confirms: the app says so, holds
    the withdrawal apart from the available balance, marks the rows, and refuses a top-up over the
    limit in words. With the provider simulator in the stack they then complete; with the
    in-process provider (which never calls back) they stay pending."""
    console.allow(422, "/api/v1/wallet/topups")
    ivy = new_identity("Ivy")
    p = new_page(width=375, height=812)
    sign_up(p, ivy, sms)
    top_up(p, "100.00")  # card: completed at once

    # Bank top-up: 202 pending; nothing is added until the bank confirms.
    form = p.get_by_role("region", name="Top up")
    form.get_by_label("Amount (EGP)").fill("50.00")
    form.get_by_label("Bank account", exact=True).check()
    form.get_by_label("Card or account reference").fill("EG-TEST-ACCOUNT")
    form.get_by_role("button", name="Top up", exact=True).click()
    expect(form.get_by_role("status")).to_contain_text("We'll notify you when your bank confirms it")
    expect(form.get_by_label("Amount (EGP)")).to_have_value("")

    # Over the daily top-up limit (50,000.00 by default): explained, and the values are kept.
    form.get_by_label("Card", exact=True).check()
    form.get_by_label("Amount (EGP)").fill("50000.00")
    form.get_by_label("Card or account reference").fill("4111-TEST")
    form.get_by_role("button", name="Top up", exact=True).click()
    expect(form.get_by_role("alert")).to_contain_text("daily or monthly top-up limit")
    expect(form.get_by_label("Amount (EGP)")).to_have_value("50000.00")

    withdraw(p, "30.00")
    if not funding_confirms:  # (with the simulator the bank top-up may already be in: 120.00)
        expect_balance(p, "70.00")  # available: 100 - 30 held (the bank top-up is not in yet)
    assert_fits(p, 375)
    check_a11y(p, "top up & withdraw, pending (phone)")
    p.screenshot(path=screenshots / "wallet-pending-375.png", full_page=True)

    nav(p, "Dashboard")
    wait_loaded(p)
    recent = p.get_by_role("region", name="Recent activity")
    if not funding_confirms:
        expect(p.get_by_test_id("held-amount")).to_have_text(money_re("30.00"))
        expect(p.get_by_test_id("ledger-balance")).to_have_text(money_re("100.00"))
        expect(recent.locator("li[data-status=pending]")).to_have_count(2)
        expect(recent.locator("li[data-status=pending]").first).to_contain_text("Pending")
    assert_fits(p, 375)
    check_a11y(p, "dashboard, pending (phone)")
    p.screenshot(path=screenshots / "dashboard-pending-375.png", full_page=True)

    # The same at desktop width, on another device.
    d = new_page()
    log_in(d, ivy)
    wait_loaded(d)
    check_a11y(d, "dashboard, pending (desktop)")
    d.screenshot(path=screenshots / "dashboard-pending.png", full_page=True)
    go(d, "/history")
    d.screenshot(path=screenshots / "history-pending.png", full_page=True)

    # Arabic, right to left: the same states in Arabic words and digits.
    nav(p, "Profile")
    p.get_by_label("Language").select_option("ar")
    p.get_by_role("button", name="Save").click()
    expect(p.locator("html")).to_have_attribute("dir", "rtl")
    nav(p, "الرئيسية")
    wait_loaded(p)
    expect(p.get_by_text("المتاح", exact=True)).to_be_visible()
    if not funding_confirms:
        expect(p.get_by_test_id("balance")).to_contain_text("70.00 ج.م.")
        expect(p.get_by_text("محجوز لعمليات سحب قيد التنفيذ")).to_be_visible()
        expect(p.get_by_test_id("tx-status").first).to_have_text("قيد التنفيذ")
    assert_fits(p, 375)
    check_a11y(p, "dashboard, pending (ar, phone)")
    p.screenshot(path=screenshots / "dashboard-pending-375-ar.png", full_page=True)
    go(p, "/wallet")
    assert_fits(p, 375)
    p.screenshot(path=screenshots / "wallet-pending-375-ar.png", full_page=True)

    if funding_confirms:
        # The simulator confirms both: 100 + 50 - 30, nothing held, no pending row left.
        def settled() -> None:
            p.reload()
            expect(p.get_by_test_id("balance")).to_contain_text("120.00 ج.م.", timeout=5_000)
            expect(p.get_by_test_id("balance-split")).to_have_count(0)

        poll(settled, timeout=90, what="the bank top-up and the withdrawal to complete")
        go(p, "/history")
        expect(p.get_by_test_id("history-list").locator("li[data-status=pending]")).to_have_count(0)


def test_admin_sees_reconciliation(new_page, grant_admin, screenshots: Path, sms) -> None:
    """An operator opens the admin screen: yesterday's reconciliation by default, the matched count
    and, on a clean day, "No discrepancies"; a user without the role has no admin link."""
    olga = new_identity("Olga")
    o = new_page()
    sign_up(o, olga, sms)
    expect(o.get_by_role("navigation").get_by_role("link", name="Admin")).to_have_count(0)
    grant_admin(olga.email)
    # A role change ends the account's sessions (so a revoked role stops at once): sign in again,
    # and the new access token carries the role.
    o.reload()
    expect(o.get_by_role("button", name="Log in")).to_be_visible()
    log_in(o, olga)
    nav(o, "Admin")
    o.get_by_role("navigation", name="Administration sections").get_by_role("link", name="Reconciliation").click()
    expect(o.get_by_role("heading", name="Reconciliation")).to_be_visible()
    wait_loaded(o)
    day = o.get_by_label("Day (UTC)")
    yesterday = o.evaluate("() => new Date(Date.now() - 86400000).toISOString().slice(0, 10)")
    expect(day).to_have_value(yesterday)
    expect(o.get_by_test_id("rec-matched")).to_have_text(re.compile(r"^\d+$"))
    expect(o.get_by_test_id("rec-clean")).to_have_text("No discrepancies")
    check_a11y(o, "admin, reconciliation")
    o.screenshot(path=screenshots / "admin-reconciliation.png", full_page=True)
