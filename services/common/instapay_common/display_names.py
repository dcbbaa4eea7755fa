"""The name a user is shown to others by: first name and initial ("Ahmed M."), never a link.

Names are free text chosen by their owner, and a stranger reads the masked form in a lookup, a
transfer, a payment request ("Payment request from ...") and a history row. So only words made of
letters survive: URLs, domains, e-mail-like strings, digits and symbols are dropped, and control,
format and bidirectional characters (which reorder or hide text) are removed first. When no word
is left, the handle stands in (`@handle`). Every service that shows a name to someone else than
its owner uses this one function.
"""

from __future__ import annotations

import unicodedata

FIRST_NAME_MAX = 20
# Inside a word only: O'Brien, Al-Sayed.
_JOINERS = frozenset("'-\u2019")


def _visible(text: str) -> str:
    """NFKC (full-width and styled letters become plain ones, so `ｈｔｔｐ` is seen for what it is),
    then without control (Cc), format (Cf: bidi overrides, zero-width) or unassigned characters."""
    normal = unicodedata.normalize("NFKC", text)
    return "".join(" " if c.isspace() else c for c in normal if unicodedata.category(c) not in ("Cc", "Cf", "Cn", "Co"))


def _is_word(token: str) -> bool:
    """Letters (and their combining marks, as Arabic vowel signs), joined at most by ' or -."""
    if not token or not unicodedata.category(token[0]).startswith("L"):
        return False
    if token[-1] in _JOINERS:
        return False
    return all(unicodedata.category(c)[0] in "LM" or c in _JOINERS for c in token)


def masked_display_name(full_name: str, *, handle: str) -> str:
    """ "Ahmed Mohamed Ali" -> "Ahmed A."; "https://evil.tld" -> "@<handle>"."""
    tokens = (t.strip(",;:") for t in _visible(full_name).split())
    words = [t for t in tokens if _is_word(t)]
    if not words:
        return f"@{handle}"
    first = words[0][:FIRST_NAME_MAX]
    return first if len(words) == 1 else f"{first} {words[-1][0].upper()}."
