import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.audit_page import AuditPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    subject: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    from_: datetime.date | datetime.datetime | None | Unset = UNSET,
    to: datetime.date | datetime.datetime | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_actor: None | str | Unset
    if isinstance(actor, Unset):
        json_actor = UNSET
    else:
        json_actor = actor
    params["actor"] = json_actor

    json_subject: None | str | Unset
    if isinstance(subject, Unset):
        json_subject = UNSET
    else:
        json_subject = subject
    params["subject"] = json_subject

    json_action: None | str | Unset
    if isinstance(action, Unset):
        json_action = UNSET
    else:
        json_action = action
    params["action"] = json_action

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

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/admin/audit",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AuditPage | Problem | None:
    if response.status_code == 200:
        response_200 = AuditPage.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AuditPage | Problem]:
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
    actor: None | str | Unset = UNSET,
    subject: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    from_: datetime.date | datetime.datetime | None | Unset = UNSET,
    to: datetime.date | datetime.datetime | None | Unset = UNSET,
) -> Response[AuditPage | Problem]:
    """The audit log (admin): every service's rows, newest first

     Sign-ins, password, PIN and API-client changes (auth), webhook endpoint changes
    (notification), admin actions and their approvals (transaction), newest first. Filters:
    `actor` (a user id or `system`), `subject`, `action` (itself and its dotted children:
    `wallet.freeze` finds `wallet.freeze.proposed`), `from`/`to` (a date or an RFC 3339
    timestamp; a date `to` is inclusive). Role `admin` only (403 otherwise).

    Args:
        limit (int | Unset):  Default: 20.
        cursor (None | str | Unset):
        actor (None | str | Unset):
        subject (None | str | Unset):
        action (None | str | Unset):
        from_ (datetime.date | datetime.datetime | None | Unset):
        to (datetime.date | datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditPage | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        actor=actor,
        subject=subject,
        action=action,
        from_=from_,
        to=to,
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
    actor: None | str | Unset = UNSET,
    subject: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    from_: datetime.date | datetime.datetime | None | Unset = UNSET,
    to: datetime.date | datetime.datetime | None | Unset = UNSET,
) -> AuditPage | Problem | None:
    """The audit log (admin): every service's rows, newest first

     Sign-ins, password, PIN and API-client changes (auth), webhook endpoint changes
    (notification), admin actions and their approvals (transaction), newest first. Filters:
    `actor` (a user id or `system`), `subject`, `action` (itself and its dotted children:
    `wallet.freeze` finds `wallet.freeze.proposed`), `from`/`to` (a date or an RFC 3339
    timestamp; a date `to` is inclusive). Role `admin` only (403 otherwise).

    Args:
        limit (int | Unset):  Default: 20.
        cursor (None | str | Unset):
        actor (None | str | Unset):
        subject (None | str | Unset):
        action (None | str | Unset):
        from_ (datetime.date | datetime.datetime | None | Unset):
        to (datetime.date | datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditPage | Problem
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        actor=actor,
        subject=subject,
        action=action,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    subject: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    from_: datetime.date | datetime.datetime | None | Unset = UNSET,
    to: datetime.date | datetime.datetime | None | Unset = UNSET,
) -> Response[AuditPage | Problem]:
    """The audit log (admin): every service's rows, newest first

     Sign-ins, password, PIN and API-client changes (auth), webhook endpoint changes
    (notification), admin actions and their approvals (transaction), newest first. Filters:
    `actor` (a user id or `system`), `subject`, `action` (itself and its dotted children:
    `wallet.freeze` finds `wallet.freeze.proposed`), `from`/`to` (a date or an RFC 3339
    timestamp; a date `to` is inclusive). Role `admin` only (403 otherwise).

    Args:
        limit (int | Unset):  Default: 20.
        cursor (None | str | Unset):
        actor (None | str | Unset):
        subject (None | str | Unset):
        action (None | str | Unset):
        from_ (datetime.date | datetime.datetime | None | Unset):
        to (datetime.date | datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditPage | Problem]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        actor=actor,
        subject=subject,
        action=action,
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    limit: int | Unset = 20,
    cursor: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    subject: None | str | Unset = UNSET,
    action: None | str | Unset = UNSET,
    from_: datetime.date | datetime.datetime | None | Unset = UNSET,
    to: datetime.date | datetime.datetime | None | Unset = UNSET,
) -> AuditPage | Problem | None:
    """The audit log (admin): every service's rows, newest first

     Sign-ins, password, PIN and API-client changes (auth), webhook endpoint changes
    (notification), admin actions and their approvals (transaction), newest first. Filters:
    `actor` (a user id or `system`), `subject`, `action` (itself and its dotted children:
    `wallet.freeze` finds `wallet.freeze.proposed`), `from`/`to` (a date or an RFC 3339
    timestamp; a date `to` is inclusive). Role `admin` only (403 otherwise).

    Args:
        limit (int | Unset):  Default: 20.
        cursor (None | str | Unset):
        actor (None | str | Unset):
        subject (None | str | Unset):
        action (None | str | Unset):
        from_ (datetime.date | datetime.datetime | None | Unset):
        to (datetime.date | datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            actor=actor,
            subject=subject,
            action=action,
            from_=from_,
            to=to,
        )
    ).parsed
