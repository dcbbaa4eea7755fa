from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.approval import Approval
from ...models.limits_in import LimitsIn
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    user_id: UUID,
    *,
    body: LimitsIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/admin/wallets/{user_id}/limits".format(
            user_id=quote(str(user_id), safe=""),
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
    user_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: LimitsIn,
) -> Response[Approval | Problem]:
    """Change Limits

     Proposes the wallet's own spending limits (money sent out): each named limit above zero and
    at most its configured ceiling (422 `validation_error`), `null` restoring the default; a
    different admin's approval carries it out. 404 `wallet_not_found`.

    Args:
        user_id (UUID):
        body (LimitsIn): A change of a wallet's spending limits (two-person control). A limit left
            out stays as it
            is; `null` restores the configured default; at least one limit must be named.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Approval | Problem]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    user_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: LimitsIn,
) -> Approval | Problem | None:
    """Change Limits

     Proposes the wallet's own spending limits (money sent out): each named limit above zero and
    at most its configured ceiling (422 `validation_error`), `null` restoring the default; a
    different admin's approval carries it out. 404 `wallet_not_found`.

    Args:
        user_id (UUID):
        body (LimitsIn): A change of a wallet's spending limits (two-person control). A limit left
            out stays as it
            is; `null` restores the configured default; at least one limit must be named.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Approval | Problem
    """

    return sync_detailed(
        user_id=user_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    user_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: LimitsIn,
) -> Response[Approval | Problem]:
    """Change Limits

     Proposes the wallet's own spending limits (money sent out): each named limit above zero and
    at most its configured ceiling (422 `validation_error`), `null` restoring the default; a
    different admin's approval carries it out. 404 `wallet_not_found`.

    Args:
        user_id (UUID):
        body (LimitsIn): A change of a wallet's spending limits (two-person control). A limit left
            out stays as it
            is; `null` restores the configured default; at least one limit must be named.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Approval | Problem]
    """

    kwargs = _get_kwargs(
        user_id=user_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: LimitsIn,
) -> Approval | Problem | None:
    """Change Limits

     Proposes the wallet's own spending limits (money sent out): each named limit above zero and
    at most its configured ceiling (422 `validation_error`), `null` restoring the default; a
    different admin's approval carries it out. 404 `wallet_not_found`.

    Args:
        user_id (UUID):
        body (LimitsIn): A change of a wallet's spending limits (two-person control). A limit left
            out stays as it
            is; `null` restores the configured default; at least one limit must be named.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Approval | Problem
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            client=client,
            body=body,
        )
    ).parsed
