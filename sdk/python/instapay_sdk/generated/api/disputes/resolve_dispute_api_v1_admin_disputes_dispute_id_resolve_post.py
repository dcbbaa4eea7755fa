from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.approval import Approval
from ...models.dispute_resolution_in import DisputeResolutionIn
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    dispute_id: UUID,
    *,
    body: DisputeResolutionIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/admin/disputes/{dispute_id}/resolve".format(
            dispute_id=quote(str(dispute_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Approval | Problem | None:
    if response.status_code == 202:
        response_202 = Approval.from_dict(response.json())

        return response_202

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Approval | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    dispute_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: DisputeResolutionIn,
) -> Response[Approval | Problem]:
    """Resolve Dispute

     Proposes an outcome for an open case (two-person rule): `reverse` gives the sender back
    what the recipient still holds of the transfer, `reject` closes it. A different admin's
    `POST /api/v1/admin/approvals/{id}/approve` carries it out (409 `reversal_insufficient_funds`
    then if the recipient no longer holds the money). 404 `not_found`, 409 `dispute_not_open`.

    Args:
        dispute_id (UUID):
        body (DisputeResolutionIn): An operator's decision on an open dispute (carried out once a
            second admin approves it).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Approval | Problem]
    """

    kwargs = _get_kwargs(
        dispute_id=dispute_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    dispute_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: DisputeResolutionIn,
) -> Approval | Problem | None:
    """Resolve Dispute

     Proposes an outcome for an open case (two-person rule): `reverse` gives the sender back
    what the recipient still holds of the transfer, `reject` closes it. A different admin's
    `POST /api/v1/admin/approvals/{id}/approve` carries it out (409 `reversal_insufficient_funds`
    then if the recipient no longer holds the money). 404 `not_found`, 409 `dispute_not_open`.

    Args:
        dispute_id (UUID):
        body (DisputeResolutionIn): An operator's decision on an open dispute (carried out once a
            second admin approves it).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Approval | Problem
    """

    return sync_detailed(
        dispute_id=dispute_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    dispute_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: DisputeResolutionIn,
) -> Response[Approval | Problem]:
    """Resolve Dispute

     Proposes an outcome for an open case (two-person rule): `reverse` gives the sender back
    what the recipient still holds of the transfer, `reject` closes it. A different admin's
    `POST /api/v1/admin/approvals/{id}/approve` carries it out (409 `reversal_insufficient_funds`
    then if the recipient no longer holds the money). 404 `not_found`, 409 `dispute_not_open`.

    Args:
        dispute_id (UUID):
        body (DisputeResolutionIn): An operator's decision on an open dispute (carried out once a
            second admin approves it).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Approval | Problem]
    """

    kwargs = _get_kwargs(
        dispute_id=dispute_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    dispute_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: DisputeResolutionIn,
) -> Approval | Problem | None:
    """Resolve Dispute

     Proposes an outcome for an open case (two-person rule): `reverse` gives the sender back
    what the recipient still holds of the transfer, `reject` closes it. A different admin's
    `POST /api/v1/admin/approvals/{id}/approve` carries it out (409 `reversal_insufficient_funds`
    then if the recipient no longer holds the money). 404 `not_found`, 409 `dispute_not_open`.

    Args:
        dispute_id (UUID):
        body (DisputeResolutionIn): An operator's decision on an open dispute (carried out once a
            second admin approves it).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Approval | Problem
    """

    return (
        await asyncio_detailed(
            dispute_id=dispute_id,
            client=client,
            body=body,
        )
    ).parsed
