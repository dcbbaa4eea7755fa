"""What the prod stack's sandbox (docker-compose.sandbox.yml) "sent": text messages kept by the
provider simulator (GET /_sim/sms, control token) and mail kept by the mail sink (Mailpit's API),
both published on the host's loopback. For tests, and for a person trying the stack:

    inbox = SandboxInbox.of_running_stack()
    inbox.sms_to("+201012345678")        # texts, oldest first
    inbox.mail_to("user@example.com")    # [{"subject", "text"}], oldest first
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import httpx
import podman_stack as ps

T = TypeVar("T")


@dataclass(frozen=True)
class SandboxInbox:
    simulator_url: str
    control_token: str
    mail_url: str

    @classmethod
    def of_running_stack(cls, env: str = "prod") -> SandboxInbox:
        """The sandbox `make compose-up` started: ports from INSTAPAY_SANDBOX_PORT and
        INSTAPAY_MAIL_PORT (or their defaults), the control token from the generated secrets."""
        simulator_url, mail_url = ps.sandbox_urls()
        token = (ps.state_dir(env) / "simulator_control_token").read_text().strip()
        return cls(simulator_url, token, mail_url)

    def sms_to(self, phone: str) -> list[str]:
        resp = httpx.get(
            f"{self.simulator_url}/_sim/sms",
            params={"to": phone},
            headers={"Authorization": f"Bearer {self.control_token}"},
            timeout=10,
        )
        resp.raise_for_status()
        return [m["text"] for m in resp.json()]

    def mail_to(self, address: str) -> list[dict[str, str]]:
        with httpx.Client(base_url=self.mail_url, timeout=10) as client:
            listed = client.get("/api/v1/messages")
            listed.raise_for_status()
            mine = [
                m["ID"]
                for m in reversed(listed.json()["messages"])  # the API lists the newest first
                if any(to["Address"].lower() == address.lower() for to in m["To"])
            ]
            found = []
            for message_id in mine:
                resp = client.get(f"/api/v1/message/{message_id}")
                resp.raise_for_status()
                found.append({"subject": resp.json()["Subject"], "text": resp.json()["Text"]})
            return found

    def texts(self, to: str, email: bool) -> list[str]:
        """Everything sent to `to` (a phone, or with email=True an e-mail address), oldest first:
        the reader instapay_stack.message_sinks uses to find verification codes."""
        return [m["subject"] + "\n" + m["text"] for m in self.mail_to(to)] if email else self.sms_to(to)

    def wait_for(self, read: Callable[[], list[T]], what: str, within: float = 30) -> list[T]:
        """Until `read` finds something (deliveries are asynchronous and retried)."""
        deadline = time.monotonic() + within
        while not (found := read()):
            if time.monotonic() > deadline:
                raise AssertionError(f"nothing arrived for {what} within {within:.0f} s")
            time.sleep(0.5)
        return found
