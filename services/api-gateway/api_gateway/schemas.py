"""Bodies of the gateway's own routes (everything else it forwards untouched)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

ServiceState = Literal["up", "not_ready", "down"]


class PlatformHealth(BaseModel):
    status: Literal["ok", "degraded"]
    # "gateway" and every upstream of the routing table: "up" when its /readyz answered 200.
    services: dict[str, ServiceState]
