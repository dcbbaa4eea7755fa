"""When a failed delivery is tried again."""

from __future__ import annotations

import random


def backoff_delay(attempts: int, *, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with full jitter: uniform within min(cap, base * 2^attempts), floored
    at a tenth of that step so that a retry storm never becomes a busy loop."""
    step = min(cap, base * (2 ** min(attempts, 30)))
    return (rng or random).uniform(step / 10, step)
