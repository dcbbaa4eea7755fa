"""Refunds, reported problems and receipts on a 375 px phone and on a desktop, in English and
Arabic, against the real stack: Amal pays Badr 40.00; Badr opens the transfer, asks to refund more
than he got (refused before anything is sent), refunds 15.00 with his PIN and sees the refund's
reference; Amal sees what came back on the same transfer, reports a problem (reason, note) and
gets the case's reference and status, finds the case under Disputes (the More sheet on a phone),
and downloads the PDF receipt.
Screenshots (refund-done/dispute-open/disputes-{375,1280}-{en,ar}.png) go to
test-artifacts/screenshots/."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
import pytest
from helpers import PIN, go, new_identity, sign_up
from playwright.sync_api import Page, expect
from test_pay_by_link import PHONE, TEXT, fits_the_phone, set_language, shot

from instapay_stack.e2e import login

pytestmark = pytest.mark.timeout(900)

DESKTOP = {"width": 1280, "height": 860}
# An amount in either digit system (the Arabic formatter may choose Arabic-Indic digits).
AMOUNT_15 = re.compile(r"15\.00|١٥٫٠٠")


def _api(page: Page, user, method: str, path: str, **kw) -> httpx.Response:
    gateway = "/".join(page.url.split("/", 3)[:3])
    token = login(gateway, user.handle, user.password)["access_token"]
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}
    return httpx.request(method, gateway + path, headers=headers, timeout=30, **kw)


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("size", ["375", "1280"])
def test_refund_report_and_receipt(new_page, console, screenshots: Path, sms, lang: str, size: str) -> None:
    viewport = PHONE if size == "375" else DESKTOP
    w = TEXT[lang]
    amal, badr = new_identity("Amal"), new_identity("Badr")
    a = new_page(**viewport)
    sign_up(a, amal, sms)
    set_language(a, amal, lang)
    b = new_page(**viewport)
    sign_up(b, badr, sms)
    set_language(b, badr, lang)
    # The money before the screens under test: a top-up and a transfer through the API.
    r = _api(a, amal, "POST", "/api/v1/wallet/topups", json={"amount": "100.00", "source": {"type": "card", "reference": "4111-TEST"}})
    assert r.status_code == 201, r.text
    r = _api(a, amal, "POST", "/api/v1/transfers", json={"recipient": badr.handle, "amount": "40.00", "pin": PIN})
    assert r.status_code == 201, r.text
    transfer = r.json()

    # --- Badr refunds part of it from the transfer's details ---------------------------------------
    b.goto(f"/transactions/{transfer['id']}")
    expect(b.get_by_test_id("detail-reference")).to_have_text(transfer["reference"])
    b.get_by_role("button", name=w["txd.refund"], exact=True).click()
    amount = b.get_by_label(w["common.amount"])
    expect(amount).to_have_value("40.00")  # what is left, prefilled
    amount.fill("40.01")
    b.get_by_label(w["common.pin"]).fill(PIN)
    b.get_by_role("button", name=w["txd.refund_confirm"]).click()
    expect(b.locator(".field-error")).to_be_visible()  # more than he got: refused on the screen
    amount.fill("15.00")
    b.get_by_label(w["txd.note_optional"]).fill("half back")
    b.get_by_role("button", name=w["txd.refund_confirm"]).click()
    done = b.get_by_test_id("refund-done")
    expect(done).to_contain_text(AMOUNT_15)
    refund_reference = b.get_by_test_id("refund-reference").inner_text().strip()
    assert re.fullmatch(r"IP[0-9A-Z]{8}", refund_reference), refund_reference
    expect(b.get_by_test_id("detail-refunds")).to_contain_text(refund_reference)
    if viewport is PHONE:
        fits_the_phone(b, f"refund ({lang})")
    shot(b, screenshots / f"refund-done-{size}-{lang}.png")

    # --- Amal sees it on her transfer, and reports a problem ----------------------------------------
    a.goto(f"/transactions/{transfer['id']}")
    expect(a.get_by_test_id("detail-refunds")).to_contain_text(refund_reference)
    expect(a.get_by_role("button", name=w["txd.refund"], exact=True)).to_have_count(0)
    a.get_by_role("button", name=w["txd.report"]).click()
    a.get_by_label(w["txd.reason"]).select_option("wrong_recipient")
    a.get_by_label(w["txd.note_optional"]).fill("wrong number")
    a.get_by_role("button", name=w["txd.report_send"]).click()
    case_reference = a.get_by_test_id("dispute-reference").inner_text().strip()
    assert re.fullmatch(r"DP[0-9A-Z]{8}", case_reference), case_reference
    expect(a.get_by_test_id("dispute-status")).to_have_text(w["disp.status.open"])
    if viewport is PHONE:
        fits_the_phone(a, f"report ({lang})")
    shot(a, screenshots / f"dispute-open-{size}-{lang}.png")

    # --- The receipt: a PDF file, fetched with the session -----------------------------------------
    with a.expect_download() as download:
        a.get_by_role("button", name=w["webui.receipt.download"]).click()
    saved = download.value
    assert saved.suggested_filename == f"instapay-receipt-{transfer['reference']}.pdf"
    assert Path(saved.path()).read_bytes().startswith(b"%PDF")

    # --- The case under Disputes (the More sheet on a phone), for both sides ------------------------
    for page, role_text in ((a, w["disp.you_reported"]), (b, w["disp.about_received"])):
        go(page, "/disputes")
        row = page.get_by_test_id("dispute")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(case_reference)
        expect(row).to_contain_text(role_text.split("{name}")[0].strip())
    expect(a.get_by_test_id("dispute")).to_contain_text("wrong number")
    expect(b.get_by_test_id("dispute")).not_to_contain_text("wrong number")  # the reporter's note is not shown
    if viewport is PHONE:
        fits_the_phone(a, f"disputes ({lang})")
    shot(a, screenshots / f"disputes-{size}-{lang}.png")
    assert console.errors == []
