"""Free text a client sends (names, notes, references, opaque tokens): refused with 422 unless it can
be stored and hashed as it is.

Valid JSON can carry what PostgreSQL and UTF-8 cannot: NUL (`\\u0000`: `text` and `jsonb` refuse
it) and lone surrogates (`\\ud800`: no UTF-8 encoding, so orjson, asyncpg and `str.encode` raise).
Refusing them at the edge means no such value ever reaches the database or a hash, where it would
fail as a 500. Other control characters are refused too (they only hide text in logs and UIs),
except tab and newline.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

_UNSTORABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
MESSAGE = "must not contain control characters or unpaired surrogates"


def plain_text(value: str) -> str:
    if _UNSTORABLE.search(value):
        raise ValueError(MESSAGE)
    return value


def is_plain_text(value: str) -> bool:
    return _UNSTORABLE.search(value) is None


PlainText = Annotated[str, AfterValidator(plain_text)]
"""A `str` field that PostgreSQL, orjson and hashing can take as it is."""
