"""What the auth service's use cases need, built once per app in its lifespan."""

from __future__ import annotations

from dataclasses import dataclass

from auth_service.config import AuthSettings
from auth_service.keys import SigningKeys
from auth_service.passwords import Passwords
from instapay_common.web.http_client import ServiceClient


@dataclass(frozen=True)
class AuthContext:
    settings: AuthSettings
    keys: SigningKeys
    passwords: Passwords
    users: ServiceClient
    wallets: ServiceClient
    notifications: ServiceClient  # sends one-time codes (POST /internal/messages)

    @property
    def pepper(self) -> str:
        return self.settings.pin_pepper.get_secret_value()
