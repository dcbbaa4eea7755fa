"""The switchable faults (POST /_sim/faults). They live in the process: a restart clears them."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field

from provider_simulator.exceptions import ProviderUnavailable
from provider_simulator.schemas import Faults, FaultsUpdate

# Not a secret: the share of calls that fail only has to be about right.
_dice = random.Random()  # noqa: S311


@dataclass
class FaultSwitch:
    current: Faults = field(default_factory=Faults)

    def update(self, change: FaultsUpdate) -> Faults:
        self.current = self.current.model_copy(update=change.model_dump(exclude_none=True))
        return self.current

    def reset(self) -> Faults:
        self.current = Faults()
        return self.current

    def refuse_some(self) -> None:
        """`error_rate`: that share of POSTs fails before anything is recorded."""
        if self.current.error_rate > 0 and _dice.random() < self.current.error_rate:
            raise ProviderUnavailable("the provider failed (simulated error)")

    async def stall_some(self) -> None:
        """`timeout_rate`: that share of POSTs, already recorded, answers only after
        `timeout_seconds` (the client has given up by then and must learn the outcome otherwise)."""
        if self.current.timeout_rate > 0 and _dice.random() < self.current.timeout_rate:
            await asyncio.sleep(self.current.timeout_seconds)
