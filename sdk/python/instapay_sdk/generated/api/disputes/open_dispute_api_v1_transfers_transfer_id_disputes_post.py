from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dispute import Dispute
from ...models.dispute_in import DisputeIn
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    transfer_id: UUID,
    *,
    body: DisputeIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/transfers/{transfer_id}/disputes".format(
            transfer_id=quote(str(transfer_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Dispute | Problem | None:
    if response.status_code == 201:
        response_201 = Dispute.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Dispute | Problem]:
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
    body: DisputeIn,
) -> Response[Dispute | Problem]:
    """Open Dispute

     Reports a problem with a transfer the caller sent (sender only: 404 for anyone else). One
    open case per transfer (409 `dispute_already_open`); a refund or a reversed transfer cannot be
    disputed (422 `transfer_not_disputable`).

    Args:
        transfer_id (UUID):
        body (DisputeIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Dispute | Problem]
    """

    kwargs = _get_kwargs(
        transfer_id=transfer_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    transfer_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: DisputeIn,
) -> Dispute | Problem | None:
    """Open Dispute

     Reports a problem with a transfer the caller sent (sender only: 404 for anyone else). One
    open case per transfer (409 `dispute_already_open`); a refund or a reversed transfer cannot be
    disputed (422 `transfer_not_disputable`).

    Args:
        transfer_id (UUID):
        body (DisputeIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Dispute | Problem
    """

    return sync_detailed(
        transfer_id=transfer_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    transfer_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: DisputeIn,
) -> Response[Dispute | Problem]:
    """Open Dispute

     Reports a problem with a transfer the caller sent (sender only: 404 for anyone else). One
    open case per transfer (409 `dispute_already_open`); a refund or a reversed transfer cannot be
    disputed (422 `transfer_not_disputable`).

    Args:
        transfer_id (UUID):
        body (DisputeIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Dispute | Problem]
    """

    kwargs = _get_kwargs(
        transfer_id=transfer_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    transfer_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: DisputeIn,
) -> Dispute | Problem | None:
    """Open Dispute

     Reports a problem with a transfer the caller sent (sender only: 404 for anyone else). One
    open case per transfer (409 `dispute_already_open`); a refund or a reversed transfer cannot be
    disputed (422 `transfer_not_disputable`).

    Args:
        transfer_id (UUID):
        body (DisputeIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Dispute | Problem
    """

    return (
        await asyncio_detailed(
            transfer_id=transfer_id,
            client=client,
            body=body,
        )
    ).parsed
