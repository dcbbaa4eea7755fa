"""Money in a notification's language, formatted the way the web app formats it.

Babel (CLDR) places the currency symbol for the locale: "EGP 1,250.50" in English, "1,250.50 ج.م."
in Arabic. Arabic uses Latin digits, the web app's choice (docs/ARCHITECTURE.md, "Locale, numbers
and charts"): phone numbers, handles and references in the same text are Latin, so Arabic-Indic
amounts would mix two digit systems in one message.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency

# The Babel locale of each app language (Babel has no en_EG; "en" formats EGP the same way).
LOCALES = {"en": "en", "ar": "ar_EG"}
# CLDR's currencySpacing rule, which ICU (the browser's Intl) applies and Babel does not: an
# alphabetic currency code next to a digit gets a no-break space ("EGP 1,250.50", not "EGP1,250.50").
_CODE_THEN_DIGIT = re.compile(r"(?<=[A-Z]{3})(?=[\d-])")


def format_money(amount: object, currency: object, language: str) -> str:
    """`amount` (a decimal string from an event) in `language`; a value that is not a number is
    shown as it came (a notification is never dropped for its formatting)."""
    code = str(currency or "EGP")
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return f"{amount} {code}".strip()
    if not value.is_finite():
        return f"{amount} {code}"
    locale = LOCALES.get(language, "en")
    text = format_currency(value, code, locale=locale, numbering_system="latn")
    return _CODE_THEN_DIGIT.sub("\u00a0", text)
