"""Transaction PIN rules (docs/ARCHITECTURE.md, "Identity and access"): a PIN a thief guesses in
a few tries is refused. Refused: one digit repeated (`000000`); a run of digits with a fixed step,
up or down, wrapping past 9 (`123456`, `654321`, `890123`, `135791`); a short pattern repeated
(`121212`, `123123`); doubled runs (`112233`); the most common PINs of published studies (data file).
"""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise
from pathlib import Path

COMMON_LIST = Path(__file__).resolve().parent / "data" / "common_pins.txt"


@lru_cache(maxsize=1)
def common_pins() -> frozenset[str]:
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _steps(pin: str) -> set[int]:
    """The differences between neighbouring digits, modulo 10 (so 9 -> 0 is a step of +1)."""
    return {(int(b) - int(a)) % 10 for a, b in pairwise(pin)}


def _repeats_a_pattern(pin: str) -> bool:
    """`121212`, `123123`: a block of 1-3 digits repeated to the full length."""
    return any(pin == pin[:size] * (len(pin) // size) for size in (1, 2, 3) if len(pin) % size == 0)


def _doubled_pairs(pin: str) -> bool:
    """`112233`, `998877`: each digit twice in a row, the doubled digits a sequence or a repeat."""
    if len(pin) % 2 or any(pin[i] != pin[i + 1] for i in range(0, len(pin), 2)):
        return False
    return len(_steps(pin[::2])) <= 1


def pin_problem(pin: str) -> str | None:
    """None when acceptable, else the reason (shown to the user). `pin` has the PIN syntax."""
    if _repeats_a_pattern(pin):
        return "the PIN must not be one digit or a short pattern repeated"
    if len(_steps(pin)) == 1:
        return "the PIN must not be a run of digits with a fixed step (123456, 654321, 135791)"
    if _doubled_pairs(pin) or pin in common_pins():
        return "this PIN is too common; choose one that is harder to guess"
    return None
