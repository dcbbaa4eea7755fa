"""No notice puts a full stop straight after a name (masked names end with one: "Bassem Y.") or,
in Arabic, after an amount (the pound's symbol "ج.م." ends with one)."""

import re

import pytest

from notification_service.templates import TEMPLATES, render

NAME_FIELDS = ("counterparty", "full_name", "client_name")
AR_AMOUNT_FIELDS = ("amount_text", "balance_text")


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_no_name_is_followed_by_a_full_stop(kind):
    for language, (title, body) in TEMPLATES[kind].items():
        for text in (title, body):
            for field in NAME_FIELDS:
                assert not re.search(r"\{" + field + r"\}\u2069?\.", text), (kind, language, text)
            for field in AR_AMOUNT_FIELDS if language == "ar" else ():
                assert not re.search(r"\{" + field + r"\}\.", text), (kind, language, text)


def test_a_sent_notice_to_a_masked_name_reads_right():
    data = {"amount": "250.00", "currency": "EGP", "counterparty": "Bassem Y.", "balance_after": "50.00"}
    for language in ("en", "ar"):
        rendered = render("transfer.sent", language, data)
        assert "Bassem Y." in rendered.body and ".." not in rendered.body, rendered.body
