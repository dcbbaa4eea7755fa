from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.refund_in import RefundIn
from ...models.transfer import Transfer
from ...types import Response


def _get_kwargs(
    transfer_id: UUID,
    *,
    body: RefundIn,
    idempotency_key: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["idempotency-key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/transfers/{transfer_id}/refunds".format(
            transfer_id=quote(str(transfer_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Transfer | None:
    if response.status_code == 201:
        response_201 = Transfer.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 423:
        response_423 = Problem.from_dict(response.json())

        return response_423

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Transfer]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    transfer_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: RefundIn,
    idempotency_key: str,
) -> Response[Problem | Transfer]:
    """Create Refund

     Gives money back to the sender of a transfer the caller received (recipient only: 404 for
    anyone else). `amount` defaults to what is left to refund; all refunds together never exceed
    the transfer (422 `refund_exceeds_transfer`, with `refundable_amount`); a top-up, withdrawal,
    refund or reversal cannot be refunded (422 `transfer_not_refundable`). PIN and
    Idempotency-Key as for a transfer.

    Args:
        transfer_id (UUID):
        idempotency_key (str):
        body (RefundIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Transfer]
    """

    kwargs = _get_kwargs(
        transfer_id=transfer_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    transfer_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: RefundIn,
    idempotency_key: str,
) -> Problem | Transfer | None:
    """Create Refund

     Gives money back to the sender of a transfer the caller received (recipient only: 404 for
    anyone else). `amount` defaults to what is left to refund; all refunds together never exceed
    the transfer (422 `refund_exceeds_transfer`, with `refundable_amount`); a top-up, withdrawal,
    refund or reversal cannot be refunded (422 `transfer_not_refundable`). PIN and
    Idempotency-Key as for a transfer.

    Args:
        transfer_id (UUID):
        idempotency_key (str):
        body (RefundIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Transfer
    """

    return sync_detailed(
        transfer_id=transfer_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    transfer_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: RefundIn,
    idempotency_key: str,
) -> Response[Problem | Transfer]:
    """Create Refund

     Gives money back to the sender of a transfer the caller received (recipient only: 404 for
    anyone else). `amount` defaults to what is left to refund; all refunds together never exceed
    the transfer (422 `refund_exceeds_transfer`, with `refundable_amount`); a top-up, withdrawal,
    refund or reversal cannot be refunded (422 `transfer_not_refundable`). PIN and
    Idempotency-Key as for a transfer.

    Args:
        transfer_id (UUID):
        idempotency_key (str):
        body (RefundIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Transfer]
    """

    kwargs = _get_kwargs(
        transfer_id=transfer_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    transfer_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: RefundIn,
    idempotency_key: str,
) -> Problem | Transfer | None:
    """Create Refund

     Gives money back to the sender of a transfer the caller received (recipient only: 404 for
    anyone else). `amount` defaults to what is left to refund; all refunds together never exceed
    the transfer (422 `refund_exceeds_transfer`, with `refundable_amount`); a top-up, withdrawal,
    refund or reversal cannot be refunded (422 `transfer_not_refundable`). PIN and
    Idempotency-Key as for a transfer.

    Args:
        transfer_id (UUID):
        idempotency_key (str):
        body (RefundIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Transfer
    """

    return (
        await asyncio_detailed(
            transfer_id=transfer_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
