"""The masked name strangers see: first name and initial, never a link, a hidden character or an
e-mail address."""

import pytest

from instapay_common.display_names import masked_display_name


@pytest.mark.parametrize(
    ("full_name", "shown"),
    [
        ("Ahmed Mohamed", "Ahmed M."),
        ("Mona", "Mona"),
        ("  sara   el masry ", "sara M."),
        ("أحمد محمد علي", "أحمد ع."),
        ("O'Brien Smith-Jones", "O'Brien S."),
        ("Sara, Ali", "Sara A."),
        ("\u202eAhmed\u200b Mohamed\u2066", "Ahmed M."),  # bidi override, zero-width space, isolate
        ("Visit www.evil.tld now", "Visit N."),
        ("Mona evil.tld", "Mona"),
        ("Bank Misr 19623", "Bank M."),
        ("Averyveryverylongfirstnameindeed X", "Averyveryverylongfir X."),
    ],
)
def test_first_name_and_initial(full_name, shown):
    assert masked_display_name(full_name, handle="h.x") == shown


@pytest.mark.parametrize(
    "full_name",
    ["https://evil.tld", "pay.me@evil.tld", "ｈｔｔｐｓ://ｅｖｉｌ.ｔｌｄ", "12345", "\u202e\u200b", "-- !!"],
)
def test_nothing_printable_left_shows_the_handle(full_name):
    assert masked_display_name(full_name, handle="h.x") == "@h.x"
