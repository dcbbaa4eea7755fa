"""Which language a generated document is in when the client names none (`?lang=` wins)."""

import pytest

from instapay_common.web.language import from_accept_language


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("ar-EG,ar;q=0.9,en;q=0.8", "ar"),
        ("en-US,en;q=0.9,ar;q=0.8", "en"),
        ("fr-FR,ar;q=0.5", "ar"),  # the first language we have
        ("en;q=0.2, ar;q=0.7", "ar"),  # by weight, not order
        ("ar;q=0", "en"),  # q=0 means "not this"
        ("de-DE", "en"),
        ("", "en"),
        (None, "en"),
        ("ar;q=abc", "en"),
    ],
)
def test_accept_language_picks_the_best_supported_language(header, language):
    assert from_accept_language(header) == language
