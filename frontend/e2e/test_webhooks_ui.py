"""Webhooks on the Security page, as a developer uses them, in English and Arabic, on a 375 px
phone and at desktop width, against the real stack: add an endpoint (URL, events, description),
copy its signing secret (shown once), see a real delivery of the account's top-up in the delivery
log, rotate the secret (a new one, shown once; the old one stays valid 24 h), delete the endpoint
after confirming.

The shared test stack runs with ENVIRONMENT=test, where the notification service refuses http://
and loopback receivers (only `development` allows them), so no local receiver can be registered.
The endpoint is an https URL on the reserved `.invalid` domain (RFC 6761: it never resolves): the
worker's real attempt fails at name resolution without leaving the machine, and the log shows that
attempt (time, no status code, latency, outcome).
Screenshots (webhooks-{add,log,rotated}-{375,1280}-{en,ar}.png) go to test-artifacts/screenshots/."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import httpx
import pytest
from helpers import app_messages, go, new_identity, sign_up, use_language
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.timeout(600)

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 860}


def fits(page: Page, where: str) -> None:
    """Nothing makes the page wider than the screen (a long URL or secret would)."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None and width <= viewport["width"], f"{where} is {width}px wide on {viewport}"


def shot(page: Page, path: Path) -> None:
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=path, full_page=True)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_webhooks_ui(new_page, screenshots: Path, sms, lang: str) -> None:
    w = app_messages(lang)
    dev = new_identity("Dina")
    p = new_page(**PHONE)
    sign_up(p, dev, sms)
    token = use_language(p, dev, lang)
    gateway = "/".join(p.url.split("/", 3)[:3])

    # --- Add an endpoint on the phone ----------------------------------------------------------------
    go(p, "/security")
    section = p.get_by_role("region", name=w["webui.wh.title"])
    expect(section.get_by_text(w["webui.wh.none"])).to_be_visible()
    url = f"https://hooks-{lang}.example.invalid/instapay"
    form = section.get_by_role("form", name=w["webui.wh.add"])
    form.get_by_label(w["webui.wh.url"]).fill(url)
    form.get_by_role("checkbox", name=w["webui.wh.event.topup.completed"]).check()
    form.get_by_label(w["webui.wh.description"]).fill("e2e")
    form.get_by_role("button", name=w["webui.wh.add"]).click()
    secret_box = section.get_by_test_id("webhook-secret-box")
    secret = section.get_by_test_id("webhook-secret")
    expect(secret).to_have_text(re.compile(r"^whsec_\S+$"))
    first_secret = secret.inner_text()
    expect(secret_box).to_contain_text(w["webui.wh.secret_once"])
    endpoint = section.get_by_test_id("webhook-endpoint")
    expect(endpoint).to_have_count(1)
    expect(endpoint).to_contain_text(url)
    expect(endpoint.get_by_test_id("webhook-status")).to_have_text(w["webui.wh.status.enabled"])
    fits(p, f"webhooks with a new secret ({lang}, 375)")
    shot(p, screenshots / f"webhooks-add-375-{lang}.png")
    section.get_by_role("button", name=w["common.done"], exact=True).click()
    expect(secret_box).to_have_count(0)

    # --- A real delivery: the account's card top-up is sent to the endpoint ------------------------
    r = httpx.post(
        gateway + "/api/v1/wallet/topups",
        json={"amount": "10.00", "source": {"type": "card", "reference": "4111-E2E"}},
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())},
    )
    assert r.status_code in (201, 202), r.text
    endpoint.get_by_role("button", name=w["webui.wh.log"]).click()
    row = endpoint.get_by_test_id("webhook-delivery").first
    expect(row).to_be_visible(timeout=60_000)  # the log is read again every 5 s while open
    expect(row).to_contain_text("topup.completed")
    expect(row.get_by_test_id("attempt-status").first).to_have_text(w["webui.wh.no_answer"], timeout=60_000)
    expect(row.get_by_test_id("delivery-outcome")).to_have_text(
        re.compile(f"^({w['webui.wh.outcome.pending']}|{w['webui.wh.outcome.failed']})$")
    )
    fits(p, f"webhook delivery log ({lang}, 375)")
    shot(p, screenshots / f"webhooks-log-375-{lang}.png")

    # --- Desktop: rotate, then delete -----------------------------------------------------------------
    p.set_viewport_size(DESKTOP)
    endpoint.get_by_role("button", name=w["webui.wh.rotate"]).click()
    expect(endpoint.get_by_role("alert")).to_have_text(w["webui.wh.rotate_q"])
    endpoint.get_by_role("button", name=w["webui.wh.rotate_yes"]).click()
    expect(secret_box).to_contain_text(w["webui.wh.rotated"])
    expect(secret_box).to_contain_text(w["webui.wh.old_until"])
    expect(secret).to_have_text(re.compile(r"^whsec_\S+$"))
    assert secret.inner_text() != first_secret
    fits(p, f"webhooks after rotation ({lang}, 1280)")
    shot(p, screenshots / f"webhooks-rotated-1280-{lang}.png")

    endpoint.get_by_role("button", name=w["webui.wh.delete"]).click()
    expect(endpoint.get_by_role("alert")).to_have_text(w["webui.wh.delete_q"])
    endpoint.get_by_role("button", name=w["flows.delete_yes"]).click()
    expect(section.get_by_test_id("webhook-endpoint")).to_have_count(0)
    expect(section.get_by_text(w["webui.wh.none"])).to_be_visible()
    listed = httpx.get(gateway + "/api/v1/webhooks/endpoints", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200 and listed.json()["items"] == [], listed.text
