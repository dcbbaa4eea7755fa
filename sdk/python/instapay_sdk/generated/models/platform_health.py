from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.platform_health_status import PlatformHealthStatus

if TYPE_CHECKING:
    from ..models.platform_health_services import PlatformHealthServices


T = TypeVar("T", bound="PlatformHealth")


@_attrs_define
class PlatformHealth:
    """
    Attributes:
        services (PlatformHealthServices):
        status (PlatformHealthStatus):
    """

    services: PlatformHealthServices
    status: PlatformHealthStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        services = self.services.to_dict()

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "services": services,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.platform_health_services import PlatformHealthServices  # noqa: PLC0415

        d = dict(src_dict)
        services = PlatformHealthServices.from_dict(d.pop("services"))

        status = PlatformHealthStatus(d.pop("status"))

        platform_health = cls(
            services=services,
            status=status,
        )

        platform_health.additional_properties = d
        return platform_health

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
