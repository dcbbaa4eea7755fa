"""Money input parsing: a decimal string (or JSON number) with at most 2 fraction digits.

Never goes through float arithmetic: a JSON number is converted from its shortest repr.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

CENT = Decimal("0.01")
# Plain digits only: no exponent, sign, spaces, NaN/Infinity; capped so NUMERIC(20,2) always fits.
_AMOUNT_RE = re.compile(r"^[0-9]{1,18}(\.[0-9]{1,2})?$")


def parse_amount(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError('amount must be a decimal string like "125.50"')
    text = value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, float) and "e" in text.lower():
        try:
            text = format(Decimal(text), "f")
        except InvalidOperation as exc:
            raise ValueError("amount is not a number") from exc
    if not _AMOUNT_RE.match(text):
        raise ValueError("amount must be a positive decimal with at most 2 fraction digits")
    amount = Decimal(text).quantize(CENT)
    if amount <= 0:
        raise ValueError("amount must be greater than zero")
    return amount


def fmt(amount: Decimal) -> str:
    """Money out: always a string with 2 fraction digits."""
    return str(Decimal(amount).quantize(CENT))


# What the OpenAPI says an amount is, as close to parse_amount as JSON Schema gets: a decimal
# string above zero with at most 2 fraction digits, or a JSON number above zero. (Pydantic's own
# Decimal schema allowed any number or string, so generated clients and schemathesis sent 0.0.)
AMOUNT_JSON_SCHEMA = {
    "anyOf": [
        {
            "type": "string",
            "pattern": r"^(?:[0-9]*[1-9][0-9]*(?:\.[0-9]{1,2})?|[0-9]+\.(?:[1-9][0-9]?|0[1-9]))$",
            "maxLength": 21,
        },
        {"type": "number", "exclusiveMinimum": 0},
    ],
    "title": "Amount",
    "description": "Above zero, at most 2 fraction digits, at most 18 integer digits; "
    'a decimal string ("125.50") is preferred to a JSON number',
    "examples": ["125.50"],
}
Amount = Annotated[
    Decimal, BeforeValidator(parse_amount), PlainSerializer(fmt, return_type=str), WithJsonSchema(AMOUNT_JSON_SCHEMA)
]
