"""The disputes queue in a real browser against the real stack, under the two-person rule: Sara
sends Tarek 40.00 by mistake and reports it (wrong recipient); admin Amr opens Disputes, finds the
case (reference, amount, masked parties, reason, Sara's note), proposes Reverse with a note and is
told it waits for a second admin; on Approvals his own proposal has no Approve; admin Bahaa
approves it on the Approvals page and sees the result; Sara has her 40.00 back and her Disputes
page says "Money returned"; Bahaa finds the proposal and the approval in the audit log (filtered
by action). The admin pages are checked at 375 px and 1280 px, in English and Arabic, for
sideways overflow; screenshots (admin-{disputes,approvals,audit}-{375,1280}-{en,ar}.png) go to
test-artifacts/screenshots/."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
import pytest
from helpers import app_messages, expect_balance, go, log_in, use_language, wait_loaded
from playwright.sync_api import Page, expect
from test_admin_console import assert_fits

from instapay_stack.e2e import make_admin, register_user

pytestmark = pytest.mark.timeout(900)

SIZES = {"375": {"width": 375, "height": 812}, "1280": {"width": 1280, "height": 860}}
TEXT = {"en": app_messages("en"), "ar": app_messages("ar")}
NOTE = "Confirmed with the bank: wrong number typed"


def _post(gateway: str, token: str, path: str, body: dict) -> dict:
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
    r = httpx.post(gateway + path, json=body, headers=headers, timeout=30)
    assert r.status_code == 201, r.text
    return r.json()


def _admin_page(page: Page, path: str, heading: str, size: str) -> None:
    """Opens an admin section at a size and checks it fits the width."""
    page.set_viewport_size(SIZES[size])
    page.goto(path)
    expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    wait_loaded(page)


def _shoot(page: Page, screenshots: Path, name: str, size: str, lang: str) -> None:
    assert_fits(page, SIZES[size]["width"])
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=screenshots / f"admin-{name}-{size}-{lang}.png", full_page=True)


def test_a_dispute_is_reversed_by_two_admins(new_page, console, screenshots: Path, stack) -> None:
    gateway = stack.gateway_url
    sara = register_user(gateway, full_name="Sara Tawfik")
    tarek = register_user(gateway, full_name="Tarek Nabil")
    amr = make_admin(stack, register_user(gateway))
    bahaa = make_admin(stack, register_user(gateway))

    # Sara's money: a top-up and a 40.00 transfer to the wrong person (through the API).
    _post(
        gateway,
        sara.access_token,
        "/api/v1/wallet/topups",
        {"amount": "100.00", "source": {"type": "card", "reference": "4111-TEST"}},
    )
    transfer = _post(
        gateway, sara.access_token, "/api/v1/transfers", {"recipient": tarek.handle, "amount": "40.00", "pin": sara.pin}
    )

    # --- Sara reports it on the transfer's page -------------------------------------------------------
    s = new_page()
    log_in(s, sara)
    expect_balance(s, "60.00")
    s.goto(f"/transactions/{transfer['id']}")
    en = TEXT["en"]
    s.get_by_role("button", name=en["txd.report"]).click()
    s.get_by_label(en["txd.reason"]).select_option("wrong_recipient")
    s.get_by_label(en["txd.note_optional"]).fill("I typed one digit wrong")
    s.get_by_role("button", name=en["txd.report_send"]).click()
    case_reference = s.get_by_test_id("dispute-reference").inner_text().strip()
    assert re.fullmatch(r"DP[0-9A-Z]{8}", case_reference), case_reference

    # --- Amr (phone, English) finds the case in the queue and proposes Reverse ------------------------
    a = new_page(**SIZES["375"])
    log_in(a, amr)
    _admin_page(a, "/admin/disputes", en["webadmin.disp.title"], "375")
    case = a.get_by_test_id("admin-dispute").filter(has_text=case_reference)
    expect(case).to_have_count(1)
    expect(case).to_contain_text("40.00")
    expect(case).to_contain_text(en["disp.reason.wrong_recipient"])
    expect(case.get_by_test_id("admin-dispute-note")).to_have_text("I typed one digit wrong")
    expect(case).to_contain_text(transfer["reference"])
    parties = case.get_by_test_id("admin-dispute-parties")
    # Masked names, never the full names.
    expect(parties).to_contain_text("Sara T.")
    expect(parties).to_contain_text("Tarek N.")
    expect(parties).not_to_contain_text(sara.full_name)
    expect(parties).not_to_contain_text(tarek.full_name)
    _shoot(a, screenshots, "disputes", "375", "en")

    case.get_by_role("button", name=en["webadmin.disp.reverse"]).click()
    case.get_by_role("button", name=en["webadmin.disp.propose_reverse"]).click()
    expect(case.get_by_text(en["webadmin.disp.note_required"])).to_be_visible()  # a note is required
    case.get_by_label(re.compile("^" + re.escape(en["webadmin.disp.note"]))).fill(NOTE)
    case.get_by_role("button", name=en["webadmin.disp.propose_reverse"]).click()
    waiting = case.get_by_test_id("admin-dispute-waiting")
    expect(waiting).to_contain_text(en["webadmin.disp.waiting"])
    waiting.get_by_role("link", name=en["webadmin.disp.to_approvals"]).click()

    # On Approvals his own proposal reads as a dispute decision, with no Approve or Reject.
    expect(a.get_by_role("heading", level=2, name=en["webui.appr.title"])).to_be_visible()
    mine = a.get_by_test_id("approval").filter(has_text=case_reference)
    expect(mine).to_have_count(1)
    expect(mine.get_by_test_id("approval-outcome")).to_have_text(en["webadmin.disp.outcome.reverse"])
    expect(mine.get_by_test_id("approval-note")).to_have_text(NOTE)
    expect(mine.get_by_test_id("approval-own")).to_be_visible()
    expect(mine.get_by_role("button", name=en["webui.appr.approve"])).to_have_count(0)
    expect(mine.get_by_role("button", name=en["webadmin.appr.reject"])).to_have_count(0)
    _shoot(a, screenshots, "approvals", "375", "en")

    # The same two pages at the desktop width, and in Arabic at both widths.
    _admin_page(a, "/admin/disputes", en["webadmin.disp.title"], "1280")
    _shoot(a, screenshots, "disputes", "1280", "en")
    _admin_page(a, "/admin/approvals", en["webui.appr.title"], "1280")
    _shoot(a, screenshots, "approvals", "1280", "en")
    use_language(a, amr, "ar")
    ar = TEXT["ar"]
    for size in SIZES:
        _admin_page(a, "/admin/disputes", ar["webadmin.disp.title"], size)
        expect(a.locator("html")).to_have_attribute("dir", "rtl")
        case = a.get_by_test_id("admin-dispute").filter(has_text=case_reference)
        expect(case.get_by_test_id("admin-dispute-waiting")).to_contain_text(ar["webadmin.disp.waiting"])
        _shoot(a, screenshots, "disputes", size, "ar")
        _admin_page(a, "/admin/approvals", ar["webui.appr.title"], size)
        expect(
            a.get_by_test_id("approval").filter(has_text=case_reference).get_by_test_id("approval-outcome")
        ).to_have_text(ar["webadmin.disp.outcome.reverse"])
        _shoot(a, screenshots, "approvals", size, "ar")

    # --- Bahaa (desktop, English) approves it -------------------------------------------------------
    b = new_page(**SIZES["1280"])
    log_in(b, bahaa)
    _admin_page(b, "/admin/approvals", en["webui.appr.title"], "1280")
    theirs = b.get_by_test_id("approval").filter(has_text=case_reference)
    expect(theirs).to_have_attribute("data-status", "pending")
    theirs.get_by_role("button", name=en["webui.appr.approve"]).click()
    theirs.get_by_role("button", name=en["webui.appr.approve_yes"]).click()
    expect(b.get_by_text(en["webui.appr.approved"])).to_be_visible()
    done = b.get_by_test_id("approval").filter(has_text=case_reference)
    expect(done).to_have_attribute("data-status", "approved")
    expect(done.get_by_test_id("approval-result")).to_contain_text(en["disp.status.resolved_reversed"])
    expect(done).to_contain_text(en["webui.appr.approved_by"])
    assert_fits(b, 1280)
    b.screenshot(path=screenshots / "admin-approvals-approved-1280-en.png", full_page=True)

    # --- Sara has her money back, and the case says so ----------------------------------------------
    s.goto("/")
    expect_balance(s, "100.00")
    go(s, "/disputes")
    row = s.get_by_test_id("dispute").filter(has_text=case_reference)
    expect(row.get_by_test_id("dispute-status")).to_have_text(en["disp.status.resolved_reversed"])
    expect(row).to_contain_text(NOTE)

    # --- Bahaa finds both steps in the audit log, filtered by action --------------------------------
    _admin_page(b, "/admin/audit", en["webui.audit.title"], "1280")
    b.get_by_label(en["webui.audit.action"]).fill("dispute.resolve")
    b.get_by_role("button", name=en["webui.audit.apply"], exact=True).click()
    expect(b).to_have_url(re.compile(r"action=dispute\.resolve"))
    rows = b.get_by_test_id("audit-row")
    proposed = rows.filter(has=b.locator("code", has_text=re.compile(r"^dispute\.resolve\.proposed$")))
    approved = rows.filter(has=b.locator("code", has_text=re.compile(r"^dispute\.resolve\.approved$")))
    expect(proposed.first).to_contain_text(amr.user_id)
    expect(approved.first).to_contain_text(bahaa.user_id)
    expect(proposed.first).to_contain_text(NOTE)
    expect(rows.filter(has_text=re.compile(r"dispute\.resolve\.rejected"))).to_have_count(0)
    _shoot(b, screenshots, "audit", "1280", "en")
    b.set_viewport_size(SIZES["375"])
    _shoot(b, screenshots, "audit", "375", "en")
    use_language(b, bahaa, "ar")
    for size in SIZES:
        _admin_page(b, "/admin/audit?action=dispute.resolve", ar["webui.audit.title"], size)
        expect(
            b.get_by_test_id("audit-row").filter(has=b.locator("code", has_text="dispute.resolve.approved"))
        ).not_to_have_count(0)
        _shoot(b, screenshots, "audit", size, "ar")
    assert console.errors == []
