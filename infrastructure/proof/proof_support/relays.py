"""The outbox relays run by the stack (instapay_stack.services.RELAYS), as fault targets."""

from __future__ import annotations

from instapay_stack.services import RELAYS
from instapay_stack.stack import Stack


def relay_name(service: str) -> str:
    return next(r.name for r in RELAYS if r.service == service)


def start_relays(stack: Stack) -> list[str]:
    """Checks that the stack runs a relay per emitting service (events reach reporting and
    notifications only through them); returns their process names."""
    names = [r.name for r in RELAYS]
    for name in names:
        child = stack.supervisor.children.get(name)
        assert child is not None and child.proc.poll() is None, f"outbox relay {name} is not running"
    return names
