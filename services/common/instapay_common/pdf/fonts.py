"""The font of every PDF: IBM Plex Sans Arabic (SIL OFL), one family drawn for both Arabic and
Latin, from the PyPI wheel fontpkg-ibm-plex-sans-arabic, so a service image needs no system font
package and nothing is vendored.

Why this one: it ships static Regular and Bold files. The Noto Sans / Noto Sans Arabic pair the web
app's stylesheet names comes from PyPI only as variable fonts, and instantiating their weights
(fontTools) took about six seconds per weight per document; two families would also put Latin and
Arabic text in different fonts (fpdf2's fallback), where one family keeps both scripts in one
design with matching metrics. fpdf2 embeds only the glyphs a document uses."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fpdf import FPDF

FAMILY = "plexarabic"
_FILES = {"": "IBMPlexSansArabic-Regular.ttf", "B": "IBMPlexSansArabic-Bold.ttf"}


def _font_file(name: str) -> Path:
    return Path(str(files("fontpkg_ibm_plex_sans_arabic") / "files" / name))


def install(pdf: FPDF) -> None:
    """Register the family in both weights and turn on HarfBuzz shaping (joined Arabic letters,
    ligatures) with the Unicode bidirectional algorithm."""
    for style, name in _FILES.items():
        pdf.add_font(FAMILY, style, _font_file(name))
    # No fixed direction: each text's base direction comes from its first strong character, like
    # the web app's dir="auto", so a Latin name inside an Arabic page stays "Bassem Y.".
    pdf.set_text_shaping(use_shaping_engine=True)
    pdf.set_font(FAMILY, size=10)
