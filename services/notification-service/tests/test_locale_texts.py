"""Notification texts in the recipient's language: money formatted by Babel the way the web app
formats it (the locale places the currency; Latin digits in Arabic too), names and phones isolated
in Arabic text, and a notification stored in one language read in the reader's language now."""

from __future__ import annotations

import re

from instapay_common.money_text import format_money
from notification_service.templates import render

ARABIC_INDIC = re.compile("[\u0660-\u0669\u06f0-\u06f9]")


def test_money_is_placed_by_the_locale_with_latin_digits():
    assert format_money("1250.5", "EGP", "en") == "EGP\u00a01,250.50"
    arabic = format_money("1250.5", "EGP", "ar")
    assert "1,250.50" in arabic and "ج.م." in arabic and "EGP" not in arabic
    assert not ARABIC_INDIC.search(arabic)
    assert format_money("not a number", "EGP", "ar") == "not a number EGP"


def test_arabic_text_has_no_latin_currency_code_and_isolates_names():
    data = {"amount": "125.50", "currency": "EGP", "counterparty": "Bassem Y.", "balance_after": "1000.00"}
    text = render("transfer.received", "ar", data)
    assert text.language == "ar"
    assert "EGP" not in text.title + text.body and not ARABIC_INDIC.search(text.title + text.body)
    # The name keeps its full stop at its end in right-to-left text (not ".Bassem Y").
    assert "\u2068Bassem Y.\u2069" in text.body
    assert "1,000.00\u00a0ج.م." in text.body
    english = render("transfer.received", "en", data)
    assert english.body == "Bassem Y. sent you EGP\u00a0125.50. Balance: EGP\u00a01,000.00."


async def test_a_notification_stored_in_english_reads_in_arabic_after_the_switch(service, users, ev):
    alice, bob = users.add("alice"), users.add("bob")
    assert (await service.post_event(ev.transfer(alice, bob))).status_code == 204
    headers = service.auth(bob["user_id"])
    before = (await service.client.get("/api/v1/notifications", headers=headers)).json()["items"]
    assert before[0]["title"] == "You received EGP\u00a0125.50"
    users.profiles[bob["user_id"]]["preferences"]["language"] = "ar"
    after = (await service.client.get("/api/v1/notifications", headers=headers)).json()["items"]
    assert [n["id"] for n in after] == [n["id"] for n in before]
    assert after[0]["title"].startswith("استلمت") and "ج.م." in after[0]["title"]
    assert "\u2068Alice X.\u2069" in after[0]["body"] and "EGP" not in after[0]["body"]
    assert after[0]["data"] == before[0]["data"]
