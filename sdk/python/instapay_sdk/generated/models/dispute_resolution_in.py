from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.dispute_resolution_in_outcome import DisputeResolutionInOutcome

T = TypeVar("T", bound="DisputeResolutionIn")


@_attrs_define
class DisputeResolutionIn:
    """An operator's decision on an open dispute (carried out once a second admin approves it).

    Attributes:
        note (str):
        outcome (DisputeResolutionInOutcome):
    """

    note: str
    outcome: DisputeResolutionInOutcome

    def to_dict(self) -> dict[str, Any]:
        note = self.note

        outcome = self.outcome.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "note": note,
                "outcome": outcome,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        note = d.pop("note")

        outcome = DisputeResolutionInOutcome(d.pop("outcome"))

        dispute_resolution_in = cls(
            note=note,
            outcome=outcome,
        )

        return dispute_resolution_in
