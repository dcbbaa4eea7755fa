"""Configuration of the notification service (environment variables only)."""

from functools import lru_cache

from instapay_common.settings import ServiceSettings


class NotificationSettings(ServiceSettings):
    service_name: str = "notification-service"
    port: int = 8005
    db_schema: str = "notifications"


@lru_cache
def get_settings() -> NotificationSettings:
    return NotificationSettings()
