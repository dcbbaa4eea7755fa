"""The PDF receipt of one transaction, in English or Arabic, drawn from its detail
(`details.transaction_detail`), so the receipt and `GET /transactions/{id}` never disagree."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from instapay_common.pdf.document import Document, Language, money, when

# Receipts show Egyptian local time (the platform's users are in Egypt), with the zone named.
ZONE = "Africa/Cairo"

_T: dict[str, dict[Language, str]] = {
    "title": {"en": "Transaction receipt", "ar": "إيصال معاملة"},
    "reference": {"en": "Reference", "ar": "المرجع"},
    "date": {"en": "Date and time (Cairo)", "ar": "التاريخ والوقت (القاهرة)"},
    "type": {"en": "Type", "ar": "النوع"},
    "amount": {"en": "Amount", "ar": "المبلغ"},
    "fee": {"en": "Fee", "ar": "الرسوم"},
    "status": {"en": "Status", "ar": "الحالة"},
    "sender": {"en": "From", "ar": "من"},
    "recipient": {"en": "To", "ar": "إلى"},
    "note": {"en": "Note", "ar": "ملاحظة"},
    "footer": {
        "en": "Names are shown masked. Keep this receipt as proof of the payment.",
        "ar": "تظهر الأسماء مختصرة. احتفظ بهذا الإيصال إثباتًا للمعاملة.",
    },
}
_TYPES: dict[str, dict[Language, str]] = {
    "transfer": {"en": "Transfer", "ar": "تحويل"},
    "topup": {"en": "Top-up", "ar": "شحن الرصيد"},
    "withdrawal": {"en": "Withdrawal", "ar": "سحب"},
}
_STATUSES: dict[str, dict[Language, str]] = {
    "completed": {"en": "Completed", "ar": "مكتملة"},
    "pending": {"en": "Pending", "ar": "قيد التنفيذ"},
    "failed": {"en": "Failed", "ar": "فشلت"},
}
_OUTSIDE: dict[Language, str] = {"en": "Bank or card", "ar": "حساب بنكي أو بطاقة"}


def _party(doc: Document, label: str, party: object, language: Language) -> None:
    """A party's masked name, then its handle on a line of its own (a Latin handle beside an Arabic
    name would be reordered by the bidirectional algorithm)."""
    if not isinstance(party, dict):
        doc.field(label, _OUTSIDE[language])
        return
    doc.field(label, str(party.get("display_name") or party.get("handle") or "-"))
    if party.get("handle"):
        doc.field("", f"@{party['handle']}")


def render_receipt(detail: dict[str, object], language: Language) -> bytes:
    t = {key: texts[language] for key, texts in _T.items()}
    doc = Document(title=t["title"], language=language)
    kind = str(detail["type"])
    status = str(detail["status"])
    currency = detail["currency"]
    doc.field(t["reference"], str(detail.get("reference") or "-"))
    doc.field(t["date"], when(datetime.fromisoformat(str(detail["created_at"])), language, ZONE))
    doc.field(t["type"], _TYPES.get(kind, {}).get(language, kind))
    doc.field(t["amount"], money(detail["amount"], currency, language))
    doc.field(t["fee"], money(detail.get("fee", "0.00"), currency, language))
    doc.field(t["status"], _STATUSES.get(status, {}).get(language, status))
    parties = cast(dict[str, object], detail["parties"])
    _party(doc, t["sender"], parties.get("sender"), language)
    _party(doc, t["recipient"], parties.get("recipient"), language)
    if detail.get("note"):
        doc.field(t["note"], str(detail["note"]))
    doc.note(t["footer"])
    return doc.render()
