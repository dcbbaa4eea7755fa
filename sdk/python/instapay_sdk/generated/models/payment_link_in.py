from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PaymentLinkIn")


@_attrs_define
class PaymentLinkIn:
    """
    Attributes:
        amount (float | None | str | Unset):
        expires_at (datetime.datetime | None | Unset):
        reference (None | str | Unset): Shown to the payer, e.g. an order
        single_use (bool | Unset):  Default: False.
    """

    amount: float | None | str | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    reference: None | str | Unset = UNSET
    single_use: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        amount: float | None | str | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        else:
            amount = self.amount

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        single_use = self.single_use

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if amount is not UNSET:
            field_dict["amount"] = amount
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if reference is not UNSET:
            field_dict["reference"] = reference
        if single_use is not UNSET:
            field_dict["single_use"] = single_use

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_amount(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))

        single_use = d.pop("single_use", UNSET)

        payment_link_in = cls(
            amount=amount,
            expires_at=expires_at,
            reference=reference,
            single_use=single_use,
        )

        return payment_link_in
