from enum import StrEnum


class PlatformHealthServicesAdditionalProperty(StrEnum):
    DOWN = "down"
    NOT_READY = "not_ready"
    UP = "up"

    def __str__(self) -> str:
        return str(self.value)
