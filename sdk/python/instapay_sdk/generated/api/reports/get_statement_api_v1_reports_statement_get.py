import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_statement_api_v1_reports_statement_get_format import GetStatementApiV1ReportsStatementGetFormat
from ...models.get_statement_api_v1_reports_statement_get_lang_type_0 import (
    GetStatementApiV1ReportsStatementGetLangType0,
)
from ...models.problem import Problem
from ...models.statement import Statement
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    format_: GetStatementApiV1ReportsStatementGetFormat | Unset = GetStatementApiV1ReportsStatementGetFormat.JSON,
    lang: GetStatementApiV1ReportsStatementGetLangType0 | None | Unset = UNSET,
    accept_language: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(accept_language, Unset):
        headers["accept-language"] = accept_language

    params: dict[str, Any] = {}

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.date):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.date):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    json_lang: None | str | Unset
    if isinstance(lang, Unset):
        json_lang = UNSET
    elif isinstance(lang, GetStatementApiV1ReportsStatementGetLangType0):
        json_lang = lang.value
    else:
        json_lang = lang
    params["lang"] = json_lang

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/reports/statement",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Statement | None:
    if response.status_code == 200:
        response_200 = Statement.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Statement]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    format_: GetStatementApiV1ReportsStatementGetFormat | Unset = GetStatementApiV1ReportsStatementGetFormat.JSON,
    lang: GetStatementApiV1ReportsStatementGetLangType0 | None | Unset = UNSET,
    accept_language: None | str | Unset = UNSET,
) -> Response[Problem | Statement]:
    """Statement with opening and closing balance (JSON, CSV or PDF)

     The PDF is in `lang` (en or ar), else the Accept-Language's language, else English.

    Args:
        from_ (datetime.date | None | Unset): YYYY-MM-DD (UTC day), inclusive
        to (datetime.date | None | Unset): YYYY-MM-DD (UTC day), inclusive; default today
        format_ (GetStatementApiV1ReportsStatementGetFormat | Unset):  Default:
            GetStatementApiV1ReportsStatementGetFormat.JSON.
        lang (GetStatementApiV1ReportsStatementGetLangType0 | None | Unset): en or ar; default
            from Accept-Language
        accept_language (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Statement]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        format_=format_,
        lang=lang,
        accept_language=accept_language,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    format_: GetStatementApiV1ReportsStatementGetFormat | Unset = GetStatementApiV1ReportsStatementGetFormat.JSON,
    lang: GetStatementApiV1ReportsStatementGetLangType0 | None | Unset = UNSET,
    accept_language: None | str | Unset = UNSET,
) -> Problem | Statement | None:
    """Statement with opening and closing balance (JSON, CSV or PDF)

     The PDF is in `lang` (en or ar), else the Accept-Language's language, else English.

    Args:
        from_ (datetime.date | None | Unset): YYYY-MM-DD (UTC day), inclusive
        to (datetime.date | None | Unset): YYYY-MM-DD (UTC day), inclusive; default today
        format_ (GetStatementApiV1ReportsStatementGetFormat | Unset):  Default:
            GetStatementApiV1ReportsStatementGetFormat.JSON.
        lang (GetStatementApiV1ReportsStatementGetLangType0 | None | Unset): en or ar; default
            from Accept-Language
        accept_language (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Statement
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        format_=format_,
        lang=lang,
        accept_language=accept_language,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    format_: GetStatementApiV1ReportsStatementGetFormat | Unset = GetStatementApiV1ReportsStatementGetFormat.JSON,
    lang: GetStatementApiV1ReportsStatementGetLangType0 | None | Unset = UNSET,
    accept_language: None | str | Unset = UNSET,
) -> Response[Problem | Statement]:
    """Statement with opening and closing balance (JSON, CSV or PDF)

     The PDF is in `lang` (en or ar), else the Accept-Language's language, else English.

    Args:
        from_ (datetime.date | None | Unset): YYYY-MM-DD (UTC day), inclusive
        to (datetime.date | None | Unset): YYYY-MM-DD (UTC day), inclusive; default today
        format_ (GetStatementApiV1ReportsStatementGetFormat | Unset):  Default:
            GetStatementApiV1ReportsStatementGetFormat.JSON.
        lang (GetStatementApiV1ReportsStatementGetLangType0 | None | Unset): en or ar; default
            from Accept-Language
        accept_language (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Statement]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        format_=format_,
        lang=lang,
        accept_language=accept_language,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    format_: GetStatementApiV1ReportsStatementGetFormat | Unset = GetStatementApiV1ReportsStatementGetFormat.JSON,
    lang: GetStatementApiV1ReportsStatementGetLangType0 | None | Unset = UNSET,
    accept_language: None | str | Unset = UNSET,
) -> Problem | Statement | None:
    """Statement with opening and closing balance (JSON, CSV or PDF)

     The PDF is in `lang` (en or ar), else the Accept-Language's language, else English.

    Args:
        from_ (datetime.date | None | Unset): YYYY-MM-DD (UTC day), inclusive
        to (datetime.date | None | Unset): YYYY-MM-DD (UTC day), inclusive; default today
        format_ (GetStatementApiV1ReportsStatementGetFormat | Unset):  Default:
            GetStatementApiV1ReportsStatementGetFormat.JSON.
        lang (GetStatementApiV1ReportsStatementGetLangType0 | None | Unset): en or ar; default
            from Accept-Language
        accept_language (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Statement
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            format_=format_,
            lang=lang,
            accept_language=accept_language,
        )
    ).parsed
