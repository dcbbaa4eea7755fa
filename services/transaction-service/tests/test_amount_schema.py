"""The OpenAPI's amount schema (money.AMOUNT_JSON_SCHEMA) and parse_amount agree: whatever the API
accepts, the document allows (so a client or schemathesis following the document is never told
"invalid" for a value the API takes, nor the reverse for the string form within its length)."""

import re

from hypothesis import given
from hypothesis import strategies as st

from transaction_service.money import AMOUNT_JSON_SCHEMA, parse_amount

STRING_FORM, NUMBER_FORM = AMOUNT_JSON_SCHEMA["anyOf"]
PATTERN = re.compile(STRING_FORM["pattern"])


def _accepted(value) -> bool:
    try:
        parse_amount(value)
    except ValueError:
        return False
    return True


def _documented_string(text: str) -> bool:
    return bool(PATTERN.match(text)) and len(text) <= STRING_FORM["maxLength"]


amount_like = st.from_regex(r"\A[0-9]{0,20}(\.[0-9]{0,3})?\Z") | st.text(alphabet="0123456789.-e+ ", max_size=24)


@given(amount_like)
def test_a_string_is_accepted_exactly_when_the_document_allows_it(text):
    digits_before_point = len(text.split(".")[0])
    if _accepted(text):
        assert _documented_string(text), text
    elif _documented_string(text):
        assert digits_before_point > 18, text  # the one rule the pattern leaves to maxLength


@given(
    st.one_of(
        st.integers(min_value=-(10**6), max_value=10**6),
        st.decimals(min_value=-(10**6), max_value=10**6, places=2).map(float),
    )
)
def test_an_accepted_number_is_above_the_documented_minimum(number):
    if _accepted(number):
        assert number > NUMBER_FORM["exclusiveMinimum"]


def test_the_edges():
    for text in ("1", "0.5", "0.05", "0.50", "125.50", "000001", "999999999999999999.99"):
        assert _accepted(text) and _documented_string(text), text
    for text in ("0", "0.00", "00.0", "1.", ".5", "1.234", "-1", "1e3", " 1", ""):
        assert not _accepted(text) and not _documented_string(text), text
