from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.scheduled_transfer import ScheduledTransfer
from ...models.scheduled_transfer_in import ScheduledTransferIn
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ScheduledTransferIn,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["idempotency-key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/scheduled-transfers",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ScheduledTransfer | None:
    if response.status_code == 201:
        response_201 = ScheduledTransfer.from_dict(response.json())

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
    *,
    client: AuthenticatedClient | Client,
    body: ScheduledTransferIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | ScheduledTransfer]:
    """Create Schedule

     A transfer to run at `start_at` (UTC), once, weekly or monthly, `end_after` times or until
    cancelled; authorised now with the PIN. Each occurrence is a normal transfer (limits, funds,
    frozen wallets) whose history row carries `schedule_id`; a declined one notifies the sender.
    At most `SCHEDULES_MAX` (20) active or paused (409 `schedules_full`). An optional
    Idempotency-Key makes a retry safe: the same key and body answer the same schedule again.

    Args:
        idempotency_key (str | Unset):
        body (ScheduledTransferIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ScheduledTransfer]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ScheduledTransferIn,
    idempotency_key: str | Unset = UNSET,
) -> Problem | ScheduledTransfer | None:
    """Create Schedule

     A transfer to run at `start_at` (UTC), once, weekly or monthly, `end_after` times or until
    cancelled; authorised now with the PIN. Each occurrence is a normal transfer (limits, funds,
    frozen wallets) whose history row carries `schedule_id`; a declined one notifies the sender.
    At most `SCHEDULES_MAX` (20) active or paused (409 `schedules_full`). An optional
    Idempotency-Key makes a retry safe: the same key and body answer the same schedule again.

    Args:
        idempotency_key (str | Unset):
        body (ScheduledTransferIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ScheduledTransfer
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ScheduledTransferIn,
    idempotency_key: str | Unset = UNSET,
) -> Response[Problem | ScheduledTransfer]:
    """Create Schedule

     A transfer to run at `start_at` (UTC), once, weekly or monthly, `end_after` times or until
    cancelled; authorised now with the PIN. Each occurrence is a normal transfer (limits, funds,
    frozen wallets) whose history row carries `schedule_id`; a declined one notifies the sender.
    At most `SCHEDULES_MAX` (20) active or paused (409 `schedules_full`). An optional
    Idempotency-Key makes a retry safe: the same key and body answer the same schedule again.

    Args:
        idempotency_key (str | Unset):
        body (ScheduledTransferIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ScheduledTransfer]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ScheduledTransferIn,
    idempotency_key: str | Unset = UNSET,
) -> Problem | ScheduledTransfer | None:
    """Create Schedule

     A transfer to run at `start_at` (UTC), once, weekly or monthly, `end_after` times or until
    cancelled; authorised now with the PIN. Each occurrence is a normal transfer (limits, funds,
    frozen wallets) whose history row carries `schedule_id`; a declined one notifies the sender.
    At most `SCHEDULES_MAX` (20) active or paused (409 `schedules_full`). An optional
    Idempotency-Key makes a retry safe: the same key and body answer the same schedule again.

    Args:
        idempotency_key (str | Unset):
        body (ScheduledTransferIn):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ScheduledTransfer
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
