"""The sandbox's SMS gateway: text messages accepted by POST /v1/sms, kept in the process for the
tests and the operator to read (GET /_sim/sms). A restart empties it, like the faults: messages
are not money, and nothing is delivered anywhere."""

from __future__ import annotations

import secrets
import time
from collections import deque

from provider_simulator.schemas import Sms, SmsRequest


class SmsInbox:
    def __init__(self, size: int) -> None:
        self._messages: deque[Sms] = deque(maxlen=size)  # the oldest go first once full

    def receive(self, request: SmsRequest) -> Sms:
        message = Sms(
            id=f"sms_{secrets.token_hex(12)}",
            to=request.to,
            sender=request.sender,
            text=request.text,
            created=int(time.time()),
        )
        self._messages.append(message)
        return message

    def sent_to(self, number: str | None) -> list[Sms]:
        """Oldest first; every message when `number` is None."""
        return [m for m in self._messages if number is None or m.to == number]
