"""Scheduled transfers in the browser, on a 375 px phone and a desktop, in English and Arabic,
against the real stack: from Send (recipient looked up, amount typed) a person follows "Schedule
it", picks weekly, a start and a number of transfers, and authorises it with the PIN; the new
schedule names the recipient by the masked name and shows its next run; the Scheduled page (in
the More sheet on a phone) lists it, and cancelling it asks first, then shows it cancelled.
Screenshots (schedule-new/schedule-list-{375,desktop}-{en,ar}.png) go to test-artifacts/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import PIN, go, nav, new_identity, sign_up
from playwright.sync_api import Page, expect
from test_pay_by_link import TEXT, set_language, shot

pytestmark = pytest.mark.timeout(900)

SIZES = {"375": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 860}}
AMOUNT = re.compile(r"40\.00|٤٠٫٠٠")


def fits(page: Page, width: int, where: str) -> None:
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"{where} is {scroll}px wide on a {width}px screen"


@pytest.mark.parametrize("size", ["375", "desktop"])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_schedule_from_send_then_cancel(new_page, screenshots: Path, sms, lang: str, size: str) -> None:
    w, viewport = TEXT[lang], SIZES[size]
    amal, badr = new_identity("Amal"), new_identity("Badr")
    a = new_page(**viewport)
    sign_up(a, amal, sms)
    b = new_page(**viewport)
    sign_up(b, badr, sms)
    set_language(b, badr, lang)

    # --- From Send: the recipient looked up (masked name), an amount, then "Schedule it" -----------
    go(b, "/send")
    b.get_by_label(w["send.recipient"]).fill(amal.handle)
    b.get_by_role("button", name=w["send.lookup"]).click()
    expect(b.get_by_test_id("recipient-name")).to_have_text("Amal T.")
    b.get_by_label(w["common.amount"]).fill("40.00")
    b.get_by_test_id("schedule-instead").click()
    expect(b).to_have_url(re.compile(r"/scheduled\?"))
    form = b.get_by_test_id("schedule-form")
    expect(form.get_by_label(w["send.recipient"])).to_have_value(amal.handle)
    expect(form.get_by_label(w["common.amount"])).to_have_value("40.00")
    form.get_by_label(w["sched.repeat_weekly"]).check()
    form.get_by_label(w["sched.occurrences"]).fill("4")
    form.get_by_label(w["common.pin"]).fill(PIN)
    form.get_by_role("button", name=w["sched.create"]).click()
    created = b.get_by_test_id("schedule-created")
    expect(created).to_contain_text("Amal T.")
    expect(created).to_contain_text(AMOUNT)
    fits(b, viewport["width"], f"new schedule ({lang}, {size})")
    shot(b, screenshots / f"schedule-new-{size}-{lang}.png")

    # --- The Scheduled page from the navigation (More on a phone): next run, then cancel -----------
    go(b, "/")
    nav(b, w["sched.nav"])
    item = b.get_by_test_id("schedule-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Amal T.")
    expect(item).to_contain_text(AMOUNT)
    expect(item.get_by_test_id("schedule-status")).to_have_text(w["sched.status_active"])
    expect(item.get_by_test_id("schedule-next")).not_to_be_empty()
    shot(b, screenshots / f"schedule-list-{size}-{lang}.png")
    item.get_by_role("button", name=w["sched.cancel"]).click()
    expect(item.get_by_role("alert")).to_contain_text("Amal T.")
    item.get_by_role("button", name=w["sched.cancel_yes"]).click()
    expect(item.get_by_test_id("schedule-status")).to_have_text(w["sched.status_cancelled"])
    expect(item.get_by_test_id("schedule-next")).to_have_count(0)
    fits(b, viewport["width"], f"scheduled list ({lang}, {size})")
