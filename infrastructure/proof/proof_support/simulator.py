"""The provider simulator's control API (docs/PROVIDER_SIMULATOR.md, "Faults"), as the bank test and
the security suite drive it: switch its faults, list what it charged and paid out."""

from __future__ import annotations

from typing import Any

import aiohttp

from instapay_stack.stack import Stack

# Every fault off: what the end of a run (and a phase that ends) sets.
NO_FAULTS: dict[str, Any] = {
    "down": False,
    "error_rate": 0.0,
    "timeout_rate": 0.0,
    "callback_delay_ms": 0,
    "duplicate_callbacks": False,
    "reorder_callbacks": False,
    "forge_callbacks": False,
}


class SimulatorControl:
    def __init__(self, url: str, control_token: str) -> None:
        self.url = url
        self.headers = {"Authorization": f"Bearer {control_token}"}

    @classmethod
    def of(cls, stack: Stack) -> SimulatorControl:
        """The simulator of a local stack."""
        return cls(stack.url_of("simulator"), stack.env["SIMULATOR_CONTROL_TOKEN"])

    async def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        async with (
            aiohttp.ClientSession() as session,
            session.request(
                method, self.url + path, json=body, headers=self.headers, timeout=aiohttp.ClientTimeout(total=30)
            ) as resp,
        ):
            if resp.status != 200:
                raise AssertionError(f"simulator {method} {path}: {resp.status} {await resp.text()}")
            return await resp.json()

    async def set_faults(self, **faults: Any) -> dict[str, Any]:
        """The fields given replace the simulator's current ones; the others keep their value."""
        return dict(await self._call("POST", "/_sim/faults", faults))

    async def reset(self) -> None:
        await self._call("POST", "/_sim/reset-faults")

    async def payouts(self) -> list[dict[str, Any]]:
        return list(await self._call("GET", "/_sim/payouts"))

    async def charges(self) -> list[dict[str, Any]]:
        return list(await self._call("GET", "/_sim/charges"))
