"""What a person sees in a generated PDF, for tests: its text (as a PDF reader extracts it) and
page 1 rendered to a PNG (pypdfium2: PDFium in a wheel, no system packages), saved so a reviewer
can look at the Arabic shaping and right-to-left layout."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pypdfium2  # type: ignore[import-untyped]  # ships no type information
from pypdf import PdfReader


def pdf_text(body: bytes) -> str:
    """Every page's text. Shaped Arabic glyphs map back to their letters with a few control
    characters in between (fpdf2's ToUnicode map of joined forms), which a reader's search ignores
    too; they are dropped, and no-break spaces read as spaces, so words compare as written."""
    reader = PdfReader(io.BytesIO(body))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    text = text.replace("\u00a0", " ")
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")


def page_count(body: bytes) -> int:
    return len(PdfReader(io.BytesIO(body)).pages)


def save_first_page_png(body: bytes, path: Path) -> Path:
    """Page 1 at 150 dpi."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(body)
    try:
        document[0].render(scale=150 / 72).to_pil().save(path)
    finally:
        document.close()
    return path
