"""Configuration of the user service (environment variables only)."""

from functools import lru_cache
from typing import ClassVar

from pydantic import Field

from instapay_common.settings import ServiceSettings


class UserSettings(ServiceSettings):
    # Makes no internal calls of its own. Auth: create/remove profiles, sign-in lookups;
    # transaction: recipients and parties; notification: contact details.
    internal_peers: ClassVar[tuple[str, ...]] = ("auth", "transaction", "notification")
    service_name: str = "user-service"
    port: int = 8002
    db_schema: str = "users"
    # A released handle stays its previous owner's this long (nobody else can claim it).
    handle_quarantine_days: int = Field(default=30, ge=0)
    # Per-user budget of new recipient identifiers resolved (recipient_budget.py): enumeration of
    # phone numbers into names is bounded by this, whichever route or API client asks.
    recipient_lookups_per_minute: int = Field(default=30, ge=1)
    recipient_lookups_per_day: int = Field(default=200, ge=1)


@lru_cache
def get_settings() -> UserSettings:
    return UserSettings()
