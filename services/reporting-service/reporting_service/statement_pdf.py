"""The PDF rendering of a statement (`format=pdf`), in English or Arabic: the period, the opening
and closing balance, money in and out, and one row per movement with the balance after it. It is
drawn from the same `Statement` as the JSON and CSV answers, so the three never disagree, and its
totals are the summary's (both read the same projection of the ledger).

Days and times are UTC, like the statement's `from`/`to` (the range is whole UTC days); the page
says so."""

from __future__ import annotations

from datetime import datetime

from instapay_common.pdf.document import Align, Document, Language, amount, money
from reporting_service.schemas import Statement, StatementItem

_T: dict[str, dict[Language, str]] = {
    "title": {"en": "Account statement", "ar": "كشف حساب"},
    "period": {"en": "Period", "ar": "الفترة"},
    "opening": {"en": "Opening balance", "ar": "الرصيد الافتتاحي"},
    "in": {"en": "Money in", "ar": "الوارد"},
    "out": {"en": "Money out", "ar": "الصادر"},
    "closing": {"en": "Closing balance", "ar": "الرصيد الختامي"},
    "count": {"en": "Number of movements", "ar": "عدد الحركات"},
    "movements": {"en": "Movements", "ar": "الحركات"},
    "date": {"en": "Date (UTC)", "ar": "التاريخ (UTC)"},
    "what": {"en": "Type", "ar": "النوع"},
    "party": {"en": "Counterparty", "ar": "الطرف الآخر"},
    "reference": {"en": "Reference", "ar": "المرجع"},
    "amount": {"en": "Amount", "ar": "المبلغ"},
    "balance": {"en": "Balance", "ar": "الرصيد"},
    "none": {"en": "No movements in this period.", "ar": "لا توجد حركات في هذه الفترة."},
    "footer": {
        "en": "Dates and times are UTC; amounts are in {currency}. Names are shown masked.",
        "ar": "التواريخ والأوقات بالتوقيت العالمي (UTC)، والمبالغ بعملة {currency}. تظهر الأسماء مختصرة.",
    },
}
_KINDS: dict[tuple[str, str], dict[Language, str]] = {
    ("transfer", "out"): {"en": "Transfer sent", "ar": "تحويل مرسل"},
    ("transfer", "in"): {"en": "Transfer received", "ar": "تحويل وارد"},
    ("reversal", "out"): {"en": "Reversal (dispute)", "ar": "عكس تحويل (نزاع)"},
    ("reversal", "in"): {"en": "Reversal received", "ar": "عكس تحويل وارد"},
    ("topup", "in"): {"en": "Top-up", "ar": "شحن الرصيد"},
    ("withdrawal", "out"): {"en": "Withdrawal", "ar": "سحب"},
}
# Date, type, counterparty, reference, amount, balance: 180 mm, the A4 page between its margins.
_WIDTHS = (31.0, 32.0, 39.0, 30.0, 24.0, 24.0)
_ALIGNS: tuple[Align, ...] = ("L", "L", "L", "L", "R", "R")


def _row(item: StatementItem, language: Language) -> list[str]:
    at = datetime.fromisoformat(item.date.replace("Z", "+00:00"))
    cp = item.counterparty
    party = (cp.display_name or (f"@{cp.handle}" if cp.handle else "")) if cp else ""
    signed = item.amount if item.direction == "in" else f"-{item.amount}"
    return [
        at.strftime("%Y-%m-%d %H:%M"),
        _KINDS.get((item.type, item.direction), {}).get(language, item.type),
        party,
        item.reference or "",
        amount(signed, language, signed=True),
        amount(item.balance_after, language) if item.balance_after is not None else "",
    ]


def render_pdf(statement: Statement, language: Language) -> bytes:
    t = {key: texts[language] for key, texts in _T.items()}
    doc = Document(title=t["title"], language=language)
    cur = statement.currency
    doc.field(t["period"], f"{statement.from_} \u2013 {statement.to}")
    doc.field(t["opening"], money(statement.opening_balance, cur, language))
    doc.field(t["in"], money(statement.total_in, cur, language))
    doc.field(t["out"], money(statement.total_out, cur, language))
    doc.field(t["closing"], money(statement.closing_balance, cur, language))
    doc.field(t["count"], str(statement.count))
    doc.heading(t["movements"])
    header = [t["date"], t["what"], t["party"], t["reference"], t["amount"], t["balance"]]
    doc.row(header, _WIDTHS, _ALIGNS, bold=True, fill=True)
    for item in statement.items:
        doc.row(_row(item, language), _WIDTHS, _ALIGNS)
    if not statement.items:
        doc.note(t["none"])
    doc.note(t["footer"].format(currency=cur))
    return doc.render()


def filename(statement: Statement) -> str:
    return f"instapay-statement-{statement.from_}-to-{statement.to}.pdf"
