"""Paying like people pay, on a 375 px phone, in English and Arabic, against the real stack: a
person makes a single-use payment link for an amount on the Receive screen; another opens the link
(signed out on a second device: log-in first, then back to the link), sees whom they pay (the
masked name), the amount and the reference, and pays with the PIN; the same link cannot be paid
again (the used message, both when paying and when opening it); the success screen's details show
the reference; the payee saved as a favourite is one tap away on Send.
Screenshots (pay-receive/pay-review/pay-detail-375-{en,ar}.png) go to test-artifacts/screenshots/."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from helpers import PIN, WebUser, go, new_identity, sign_up, top_up
from playwright.sync_api import Page, expect

from instapay_stack.e2e import login

pytestmark = pytest.mark.timeout(900)

PHONE = {"width": 375, "height": 812}
I18N = Path(__file__).resolve().parents[1] / "src" / "i18n"


def _messages(lang: str) -> dict[str, str]:
    """The app's own strings (src/i18n/<lang>.ts): the screen is read with the words a person sees."""
    text = (I18N / f"{lang}.ts").read_text(encoding="utf-8")
    return {k: json.loads(f'"{v}"') for k, v in re.findall(r'^\s*"([\w.:]+)": "((?:[^"\\]|\\.)*)",$', text, re.M)}


TEXT = {"en": _messages("en"), "ar": _messages("ar")}
# 25.00 in either digit system (the Arabic formatter may choose Arabic-Indic digits).
AMOUNT = re.compile(r"25\.00|٢٥٫٠٠")


def set_language(page: Page, user: WebUser, lang: str) -> None:
    """The profile's language (what a person picks in Profile), then the app opened again."""
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


def fits_the_phone(page: Page, where: str) -> None:
    """Nothing makes the page wider than the phone (a long link or QR code would)."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{where} is {width}px wide on a {PHONE['width']}px phone"


def shot(page: Page, path: Path) -> None:
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=path)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_pay_by_link(new_page, console, screenshots: Path, sms, lang: str) -> None:
    # Refused on purpose: paying and opening a single-use link that was already paid.
    console.allow(409, "/api/v1/transfers")
    console.allow(409, "/api/v1/payment-links/resolve")
    w = TEXT[lang]
    amal, badr = new_identity("Amal"), new_identity("Badr")

    # --- Amal makes a single-use link for 25.00 on Receive (from the dashboard) ---------------------
    a = new_page(**PHONE)
    sign_up(a, amal, sms)
    set_language(a, amal, lang)
    a.get_by_test_id("dash-receive").click()
    expect(a.get_by_role("heading", name=w["pay.receive_title"])).to_be_visible()
    mine = a.get_by_test_id("my-code")
    expect(mine.get_by_role("img", name=w["pay.qr_alt"].replace("{handle}", f"@{amal.handle}"))).to_be_visible()
    expect(mine.get_by_test_id("link-url")).to_contain_text("/pay/")
    a.get_by_label(w["pay.amount_optional"]).fill("25.00")
    a.get_by_label(w["pay.reference_optional"]).fill("Order 7")
    a.get_by_label(w["pay.single_use"]).check()
    a.get_by_role("button", name=w["pay.create_link"]).click()
    made = a.get_by_test_id("new-link")
    expect(made).to_contain_text(AMOUNT)
    url = made.get_by_test_id("link-url").inner_text().strip()
    token = url.rsplit("/pay/", 1)[1]
    expect(a.get_by_test_id("my-links").get_by_test_id("link-status")).to_have_text([w["pay.status.active"]])
    fits_the_phone(a, f"receive ({lang})")
    shot(a, screenshots / f"pay-receive-375-{lang}.png")

    # --- Badr opens the link: whom, how much, what for; then the PIN ---------------------------------
    b = new_page(**PHONE)
    sign_up(b, badr, sms)
    top_up(b, "100.00")
    set_language(b, badr, lang)
    b.goto(f"/pay/{token}")
    review = b.get_by_test_id("pay-review")
    expect(review.get_by_test_id("recipient-name")).to_have_text("Amal T.")
    expect(review).to_contain_text(f"@{amal.handle}")
    expect(review.get_by_test_id("review-amount")).to_have_text(AMOUNT)
    expect(review.get_by_test_id("link-reference")).to_have_text("Order 7")
    expect(b.get_by_label(w["pay.amount_optional"])).to_have_count(0)
    fits_the_phone(b, f"pay review ({lang})")
    shot(b, screenshots / f"pay-review-375-{lang}.png")

    # The same link on Badr's second device, signed out: log-in first, then back to the link.
    b2 = new_page(**PHONE)
    b2.goto(f"/pay/{token}")
    expect(b2).to_have_url(re.compile(r"/login$"))
    # A new device has no language yet: the log-in screen is in English until the profile loads.
    b2.get_by_label("Email, phone or handle").fill(badr.handle)
    b2.get_by_label("Password").fill(badr.password)
    b2.get_by_role("button", name="Log in").click()
    expect(b2).to_have_url(re.compile(re.escape(f"/pay/{token}") + "$"))
    expect(b2.get_by_test_id("recipient-name")).to_have_text("Amal T.")

    b.get_by_label(w["common.pin"]).fill(PIN)
    b.get_by_role("button", name=w["send.confirm"]).click()
    success = b.get_by_test_id("send-success")
    expect(success).to_contain_text("Amal T.")
    expect(success).to_contain_text(AMOUNT)
    reference = b.get_by_test_id("paid-reference").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{6,}", reference), reference

    # --- Paying it again is refused: from the review already open, and when opening the link -------
    b2.get_by_label(w["common.pin"]).fill(PIN)
    b2.get_by_role("button", name=w["send.confirm"]).click()
    expect(b2.get_by_role("alert")).to_have_text(w["pay.err.used"])
    b2.reload()
    expect(b2.get_by_role("alert")).to_have_text(w["pay.err.used"])
    expect(b2.get_by_label(w["common.pin"])).to_have_count(0)
    a.reload()
    expect(a.get_by_test_id("my-links").get_by_test_id("link-status")).to_have_text([w["pay.status.used"]])

    # --- The details from the success screen: the same reference, both people ----------------------
    b.get_by_test_id("see-details").click()
    expect(b).to_have_url(re.compile(r"/transactions/[0-9a-f-]{36}$"))
    expect(b.get_by_test_id("detail-reference")).to_have_text(reference)
    expect(b.get_by_test_id("detail-recipient")).to_contain_text("Amal T.")
    expect(b.get_by_test_id("detail-sender")).to_contain_text("Badr T.")
    expect(b.get_by_test_id("detail-amount")).to_contain_text(AMOUNT)
    fits_the_phone(b, f"transaction detail ({lang})")
    shot(b, screenshots / f"pay-detail-375-{lang}.png")

    # --- Amal saved as a favourite, one tap away on Send ------------------------------------------
    b.get_by_role("button", name=w["pay.fav_save"]).click()
    b.get_by_label(w["pay.fav_nickname"]).fill("Amal shop")
    b.get_by_role("button", name=w["common.save"], exact=True).click()
    expect(b.get_by_test_id("favourite-saved")).to_have_text(w["pay.fav_saved"])
    go(b, "/send")
    chip = b.get_by_test_id("favourites").get_by_role("button", name="Amal shop", exact=True)
    expect(chip).to_be_visible()
    chip.click()
    expect(b.get_by_test_id("recipient-name")).to_have_text("Amal T.")
