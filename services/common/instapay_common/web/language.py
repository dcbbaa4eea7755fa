"""The language of a generated document (PDF receipt, statement): `?lang=en|ar` when the client
names it (the web app sends its current language), else the first supported language of
Accept-Language, else English. The services do not call the user service for the profile's
language: the client already knows the language it shows, and a download stays one request."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Header, Query

DocumentLanguageName = Literal["en", "ar"]
SUPPORTED: tuple[DocumentLanguageName, ...] = ("en", "ar")


def from_accept_language(header: str | None) -> DocumentLanguageName:
    """The first supported primary tag, by q-value then order ("ar-EG,ar;q=0.9,en;q=0.8" -> ar)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, index, tag.split("-")[0].lower()))
    for neg_q, _, primary in sorted(ranked):
        if neg_q < 0:
            for language in SUPPORTED:
                if language == primary:
                    return language
    return "en"


def document_language(
    lang: Annotated[DocumentLanguageName | None, Query(description="en or ar; default from Accept-Language")] = None,
    accept_language: Annotated[str | None, Header(max_length=500)] = None,
) -> DocumentLanguageName:
    return lang or from_accept_language(accept_language)
