import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_transactions_api_v1_transactions_get_direction_type_0 import (
    ListTransactionsApiV1TransactionsGetDirectionType0,
)
from ...models.list_transactions_api_v1_transactions_get_type_type_0 import (
    ListTransactionsApiV1TransactionsGetTypeType0,
)
from ...models.problem import Problem
from ...models.transaction_page import TransactionPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    direction: ListTransactionsApiV1TransactionsGetDirectionType0 | None | Unset = UNSET,
    type_: ListTransactionsApiV1TransactionsGetTypeType0 | None | Unset = UNSET,
    from_: datetime.date | datetime.datetime | None | Unset = UNSET,
    to: datetime.date | datetime.datetime | None | Unset = UNSET,
    counterparty: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_direction: None | str | Unset
    if isinstance(direction, Unset):
        json_direction = UNSET
    elif isinstance(direction, ListTransactionsApiV1TransactionsGetDirectionType0):
        json_direction = direction.value
    else:
        json_direction = direction
    params["direction"] = json_direction

    json_type_: None | str | Unset
    if isinstance(type_, Unset):
        json_type_ = UNSET
    elif isinstance(type_, ListTransactionsApiV1TransactionsGetTypeType0):
        json_type_ = type_.value
    else:
        json_type_ = type_
    params["type"] = json_type_

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.date):
        json_from_ = from_.isoformat()
    elif isinstance(from_, datetime.datetime):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.date):
        json_to = to.isoformat()
    elif isinstance(to, datetime.datetime):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    json_counterparty: None | str | Unset
    if isinstance(counterparty, Unset):
        json_counterparty = UNSET
    else:
        json_counterparty = counterparty
    params["counterparty"] = json_counterparty

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/transactions",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | TransactionPage | None:
    if response.status_code == 200:
        response_200 = TransactionPage.from_dict(response.json())

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
) -> Response[Problem | TransactionPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    direction: ListTransactionsApiV1TransactionsGetDirectionType0 | None | Unset = UNSET,
    type_: ListTransactionsApiV1TransactionsGetTypeType0 | None | Unset = UNSET,
    from_: datetime.date | datetime.datetime | None | Unset = UNSET,
    to: datetime.date | datetime.datetime | None | Unset = UNSET,
    counterparty: None | str | Unset = UNSET,
) -> Response[Problem | TransactionPage]:
    """List Transactions

     The caller's history, newest first. `counterparty` is a user id, a phone or e-mail (that
    user), or text found in part, case-insensitively, in the other party's name or handle.

    Args:
        limit (int | Unset):  Default: 20.
        cursor (None | str | Unset):
        direction (ListTransactionsApiV1TransactionsGetDirectionType0 | None | Unset):
        type_ (ListTransactionsApiV1TransactionsGetTypeType0 | None | Unset):
        from_ (datetime.date | datetime.datetime | None | Unset):
        to (datetime.date | datetime.datetime | None | Unset):
        counterparty (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TransactionPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        direction=direction,
        type_=type_,
        from_=from_,
        to=to,
        counterparty=counterparty,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    direction: ListTransactionsApiV1TransactionsGetDirectionType0 | None | Unset = UNSET,
    type_: ListTransactionsApiV1TransactionsGetTypeType0 | None | Unset = UNSET,
    from_: datetime.date | datetime.datetime | None | Unset = UNSET,
    to: datetime.date | datetime.datetime | None | Unset = UNSET,
    counterparty: None | str | Unset = UNSET,
) -> Problem | TransactionPage | None:
    """List Transactions

     The caller's history, newest first. `counterparty` is a user id, a phone or e-mail (that
    user), or text found in part, case-insensitively, in the other party's name or handle.

    Args:
        limit (int | Unset):  Default: 20.
        cursor (None | str | Unset):
        direction (ListTransactionsApiV1TransactionsGetDirectionType0 | None | Unset):
        type_ (ListTransactionsApiV1TransactionsGetTypeType0 | None | Unset):
        from_ (datetime.date | datetime.datetime | None | Unset):
        to (datetime.date | datetime.datetime | None | Unset):
        counterparty (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TransactionPage
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        direction=direction,
        type_=type_,
        from_=from_,
        to=to,
        counterparty=counterparty,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    direction: ListTransactionsApiV1TransactionsGetDirectionType0 | None | Unset = UNSET,
    type_: ListTransactionsApiV1TransactionsGetTypeType0 | None | Unset = UNSET,
    from_: datetime.date | datetime.datetime | None | Unset = UNSET,
    to: datetime.date | datetime.datetime | None | Unset = UNSET,
    counterparty: None | str | Unset = UNSET,
) -> Response[Problem | TransactionPage]:
    """List Transactions

     The caller's history, newest first. `counterparty` is a user id, a phone or e-mail (that
    user), or text found in part, case-insensitively, in the other party's name or handle.

    Args:
        limit (int | Unset):  Default: 20.
        cursor (None | str | Unset):
        direction (ListTransactionsApiV1TransactionsGetDirectionType0 | None | Unset):
        type_ (ListTransactionsApiV1TransactionsGetTypeType0 | None | Unset):
        from_ (datetime.date | datetime.datetime | None | Unset):
        to (datetime.date | datetime.datetime | None | Unset):
        counterparty (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TransactionPage]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        direction=direction,
        type_=type_,
        from_=from_,
        to=to,
        counterparty=counterparty,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    direction: ListTransactionsApiV1TransactionsGetDirectionType0 | None | Unset = UNSET,
    type_: ListTransactionsApiV1TransactionsGetTypeType0 | None | Unset = UNSET,
    from_: datetime.date | datetime.datetime | None | Unset = UNSET,
    to: datetime.date | datetime.datetime | None | Unset = UNSET,
    counterparty: None | str | Unset = UNSET,
) -> Problem | TransactionPage | None:
    """List Transactions

     The caller's history, newest first. `counterparty` is a user id, a phone or e-mail (that
    user), or text found in part, case-insensitively, in the other party's name or handle.

    Args:
        limit (int | Unset):  Default: 20.
        cursor (None | str | Unset):
        direction (ListTransactionsApiV1TransactionsGetDirectionType0 | None | Unset):
        type_ (ListTransactionsApiV1TransactionsGetTypeType0 | None | Unset):
        from_ (datetime.date | datetime.datetime | None | Unset):
        to (datetime.date | datetime.datetime | None | Unset):
        counterparty (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TransactionPage
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            direction=direction,
            type_=type_,
            from_=from_,
            to=to,
            counterparty=counterparty,
        )
    ).parsed
