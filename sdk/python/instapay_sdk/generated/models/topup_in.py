from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.funding_source import FundingSource


T = TypeVar("T", bound="TopupIn")


@_attrs_define
class TopupIn:
    """
    Attributes:
        amount (float | str): Above zero, at most 2 fraction digits, at most 18 integer digits; a decimal string
            ("125.50") is preferred to a JSON number
        source (FundingSource):
        currency (str | Unset):  Default: 'EGP'.
    """

    amount: float | str
    source: FundingSource
    currency: str | Unset = "EGP"

    def to_dict(self) -> dict[str, Any]:
        amount: float | str
        amount = self.amount

        source = self.source.to_dict()

        currency = self.currency

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "amount": amount,
                "source": source,
            }
        )
        if currency is not UNSET:
            field_dict["currency"] = currency

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.funding_source import FundingSource  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_amount(data: object) -> float | str:
            return cast(float | str, data)

        amount = _parse_amount(d.pop("amount"))

        source = FundingSource.from_dict(d.pop("source"))

        currency = d.pop("currency", UNSET)

        topup_in = cls(
            amount=amount,
            source=source,
            currency=currency,
        )

        return topup_in
