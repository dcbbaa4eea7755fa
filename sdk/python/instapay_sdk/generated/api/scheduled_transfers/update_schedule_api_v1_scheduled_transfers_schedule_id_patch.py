from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.scheduled_transfer import ScheduledTransfer
from ...models.scheduled_transfer_patch import ScheduledTransferPatch
from ...types import Response


def _get_kwargs(
    schedule_id: UUID,
    *,
    body: ScheduledTransferPatch,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/scheduled-transfers/{schedule_id}".format(
            schedule_id=quote(str(schedule_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ScheduledTransfer | None:
    if response.status_code == 200:
        response_200 = ScheduledTransfer.from_dict(response.json())

        return response_200

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | ScheduledTransfer]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    schedule_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ScheduledTransferPatch,
) -> Response[Problem | ScheduledTransfer]:
    """Update Schedule

     Pause (`status: paused`) or resume (`active`: ticks passed while paused are skipped), and/or
    a new `amount` for the coming occurrences (with `pin`). Cancelled or completed: 409
    `schedule_finished`.

    Args:
        schedule_id (UUID):
        body (ScheduledTransferPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ScheduledTransfer]
    """

    kwargs = _get_kwargs(
        schedule_id=schedule_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    schedule_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ScheduledTransferPatch,
) -> Problem | ScheduledTransfer | None:
    """Update Schedule

     Pause (`status: paused`) or resume (`active`: ticks passed while paused are skipped), and/or
    a new `amount` for the coming occurrences (with `pin`). Cancelled or completed: 409
    `schedule_finished`.

    Args:
        schedule_id (UUID):
        body (ScheduledTransferPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ScheduledTransfer
    """

    return sync_detailed(
        schedule_id=schedule_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    schedule_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ScheduledTransferPatch,
) -> Response[Problem | ScheduledTransfer]:
    """Update Schedule

     Pause (`status: paused`) or resume (`active`: ticks passed while paused are skipped), and/or
    a new `amount` for the coming occurrences (with `pin`). Cancelled or completed: 409
    `schedule_finished`.

    Args:
        schedule_id (UUID):
        body (ScheduledTransferPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ScheduledTransfer]
    """

    kwargs = _get_kwargs(
        schedule_id=schedule_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    schedule_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ScheduledTransferPatch,
) -> Problem | ScheduledTransfer | None:
    """Update Schedule

     Pause (`status: paused`) or resume (`active`: ticks passed while paused are skipped), and/or
    a new `amount` for the coming occurrences (with `pin`). Cancelled or completed: 409
    `schedule_finished`.

    Args:
        schedule_id (UUID):
        body (ScheduledTransferPatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ScheduledTransfer
    """

    return (
        await asyncio_detailed(
            schedule_id=schedule_id,
            client=client,
            body=body,
        )
    ).parsed
