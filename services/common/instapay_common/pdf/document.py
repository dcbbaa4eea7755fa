"""The page every PDF shares: a header with the brand and the document's title, a footer with the
page number, and rows that mirror for Arabic (first column on the right, alignment flipped).

Each text's own direction is left to the bidirectional algorithm (fonts.install), so a row only
decides where its cells go; a value's letters are shaped and ordered by fpdf2 and HarfBuzz."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_decimal
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from instapay_common.money_text import LOCALES, format_money
from instapay_common.pdf import fonts

Language = Literal["en", "ar"]
Align = Literal["L", "R", "C"]

BRAND = {"en": "Mini-InstaPay", "ar": "ميني إنستاباي"}
# The page number alone: fpdf2's total-pages alias is substituted after shaping and leaves a gap.
_PAGE = {"en": "Page {page}", "ar": "صفحة {page}"}
_FLIP: dict[Align, Align] = {"L": "R", "R": "L", "C": "C"}
_LINE = 7.0
_MUTED = (90, 90, 90)


def money(amount: object, currency: object, language: Language) -> str:
    """Money as the web app and the notifications write it (Babel, Latin digits)."""
    return format_money(amount, currency, language)


def amount(value: object, language: Language, *, signed: bool = False) -> str:
    """A bare amount for a table whose currency is stated once ("1,250.50", "+0.01", "-74.50"),
    grouped as the language groups it, with Latin digits."""
    text = format_decimal(
        abs(Decimal(str(value))), format="#,##0.00", locale=LOCALES[language], numbering_system="latn"
    )
    if not signed:
        return text
    return ("-" if Decimal(str(value)) < 0 else "+") + text


def when(value: datetime, language: Language, zone: str) -> str:
    """A date and time in the language, in `zone`; Babel writes the numbers with Latin digits."""
    text = format_datetime(value, "medium", tzinfo=ZoneInfo(zone), locale=LOCALES[language])
    # CLDR puts a narrow no-break space before "PM"; the font has no such glyph, a no-break space
    # looks the same.
    return text.replace("\u202f", "\u00a0")


class Document(FPDF):
    """An A4 document in one language; `rtl` lays Arabic out from the right."""

    def __init__(self, *, title: str, language: Language) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.language: Language = language
        self.rtl = language == "ar"
        self.doc_title = title
        self.set_title(title)
        self.set_author(BRAND["en"])
        self.set_lang("ar-EG" if self.rtl else "en")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(15, 15, 15)
        fonts.install(self)
        self.add_page()

    def _align(self, align: Align) -> Align:
        return _FLIP[align] if self.rtl else align

    def header(self) -> None:
        self.set_font(fonts.FAMILY, "B", 16)
        self.cell(0, 9, BRAND[self.language], align=self._align("L"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(fonts.FAMILY, "", 12)
        self.cell(0, 7, self.doc_title, align=self._align("L"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(200, 200, 200)
        self.line(self.l_margin, self.get_y() + 2, self.w - self.r_margin, self.get_y() + 2)
        self.ln(6)
        self.set_font(fonts.FAMILY, "", 10)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(fonts.FAMILY, "", 8)
        self.set_text_color(*_MUTED)
        text = _PAGE[self.language].format(page=self.page_no())
        self.cell(0, 6, text, align="C")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str) -> None:
        self.ln(2)
        self.set_font(fonts.FAMILY, "B", 12)
        self.cell(0, 8, text, align=self._align("L"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(fonts.FAMILY, "", 10)

    def field(self, label: str, value: str, *, label_width: float = 50) -> None:
        """A label and its value side by side; a long value wraps under itself."""
        value_width = self.epw - label_width
        top = self.get_y()
        label_x = self.w - self.r_margin - label_width if self.rtl else self.l_margin
        value_x = self.l_margin if self.rtl else self.l_margin + label_width
        self.set_xy(label_x, top)
        self.set_text_color(*_MUTED)
        self.cell(label_width, _LINE, label, align=self._align("L"))
        self.set_text_color(0, 0, 0)
        self.set_xy(value_x, top)
        self.set_font(fonts.FAMILY, "", 10)
        self.multi_cell(value_width, _LINE, value or "-", align=self._align("L"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def row(
        self,
        cells: Sequence[str],
        widths: Sequence[float],
        aligns: Sequence[Align],
        *,
        bold: bool = False,
        fill: bool = False,
    ) -> None:
        """One table row in logical column order; in Arabic the first column is the rightmost.
        A text too wide for its column is cut with an ellipsis (the row keeps one line)."""
        if self.will_page_break(_LINE):
            self.add_page()
        self.set_font(fonts.FAMILY, "B" if bold else "", 9)
        if fill:
            self.set_fill_color(240, 240, 240)
        top = self.get_y()
        x = self.w - self.r_margin if self.rtl else self.l_margin
        for text, width, align in zip(cells, widths, aligns, strict=True):
            if self.rtl:
                x -= width
            self.set_xy(x, top)
            self.cell(width, _LINE, self._fit(text, width - 2), align=self._align(align), fill=fill)
            if not self.rtl:
                x += width
        self.set_xy(self.l_margin, top + _LINE)
        self.set_font(fonts.FAMILY, "", 10)

    def _fit(self, text: str, width: float) -> str:
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text + "…"

    def note(self, text: str) -> None:
        self.ln(2)
        self.set_font(fonts.FAMILY, "", 8)
        self.set_text_color(*_MUTED)
        self.multi_cell(0, 5, text, align=self._align("L"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        self.set_font(fonts.FAMILY, "", 10)

    def render(self) -> bytes:
        return bytes(self.output())
