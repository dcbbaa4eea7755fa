"""History and reports as a person sees them, in English and Arabic, on a phone (375 px) and a
desktop (1280 px): the language chosen on the log-in page, names, amounts and phone numbers in
their own reading order inside Arabic text, one digit system per page, the history's partial
search, clear filters and refused date range, top-up sources and paid requests, and the report
chart (axes, the locale's dates, exact amounts in tooltips, a legend, quick periods, a table).
Screenshots of history and reports at 375 px go to test-artifacts/screenshots/."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from helpers import poll
from playwright.sync_api import Locator, Page, expect

from instapay_stack.e2e import DEFAULT_PIN, TestUser, register_user

pytestmark = pytest.mark.timeout(900)

ARABIC_INDIC = re.compile("[\u0660-\u0669\u06f0-\u06f9]")


@dataclass(frozen=True)
class Words:
    lang: str
    switch: str  # the log-in page's button for this language
    login_heading: str
    username: str
    password: str
    log_in: str
    topup_source: str
    paid_request: str
    counterparty: str
    date_from: str
    date_to: str
    range_error: str
    clear: str
    chart: str
    this_month: str
    this_year: str
    table_view: str
    legend: tuple[str, str, str]
    currency: re.Pattern[str]


EN = Words(
    "en", "English", "Log in to Mini-InstaPay", "Email, phone or handle", "Password", "Log in",
    "Top-up from card ••1234", "Paid request", "Counterparty", "From", "To", "“From” must be on or before “To”.",
    "Clear filters", "Sent and received per period", "This month", "This year", "Table view",
    ("Sent", "Received from people", "Topped up"), re.compile(r"EGP\s?145\.50"),
)  # fmt: skip
AR = Words(
    "ar", "العربية", "تسجيل الدخول إلى ميني إنستاباي", "البريد أو الهاتف أو المعرّف", "كلمة المرور",
    "تسجيل الدخول", "شحن من بطاقة ••1234", "دفع طلب", "الطرف الآخر", "من", "إلى",
    "يجب أن يكون تاريخ «من» في يوم «إلى» أو قبله.", "مسح عوامل التصفية", "المرسل والمستلم لكل فترة", "هذا الشهر",
    "هذا العام", "عرض كجدول", ("مرسل", "استلمت من أشخاص", "شحن المحفظة"), re.compile(r"145\.50\s?ج\.م\."),
)  # fmt: skip


def _api(gateway: str, user: TestUser, method: str, path: str, body: dict, *, status: tuple[int, ...]) -> dict:
    r = httpx.request(
        method,
        gateway + path,
        json=body,
        headers=user.auth_headers(**{"Idempotency-Key": uuid.uuid4().hex}),
        timeout=30,
    )
    assert r.status_code in status, (path, r.status_code, r.text)
    return r.json()


def _money_moves(gateway: str) -> tuple[TestUser, TestUser]:
    """Alice tops up from a card ending 1234, sends Bassem 125.50 and pays his request for 20.00."""
    alice = register_user(gateway, full_name="Alice Sender")
    bassem = register_user(gateway, full_name="Bassem Yousef")
    card = {"type": "card", "reference": "4111 1111 1111 1234"}
    _api(gateway, alice, "POST", "/api/v1/wallet/topups", {"amount": "500.00", "source": card}, status=(201, 202))

    def funded() -> None:
        r = httpx.get(gateway + "/api/v1/wallet", headers=alice.auth_headers(), timeout=30)
        assert r.json()["available_balance"] == "500.00", r.text

    poll(funded, timeout=60, what="the card top-up to land")
    transfer = {"recipient": "@" + bassem.handle, "amount": "125.50", "pin": DEFAULT_PIN}
    _api(gateway, alice, "POST", "/api/v1/transfers", transfer, status=(201,))
    asked = {"payer": "@" + alice.handle, "amount": "20.00"}
    request = _api(gateway, bassem, "POST", "/api/v1/payment-requests", asked, status=(201,))
    accept = f"/api/v1/payment-requests/{request['id']}/accept"
    _api(gateway, alice, "POST", accept, {"pin": DEFAULT_PIN}, status=(201,))
    return alice, bassem


def _x_of_chars(el: Locator, first: str, last: str) -> tuple[float, float]:
    """Where on screen the first occurrence of `first` and the last of `last` in the element's text
    are drawn (x of each character's box): the visual order, which innerText does not show."""
    return tuple(
        el.evaluate(
            """(el, [a, b]) => {
                const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
                const nodes = []; let n;
                while ((n = walker.nextNode())) nodes.push(n);
                const at = (ch, fromEnd) => {
                  const list = fromEnd ? [...nodes].reverse() : nodes;
                  for (const node of list) {
                    const i = fromEnd ? node.data.lastIndexOf(ch) : node.data.indexOf(ch);
                    if (i < 0) continue;
                    const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + ch.length);
                    const box = r.getBoundingClientRect();
                    return box.x + box.width / 2;
                  }
                  throw new Error(`no ${ch} in ${el.textContent}`);
                };
                return [at(a, false), at(b, true)];
            }""",
            [first, last],
        )
    )


def _inside(page: Page, el: Locator, width: int) -> None:
    box = el.bounding_box()
    assert box is not None, "not rendered"
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, f"{box} is outside a {width}px screen"
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= width, f"{page.url} is {overflow}px wide at {width}px"


def _one_digit_system(page: Page) -> None:
    text = page.locator("main").inner_text()
    assert not ARABIC_INDIC.search(text), "Arabic-Indic digits beside Latin ones"


def _log_in(page: Page, user: TestUser, w: Words) -> None:
    page.goto("/login")
    page.get_by_role("button", name=w.switch, exact=True).click()
    expect(page.get_by_role("heading", name=w.login_heading)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", w.lang)
    page.get_by_label(w.username).fill(user.handle)
    page.get_by_label(w.password, exact=True).fill(user.password)
    page.get_by_role("button", name=w.log_in, exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("main")).to_be_visible()
    # Signed in, the app follows the profile, which now holds the language picked on the log-in page.
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", w.lang)


def _history(page: Page, w: Words, width: int, shots: Path) -> None:
    page.goto("/history")
    rows = page.get_by_test_id("history-list").locator("li")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text(w.paid_request)
    expect(rows.nth(2)).to_contain_text(w.topup_source)
    # "Bassem Y." keeps its full stop at its end and the amount its own order, in either language.
    name = rows.nth(1).get_by_test_id("tx-who").locator("bdi")
    expect(name).to_have_text("Bassem Y.")
    b, dot = _x_of_chars(name, "B", ".")
    assert b < dot, f"the name reads '.Bassem Y' (B at {b}, '.' at {dot})"
    amount = rows.nth(1).get_by_test_id("tx-amount")
    one, five = _x_of_chars(amount, "1", "0")
    assert one < five, "the amount's digits are reversed"
    if w.lang == "ar":
        symbol, digits = _x_of_chars(amount, "ج", "1")
        assert symbol < digits, "the Arabic currency symbol belongs to the left of the number"
    _inside(page, page.get_by_test_id("history-list"), width)
    _one_digit_system(page)
    if width == 375:
        page.screenshot(path=shots / f"history-375-{w.lang}.png", full_page=True)

    # Part of the name, in any case, finds the person; a From after To is said, and cleared.
    page.get_by_label(w.counterparty, exact=True).fill("bASSEM")
    expect(rows).to_have_count(2)
    for i in range(2):
        expect(rows.nth(i)).to_contain_text("Bassem Y.")
    page.get_by_label(w.date_from, exact=True).fill("2026-12-05")
    page.get_by_label(w.date_to, exact=True).fill("2026-12-04")
    expect(page.get_by_role("alert")).to_contain_text(w.range_error)
    expect(rows).to_have_count(0)
    page.get_by_role("button", name=w.clear).click()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(rows).to_have_count(3)


def _reports(page: Page, w: Words, width: int, shots: Path) -> None:
    page.goto("/reports")

    def totals_are_in() -> None:
        page.reload()
        expect(page.get_by_test_id("total-sent")).to_have_text(w.currency, timeout=5_000)

    poll(totals_are_in, timeout=45, what="the report to show 145.50 sent")
    expect(page.get_by_role("button", name=w.this_month)).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("received-people")).to_contain_text("0.00")
    expect(page.get_by_test_id("topped-up")).to_contain_text("500.00")
    chart = page.get_by_role("img", name=w.chart)
    expect(chart).to_be_visible()
    _inside(page, chart, width)
    x_ticks = chart.locator(".recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value")
    y_ticks = chart.locator(".recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value")
    expect(x_ticks.first).to_be_visible()
    assert y_ticks.count() >= 2, "no amount axis"
    month = page.evaluate(
        "(lang) => new Intl.DateTimeFormat(lang === 'ar' ? 'ar-EG-u-nu-latn' : 'en-EG', {month: 'short'})"
        ".format(new Date())",
        w.lang,
    )
    labels = x_ticks.all_text_contents()  # SVG text has no innerText
    assert any(month in t for t in labels), (month, labels)
    assert not any(re.fullmatch(r"W?\d{1,2}", t.strip()) for t in labels), labels
    # A month spans the chart: its first and last day ticks are at its two ends, not in one corner.
    chart_box, first_box, last_box = chart.bounding_box(), x_ticks.first.bounding_box(), x_ticks.last.bounding_box()
    assert chart_box and first_box and last_box
    assert abs(last_box["x"] - first_box["x"]) > chart_box["width"] / 2, (first_box, last_box, chart_box)
    legend = chart.locator(".recharts-legend-item-text").all_inner_texts()
    assert legend == list(w.legend), legend
    if width == 375:
        page.screenshot(path=shots / f"reports-375-{w.lang}.png", full_page=True)
    # The tooltip of today's column (the tallest: everything happened today) has the exact amount sent.
    chart.scroll_into_view_if_needed()
    bars = chart.locator(".recharts-bar-rectangle")
    boxes = [box for box in (bars.nth(i).bounding_box() for i in range(bars.count())) if box]
    tallest = max(boxes, key=lambda box: box["height"])
    # The pointer over the column, as a person moves it (the chart's surface takes the events).
    page.mouse.move(tallest["x"] + tallest["width"] / 2, tallest["y"] + tallest["height"] / 2, steps=3)
    expect(chart.locator(".recharts-tooltip-wrapper")).to_contain_text(w.currency)
    _one_digit_system(page)

    # A year by months, named by the locale; the same numbers as a table.
    page.get_by_role("button", name=w.this_year).click()
    expect(page.get_by_label(re.compile("Group by|التجميع حسب"))).to_have_value("month")
    expect(x_ticks.filter(has_text=month).first).to_be_visible()
    page.get_by_role("button", name=w.table_view).click()
    table = page.get_by_test_id("report-table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(12)
    expect(table).to_contain_text(w.currency)
    _inside(page, page.locator("main"), width)
    _one_digit_system(page)


# English first: each run picks its language on the log-in page, which saves it to the profile.
@pytest.mark.parametrize(
    ("w", "width"), [(EN, 1280), (EN, 375), (AR, 375), (AR, 1280)], ids=["en-1280", "en-375", "ar-375", "ar-1280"]
)
def test_history_and_reports_read_right(new_page, web_url: str, screenshots: Path, w: Words, width: int, money) -> None:
    alice, _ = money
    page = new_page(width=width, height=860 if width > 400 else 812)
    _log_in(page, alice, w)
    _history(page, w, width, screenshots)
    _reports(page, w, width, screenshots)


@pytest.fixture(scope="module")
def money(web_url: str) -> tuple[TestUser, TestUser]:
    return _money_moves(web_url)
