"""Phone-first navigation and the money flows, in a real browser against the real stack, at 375 px
and 1280 px, in English and Arabic: the tab bar and the notification sheet stay inside the screen,
a tapped notification opens what it is about, money leaves only from a review screen, one error at
a time, a result that cannot be submitted twice, requests looked up and split into waiting and
finished, and a device whose session is revoked goes straight to log-in saying why.
Screenshots (phone-*.png) go to test-artifacts/screenshots/."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from helpers import PIN, go, money_re, nav, new_identity, sign_up, top_up
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.timeout(900)

PHONE = {"width": 375, "height": 812}
I18N = Path(__file__).resolve().parents[1] / "src" / "i18n"


def _messages(lang: str) -> dict[str, str]:
    """The app's own strings (src/i18n/<lang>.ts): the test reads the screen in either language
    with the words a person sees, without a second copy of them here."""
    text = (I18N / f"{lang}.ts").read_text(encoding="utf-8")
    return {k: json.loads(f'"{v}"') for k, v in re.findall(r'^\s*"([\w.:]+)": "((?:[^"\\]|\\.)*)",$', text, re.M)}


TEXT = {"en": _messages("en"), "ar": _messages("ar")}


def inside(page: Page, el: Locator, what: str) -> None:
    """The element's whole box is on screen: not cut off at either side or the bottom."""
    size = page.viewport_size
    assert size
    box = el.bounding_box()
    assert box, f"{what} is not rendered"
    right, bottom = box["x"] + box["width"], box["y"] + box["height"]
    assert box["x"] >= -0.5 and box["y"] >= -0.5 and right <= size["width"] + 0.5 and bottom <= size["height"] + 0.5, (
        f"{what} at x={box['x']:.0f}..{right:.0f}, y={box['y']:.0f}..{bottom:.0f} is outside the "
        f"{size['width']}x{size['height']} screen ({page.url})"
    )


def nav_inside_one_row(page: Page, where: str) -> None:
    """Every visible control of the navigation and the top bar is on screen, and the navigation's
    entries sit on one row (they never wrap)."""
    items = page.get_by_role("navigation").locator("a:visible, button:visible")
    count = items.count()
    assert count >= 5, f"only {count} navigation entries visible ({where})"
    tops = set()
    for i in range(count):
        inside(page, items.nth(i), f"navigation entry {items.nth(i).inner_text()!r} ({where})")
        tops.add(round(items.nth(i).bounding_box()["y"]))  # type: ignore[index]
    assert len(tops) == 1, f"the navigation wraps onto {len(tops)} rows ({where})"
    bar = page.get_by_role("banner").locator("a:visible, button:visible")
    for i in range(bar.count()):
        label = bar.nth(i).get_attribute("aria-label") or bar.nth(i).inner_text()
        inside(page, bar.nth(i), f"top bar control {label!r} ({where})")


def shot(page: Page, path: Path, *, top: bool = True) -> None:
    """A phone screenshot as the person sees it: the screen, not a stitched full page (the top bar
    and the tab bar are fixed, so a full-page capture would draw them mid-page)."""
    if top:
        page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=path)


def sheet_inside(page: Page, lang: str, shots: Path, name: str) -> None:
    """Opens the notifications: a sheet the width of the phone, whole on screen, in either direction."""
    page.get_by_role("banner").locator(".bell > button").click()
    sheet = page.get_by_role("dialog", name=TEXT[lang]["notif.title"])
    expect(sheet.locator("li").first).to_be_visible()
    inside(page, sheet, f"notification sheet ({lang})")
    box = sheet.bounding_box()
    assert box and box["width"] >= 370, f"the sheet is {box and box['width']}px wide on a 375px phone"
    shot(page, shots / name, top=False)


def amount_re(western: str, arabic: str) -> re.Pattern[str]:
    """An amount in Arabic, whichever digits the app's formatter chooses for the locale."""
    return re.compile(f"({re.escape(western)}|{re.escape(arabic)})")


def request_money(b: Page, payer: str, amount: str, note: str) -> None:
    """Requests money in English at the desktop: the payer is looked up and shown first."""
    en = TEXT["en"]
    nav(b, "Requests")
    b.get_by_label(en["req.payer"]).fill(payer)
    b.get_by_role("button", name=en["flows.find_payer"]).click()
    expect(b.get_by_test_id("payer-name")).to_have_text(re.compile(r"^Nour\b"))
    b.get_by_label(en["common.amount"]).fill(amount)
    b.get_by_label(en["common.note"]).fill(note)
    b.get_by_role("button", name=en["req.create"]).click()
    expect(b.get_by_role("status").filter(has_text=en["req.created"])).to_be_visible()


def test_phone_first_money_flows(new_page, console, screenshots: Path, sms) -> None:
    # Refused on purpose: a wrong PIN (403); then the revoked device's calls (401 everywhere).
    console.allow(403, "/api/v1/transfers")
    nour, bassem = new_identity("Nour"), new_identity("Bassem")
    b = new_page()
    sign_up(b, bassem, sms)
    p = new_page(**PHONE)
    p.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_up(p, nour, sms)
    top_up(p, "300.00")
    en = TEXT["en"]

    # --- Phone, English: the tab bar, the dashboard with who I am ---------------------------------
    nav(p, "Dashboard")
    expect(p.get_by_test_id("balance")).to_have_text(money_re("300.00"))
    expect(p.get_by_test_id("my-name")).to_have_text(nour.full_name)
    expect(p.get_by_test_id("my-handle")).to_have_text(f"@{nour.handle}")
    p.get_by_role("button", name="Copy your handle").click()
    expect(p.get_by_text("Copied.")).to_be_visible()
    assert p.evaluate("() => navigator.clipboard.readText()") == f"@{nour.handle}"
    tabs = p.get_by_role("navigation")
    for name in ("Home", "Send", "Requests", "History"):
        expect(tabs.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(tabs.get_by_role("button", name="More", exact=True)).to_be_visible()
    nav_inside_one_row(p, "en, 375")
    shot(p, screenshots / "phone-dashboard-375-en.png")
    tabs.get_by_role("button", name="More").click()
    for name in ("Top up & withdraw", "Reports", "Profile", "Security"):
        expect(tabs.get_by_role("link", name=name, exact=True)).to_be_visible()
        inside(p, tabs.get_by_role("link", name=name, exact=True), f"More: {name}")
    expect(tabs.get_by_role("button", name="Log out")).to_be_visible()
    p.keyboard.press("Escape")
    expect(tabs.get_by_role("link", name="Reports")).to_have_count(0)

    # --- Sending: balance shown, self refused at once, review before money leaves -----------------
    nav(p, "Send")
    expect(p.get_by_test_id("send-available")).to_contain_text(money_re("300.00"))
    recipient = p.get_by_label(en["send.recipient"])
    recipient.fill(nour.handle)
    p.get_by_role("button", name=en["send.lookup"]).click()
    expect(p.get_by_role("alert")).to_have_text("This is your own account. You cannot send money to yourself.")
    expect(p.get_by_label(en["common.pin"])).to_have_count(0)
    expect(p.get_by_label(en["common.amount"])).to_have_count(0)

    recipient.fill(bassem.handle)
    p.get_by_role("button", name=en["send.lookup"]).click()
    expect(p.get_by_test_id("recipient-name")).to_have_text(re.compile(r"^Bassem\b"))
    p.get_by_label(en["common.amount"]).fill("125.50")
    p.get_by_label(en["common.note"]).fill("lunch")
    p.get_by_label(en["common.note"]).press("Enter")  # Enter reviews; it never sends
    review = p.get_by_test_id("send-review")
    expect(review).to_contain_text(money_re("125.50"))
    expect(review).to_contain_text("lunch")
    masked = p.get_by_test_id("recipient-name").inner_text()
    assert masked != bassem.full_name and masked.startswith("Bassem"), masked
    pin = p.get_by_label(en["common.pin"])
    expect(pin).to_be_focused()
    inside(p, p.get_by_role("button", name=en["send.confirm"]), "Confirm and send")
    shot(p, screenshots / "phone-send-review-375-en.png")

    pin.fill("000000")
    pin.press("Enter")
    expect(p.get_by_role("alert")).to_contain_text("Wrong PIN")
    expect(pin).to_have_value("")
    expect(p.get_by_text(en["v.pin"])).to_have_count(0)  # nothing typed yet: no format error
    pin.fill(PIN)
    expect(p.get_by_role("alert")).to_have_count(0)  # a new attempt: the old error goes
    p.get_by_role("button", name=en["send.confirm"]).click()
    done = p.get_by_test_id("send-success")
    expect(done).to_be_visible()
    expect(done).to_contain_text(money_re("125.50"))
    expect(p.get_by_test_id("sent-to")).to_have_text(masked)
    assert ".." not in p.get_by_role("main").inner_text(), "a full stop doubled after a name"
    expect(p.get_by_test_id("new-balance")).to_contain_text(money_re("174.50"))
    expect(p.get_by_role("button", name=en["send.confirm"])).to_have_count(0)  # nothing to send twice
    expect(p.get_by_role("button", name="Send again")).to_be_visible()
    shot(p, screenshots / "phone-send-success-375-en.png")

    # --- A withdrawal to something that is not an IBAN is refused before it is asked for ----------
    nav(p, "Top up & withdraw")
    form = p.get_by_role("region", name="Withdraw")
    form.get_by_label("Amount (EGP)").fill("5")
    form.get_by_label("Bank account (IBAN)").fill("not an iban")
    form.get_by_label("Transaction PIN").fill(PIN)
    form.get_by_role("button", name="Withdraw", exact=True).click()
    expect(form.get_by_label("Bank account (IBAN)")).to_have_accessible_description(re.compile("Enter an IBAN"))
    expect(form.get_by_role("status")).to_have_text("")

    # --- Requests: the payer looked up first; a badge on the phone; the tapped notice opens it ----
    request_money(b, nour.handle, "20", "coffee")

    badge = p.get_by_role("navigation").get_by_test_id("requests-badge")
    expect(badge).to_have_text("1", timeout=20_000)  # live, through the notification stream
    inside(p, badge, "requests badge")
    sheet_inside(p, "en", screenshots, "phone-notifications-375-en.png")
    p.get_by_role("dialog").get_by_role("button", name=re.compile("Payment request from")).first.click()
    expect(p).to_have_url(re.compile(r"/requests\?tab=incoming&request="))
    expect(p.get_by_role("dialog")).to_have_count(0)
    asked = p.locator("li[aria-current=true]")
    expect(asked).to_contain_text("coffee")
    waiting = p.get_by_test_id("requests-pending")
    expect(waiting).to_contain_text("coffee")
    shot(p, screenshots / "phone-requests-375-en.png", top=False)  # the app scrolled to the request
    asked.get_by_role("button", name="Accept and pay").click()
    asked.get_by_label(en["common.pin"]).fill(PIN)
    asked.get_by_role("button", name="Accept and pay").click()
    expect(p.get_by_role("status").filter(has_text="Paid")).to_contain_text(money_re("20.00"))
    expect(p.get_by_test_id("requests-finished")).to_contain_text("coffee")
    expect(badge).to_have_count(0)

    # --- Arabic on the phone: the same screens, right to left, nothing off screen ----------------
    nav(p, "Profile")
    p.get_by_label("Language").select_option("ar")
    p.get_by_role("button", name="Save").click()
    expect(p.locator("html")).to_have_attribute("dir", "rtl")
    ar = TEXT["ar"]
    go(p, "/")
    expect(p.get_by_test_id("my-handle")).to_have_text(f"@{nour.handle}")
    nav_inside_one_row(p, "ar, 375")
    shot(p, screenshots / "phone-dashboard-375-ar.png")
    go(p, "/send")
    p.get_by_label(ar["send.recipient"]).fill(bassem.handle)
    p.get_by_role("button", name=ar["send.lookup"]).click()
    p.get_by_label(ar["common.amount"]).fill("10")
    p.get_by_role("button", name=ar["send.review"]).click()
    expect(p.get_by_test_id("send-review")).to_contain_text(amount_re("10.00", "١٠٫٠٠"))
    inside(p, p.get_by_role("button", name=ar["send.confirm"]), "تأكيد وإرسال")
    shot(p, screenshots / "phone-send-review-375-ar.png")
    p.get_by_label(ar["common.pin"]).fill(PIN)
    p.get_by_role("button", name=ar["send.confirm"]).click()
    expect(p.get_by_test_id("send-success")).to_contain_text(amount_re("10.00", "١٠٫٠٠"))
    shot(p, screenshots / "phone-send-success-375-ar.png")
    sheet_inside(p, "ar", screenshots, "phone-notifications-375-ar.png")
    p.keyboard.press("Escape")
    go(p, "/requests")
    expect(p.get_by_test_id("requests-finished")).to_contain_text("coffee")
    p.get_by_test_id("requests-pending").scroll_into_view_if_needed()
    shot(p, screenshots / "phone-requests-375-ar.png", top=False)

    # --- Desktop: the top menu on one row with the badge, no tab bar ------------------------------
    d = new_page()
    d.goto("/login")
    d.get_by_label("Email, phone or handle").fill(nour.handle)
    d.get_by_label("Password").fill(nour.password)
    d.get_by_role("button", name="Log in").click()
    expect(d.get_by_test_id("balance")).to_be_visible()
    expect(d.locator("html")).to_have_attribute("dir", "rtl")  # the saved language follows her
    request_money(b, nour.handle, "5", "bus")
    desk_badge = d.get_by_role("navigation").get_by_test_id("requests-badge")
    expect(desk_badge).to_have_text(amount_re("1", "١"), timeout=20_000)
    expect(d.get_by_test_id("tabbar")).to_be_hidden()
    nav_inside_one_row(d, "ar, 1280")
    d.get_by_role("banner").locator(".bell > button").click()
    inside(d, d.get_by_role("dialog", name=ar["notif.title"]), "notification panel (ar, 1280)")
    d.keyboard.press("Escape")

    # --- This desktop ends the phone's session: the phone goes to log-in at once and says why ----
    go(d, "/security")
    console.allow(401, "")  # the revoked session is refused everywhere, as it should be
    # What the phone asks from here on, for the failure message if it does not sign out (this
    # expectation failed once in CI, and never here, with the stream showing no reconnect).
    calls: list[str] = []
    started = time.monotonic()
    p.on(
        "response",
        lambda r: calls.append(f"{time.monotonic() - started:5.1f}s {r.status} {r.request.method} {r.url}"),
    )
    p.on("requestfailed", lambda r: calls.append(f"{time.monotonic() - started:5.1f}s failed {r.url} {r.failure}"))
    revoke = d.get_by_role("button", name=ar["sec.revoke"], exact=True)
    while revoke.count():
        before = revoke.count()
        revoke.first.click()
        expect(revoke).to_have_count(before - 1)
    try:
        expect(p.get_by_test_id("signed-out-notice")).to_have_text(ar["flows.signed_out_revoked"], timeout=30_000)
    except AssertionError as exc:
        raise AssertionError(f"the phone did not sign out; what it asked since the revoke: {calls}") from exc
    expect(p).to_have_url(re.compile(r"/login$"))
    expect(p.get_by_test_id("balance")).to_have_count(0)
    shot(p, screenshots / "phone-signed-out-375-ar.png")
