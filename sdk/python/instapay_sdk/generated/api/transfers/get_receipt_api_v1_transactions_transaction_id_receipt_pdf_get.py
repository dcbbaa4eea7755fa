from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_receipt_api_v1_transactions_transaction_id_receipt_pdf_get_lang_type_0 import (
    GetReceiptApiV1TransactionsTransactionIdReceiptPdfGetLangType0,
)
from ...models.problem import Problem
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    transaction_id: UUID,
    *,
    lang: GetReceiptApiV1TransactionsTransactionIdReceiptPdfGetLangType0 | None | Unset = UNSET,
    accept_language: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(accept_language, Unset):
        headers["accept-language"] = accept_language

    params: dict[str, Any] = {}

    json_lang: None | str | Unset
    if isinstance(lang, Unset):
        json_lang = UNSET
    elif isinstance(lang, GetReceiptApiV1TransactionsTransactionIdReceiptPdfGetLangType0):
        json_lang = lang.value
    else:
        json_lang = lang
    params["lang"] = json_lang

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/transactions/{transaction_id}/receipt.pdf".format(
            transaction_id=quote(str(transaction_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> File | Problem | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[File | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    transaction_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    lang: GetReceiptApiV1TransactionsTransactionIdReceiptPdfGetLangType0 | None | Unset = UNSET,
    accept_language: None | str | Unset = UNSET,
) -> Response[File | Problem]:
    """The transaction's PDF receipt

     The transaction's PDF receipt (reference, time, type, amount, fee, status, both parties,
    note) in `lang` or the Accept-Language; owner only, like the detail (404 otherwise).

    Args:
        transaction_id (UUID):
        lang (GetReceiptApiV1TransactionsTransactionIdReceiptPdfGetLangType0 | None | Unset): en
            or ar; default from Accept-Language
        accept_language (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        transaction_id=transaction_id,
        lang=lang,
        accept_language=accept_language,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    transaction_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    lang: GetReceiptApiV1TransactionsTransactionIdReceiptPdfGetLangType0 | None | Unset = UNSET,
    accept_language: None | str | Unset = UNSET,
) -> File | Problem | None:
    """The transaction's PDF receipt

     The transaction's PDF receipt (reference, time, type, amount, fee, status, both parties,
    note) in `lang` or the Accept-Language; owner only, like the detail (404 otherwise).

    Args:
        transaction_id (UUID):
        lang (GetReceiptApiV1TransactionsTransactionIdReceiptPdfGetLangType0 | None | Unset): en
            or ar; default from Accept-Language
        accept_language (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return sync_detailed(
        transaction_id=transaction_id,
        client=client,
        lang=lang,
        accept_language=accept_language,
    ).parsed


async def asyncio_detailed(
    transaction_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    lang: GetReceiptApiV1TransactionsTransactionIdReceiptPdfGetLangType0 | None | Unset = UNSET,
    accept_language: None | str | Unset = UNSET,
) -> Response[File | Problem]:
    """The transaction's PDF receipt

     The transaction's PDF receipt (reference, time, type, amount, fee, status, both parties,
    note) in `lang` or the Accept-Language; owner only, like the detail (404 otherwise).

    Args:
        transaction_id (UUID):
        lang (GetReceiptApiV1TransactionsTransactionIdReceiptPdfGetLangType0 | None | Unset): en
            or ar; default from Accept-Language
        accept_language (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
    """

    kwargs = _get_kwargs(
        transaction_id=transaction_id,
        lang=lang,
        accept_language=accept_language,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    transaction_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    lang: GetReceiptApiV1TransactionsTransactionIdReceiptPdfGetLangType0 | None | Unset = UNSET,
    accept_language: None | str | Unset = UNSET,
) -> File | Problem | None:
    """The transaction's PDF receipt

     The transaction's PDF receipt (reference, time, type, amount, fee, status, both parties,
    note) in `lang` or the Accept-Language; owner only, like the detail (404 otherwise).

    Args:
        transaction_id (UUID):
        lang (GetReceiptApiV1TransactionsTransactionIdReceiptPdfGetLangType0 | None | Unset): en
            or ar; default from Accept-Language
        accept_language (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return (
        await asyncio_detailed(
            transaction_id=transaction_id,
            client=client,
            lang=lang,
            accept_language=accept_language,
        )
    ).parsed
