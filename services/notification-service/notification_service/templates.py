"""Notification texts in English and Arabic, chosen by the recipient's language preference.

Each template is (title, body) formatted with the notification's `data`; the same text serves
in-app, e-mail (title = subject) and SMS (title + body). Unknown language -> English.

Amounts are not in the data as text: `amount_text` and `balance_text` are formatted here, in the
text's language (money_text), so a notification stored in one language renders in another when
read. In Arabic every inserted value is wrapped in Unicode isolates (FSI ... PDI, the plain-text
`<bdi>`): a name ending in "." or a "+20..." phone stays in its own order inside right-to-left text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from instapay_common.money_text import format_money

DEFAULT_LANGUAGE = "en"

# A name never ends a sentence here: a masked name ends with its own full stop ("Bassem Y."), and
# another one after it read "Bassem Y..". Nor does an amount in Arabic: the Egyptian pound's
# symbol is "ج.م.". (tests/test_templates_punctuation.py keeps it so.)
TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "transfer.sent": {
        "en": (
            "You sent {amount_text}",
            "You sent {amount_text} to {counterparty}; your balance is {balance_text}.",
        ),
        "ar": (
            "أرسلت {amount_text}",
            "أرسلت {amount_text} إلى {counterparty}، ورصيدك الآن {balance_text}",
        ),
    },
    "transfer.received": {
        "en": (
            "You received {amount_text}",
            "{counterparty} sent you {amount_text}. Balance: {balance_text}.",
        ),
        "ar": (
            "استلمت {amount_text}",
            "أرسل لك {counterparty} مبلغ {amount_text}، والرصيد الآن {balance_text}",
        ),
    },
    # refunds: a refund, a reversal after a dispute, and the dispute's own steps.
    "refund.sent": {
        "en": (
            "You refunded {amount_text}",
            "You gave {amount_text} back to {counterparty} for the transfer {original_reference}.",
        ),
        "ar": (
            "رددت {amount_text}",
            "رددت {amount_text} إلى {counterparty} عن التحويل {original_reference}",
        ),
    },
    "refund.received": {
        "en": (
            "Refund of {amount_text}",
            "{counterparty} refunded {amount_text} of your transfer {original_reference}.",
        ),
        "ar": (
            "استرداد {amount_text}",
            "رد إليك {counterparty} مبلغ {amount_text} من تحويلك {original_reference}",
        ),
    },
    "reversal.debited": {
        "en": (
            "A transfer to you was reversed",
            "After a dispute, {amount_text} of the transfer {original_reference} went back to {counterparty}; "
            "your balance is {balance_text}.",
        ),
        "ar": (
            "تم عكس تحويل إليك",
            "بعد مراجعة نزاع أعيد {amount_text} من التحويل {original_reference} إلى {counterparty}، "
            "ورصيدك الآن {balance_text}",
        ),
    },
    "reversal.credited": {
        "en": (
            "{amount_text} returned to you",
            "Your dispute was upheld: {amount_text} of the transfer {original_reference} is back in your wallet. "
            "Balance: {balance_text}.",
        ),
        "ar": (
            "أعيد إليك {amount_text}",
            "تم قبول نزاعك وأعيد {amount_text} من التحويل {original_reference} إلى محفظتك، والرصيد الآن {balance_text}",
        ),
    },
    "dispute.opened": {
        "en": (
            "We received your report {reference}",
            "We are looking into your transfer {transfer_reference} of {amount_text} to {counterparty} "
            "and will tell you the outcome.",
        ),
        "ar": (
            "استلمنا بلاغك {reference}",
            "نراجع تحويلك {transfer_reference} بمبلغ {amount_text} إلى {counterparty} وسنبلغك بالنتيجة.",
        ),
    },
    "dispute.rejected": {
        "en": (
            "Your report {reference} was closed",
            "After review, the transfer {transfer_reference} stands as made; nothing was reversed.",
        ),
        "ar": (
            "تم إغلاق بلاغك {reference}",
            "بعد المراجعة يبقى التحويل {transfer_reference} كما تم ولم يُعكس أي مبلغ.",
        ),
    },
    "dispute.reversed": {
        "en": (
            "Your report {reference} was upheld",
            "The transfer {transfer_reference} was reversed; the money is back in your wallet.",
        ),
        "ar": (
            "تم قبول بلاغك {reference}",
            "تم عكس التحويل {transfer_reference} وعاد المبلغ إلى محفظتك.",
        ),
    },
    "topup.completed": {
        "en": (
            "Top-up of {amount_text}",
            "Your wallet was topped up with {amount_text}. Balance: {balance_text}.",
        ),
        "ar": (
            "شحن بمبلغ {amount_text}",
            "تم شحن محفظتك بمبلغ {amount_text}، والرصيد الآن {balance_text}",
        ),
    },
    "withdrawal.completed": {
        "en": (
            "Withdrawal of {amount_text}",
            "{amount_text} was withdrawn to your bank account. Balance: {balance_text}.",
        ),
        "ar": (
            "سحب بمبلغ {amount_text}",
            "تم سحب {amount_text} إلى حسابك البنكي. الرصيد: {balance_text}",
        ),
    },
    "withdrawal.failed": {
        "en": (
            "Withdrawal of {amount_text} failed",
            "Your withdrawal of {amount_text} could not be paid out ({reason}). The money is back in your wallet.",
        ),
        "ar": (
            "فشل سحب {amount_text}",
            "تعذر تحويل {amount_text} إلى حسابك البنكي ({reason}). عاد المبلغ إلى محفظتك.",
        ),
    },
    "topup.failed": {
        "en": (
            "Top-up of {amount_text} failed",
            "Your bank did not confirm the top-up of {amount_text} ({reason}). Nothing was charged.",
        ),
        "ar": (
            "فشل شحن {amount_text}",
            "لم يؤكد البنك شحن {amount_text} ({reason}). لم يتم خصم أي مبلغ.",
        ),
    },
    "scheduled_transfer.failed": {
        "en": (
            "Scheduled transfer of {amount_text} failed",
            "Your scheduled transfer of {amount_text} to {counterparty} did not go through ({reason}). "
            "Nothing was sent.",
        ),
        "ar": (
            "تعذر التحويل المجدول بمبلغ {amount_text}",
            "لم يتم تحويلك المجدول بمبلغ {amount_text} إلى {counterparty} ({reason_ar}). لم يُرسل أي مبلغ.",
        ),
    },
    "payment_request.received": {
        "en": ("Payment request from {counterparty}", "{counterparty} asks you to pay {amount_text}."),
        "ar": ("طلب دفع من {counterparty}", "يطلب منك {counterparty} دفع {amount_text}"),
    },
    "payment_request.sent": {
        "en": ("Payment request sent", "You asked {counterparty} to pay {amount_text}."),
        "ar": ("تم إرسال طلب الدفع", "طلبت من {counterparty} دفع {amount_text}"),
    },
    "payment_request.accepted": {
        "en": ("Payment request paid", "The request for {amount_text} between you and {counterparty} was paid."),
        "ar": ("تم دفع طلب الدفع", "تم دفع الطلب بمبلغ {amount_text} بينك وبين {counterparty}"),
    },
    "payment_request.declined": {
        "en": (
            "Payment request declined",
            "The request for {amount_text} between you and {counterparty} was declined.",
        ),
        "ar": ("تم رفض طلب الدفع", "تم رفض الطلب بمبلغ {amount_text} بينك وبين {counterparty}"),
    },
    "payment_request.cancelled": {
        "en": (
            "Payment request cancelled",
            "The request for {amount_text} between you and {counterparty} was cancelled.",
        ),
        "ar": ("تم إلغاء طلب الدفع", "تم إلغاء الطلب بمبلغ {amount_text} بينك وبين {counterparty}"),
    },
    "account.welcome": {
        "en": ("Welcome to InstaPay", "Hello {full_name}, your account @{handle} is ready."),
        "ar": ("مرحبًا بك في إنستاباي", "مرحبًا {full_name}، حسابك ‎@{handle} جاهز."),
    },
    "security.login": {
        "en": (
            "New sign-in to your account",
            "A new sign-in from {ip} ({user_agent}). If this was not you, change your password.",
        ),
        "ar": ("تسجيل دخول جديد إلى حسابك", "تسجيل دخول جديد من {ip} ({user_agent}). إن لم يكن أنت فغيّر كلمة المرور."),
    },
    "security.password_changed": {
        "en": ("Your password was changed", "Your password was changed. If this was not you, contact support now."),
        "ar": ("تم تغيير كلمة المرور", "تم تغيير كلمة المرور الخاصة بك. إن لم يكن أنت فتواصل مع الدعم فورًا."),
    },
    "security.pin_changed": {
        "en": (
            "Your transaction PIN was {pin_action}",
            "Your transaction PIN was {pin_action}. If this was not you, contact support now.",
        ),
        "ar": (
            "تم {pin_action_ar} رمز المعاملات",
            "تم {pin_action_ar} رمز المعاملات الخاص بك. إن لم يكن أنت فتواصل مع الدعم فورًا.",
        ),
    },
    "security.pin_locked": {
        "en": (
            "Your transaction PIN is locked",
            "Five wrong PINs in a row: payments with your PIN are blocked for {lock_minutes} minutes. "
            "If this was not you, change your password now. You can set a new PIN with your password at any time.",
        ),
        "ar": (
            "تم قفل رمز المعاملات",
            "تم إدخال رمز معاملات خاطئ خمس مرات متتالية، لذا تم إيقاف الدفع برمزك لمدة {lock_minutes} دقيقة. "
            "إن لم يكن أنت فغيّر كلمة المرور فورًا. يمكنك تعيين رمز جديد بكلمة المرور في أي وقت.",
        ),
    },
    "security.password_reset": {
        "en": (
            "Your password was reset",
            "Your password was reset with a code; every session and API client was signed out. "
            "If this was not you, contact support now.",
        ),
        "ar": (
            "تمت إعادة تعيين كلمة المرور",
            "تمت إعادة تعيين كلمة المرور برمز تحقق وتم إنهاء كل الجلسات وعملاء API. "
            "إن لم يكن أنت فتواصل مع الدعم فورًا.",
        ),
    },
    "security.contact_changed": {
        "en": (
            "Your {channel_name} was changed",
            "The {channel_name} of your account was changed; verify the new one. "
            "If this was not you, contact support now.",
        ),
        "ar": (
            "تم تغيير {channel_name_ar}",
            "تم تغيير {channel_name_ar} الخاص بحسابك؛ قم بتأكيد الجديد. إن لم يكن أنت فتواصل مع الدعم فورًا.",
        ),
    },
    "security.contact_claim_dropped": {
        "en": (
            "Set a new {channel_name}",
            "Another account verified the {channel_name} you registered with, so it is no longer yours "
            "on InstaPay. Set a new {channel_name} in your profile and verify it.",
        ),
        "ar": (
            "أضف {channel_name_ar} جديدًا",
            "قام حساب آخر بتأكيد {channel_name_ar} الذي سجلت به، فلم يعد مرتبطًا بحسابك في إنستاباي. "
            "أضف {channel_name_ar} جديدًا من ملفك الشخصي وقم بتأكيده.",
        ),
    },
    "security.api_client_created": {
        "en": ("New API client: {client_name}", 'An API client "{client_name}" was created with scopes: {scopes}.'),
        "ar": ("عميل API جديد: {client_name}", 'تم إنشاء عميل API باسم "{client_name}" بالصلاحيات: {scopes}.'),
    },
    "webhook.endpoint_disabled": {
        "en": ("Webhook endpoint disabled", "Webhooks to {url} were stopped: {why}. Fix the receiver, then enable it."),
        "ar": ("تم إيقاف نقطة webhook", "تم إيقاف إرسال webhooks إلى {url}: {why_ar}. أصلح المستقبل ثم أعد تفعيلها."),
    },
    # web-admin: an operator froze or unfroze the owner's wallet.
    "wallet.frozen": {
        "en": (
            "Your wallet is frozen",
            "Your wallet was frozen: {reason}. You cannot send, receive, top up or withdraw money until it is "
            "unfrozen. To resolve this, contact support at {support_contact}.",
        ),
        "ar": (
            "تم تجميد محفظتك",
            "تم تجميد محفظتك: {reason}. لا يمكنك إرسال الأموال أو استلامها أو شحن المحفظة أو السحب منها حتى يُلغى "
            "التجميد. لحل ذلك تواصل مع الدعم على \u2066{support_contact}\u2069.",
        ),
    },
    "wallet.unfrozen": {
        "en": (
            "Your wallet is active again",
            "Your wallet was unfrozen; you can send and receive money again. Questions: {support_contact}.",
        ),
        "ar": (
            "عادت محفظتك للعمل",
            "تم إلغاء تجميد محفظتك؛ يمكنك إرسال الأموال واستلامها من جديد. للاستفسار: \u2066{support_contact}\u2069.",
        ),
    },
}


RTL_LANGUAGES = frozenset({"ar"})
FSI, PDI = "\u2068", "\u2069"


def _isolate(value: Any) -> Any:
    return f"{FSI}{value}{PDI}" if isinstance(value, str) and value else value


class _Blank(dict[str, Any]):
    """Missing template fields render empty instead of failing the whole notification."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str
    language: str


def render(kind: str, language: str | None, data: dict[str, Any]) -> Rendered:
    variants = TEMPLATES[kind]
    lang = language if language in variants else DEFAULT_LANGUAGE
    title, body = variants[lang]
    values = _Blank({k: ("" if v is None else v) for k, v in data.items()})
    if "amount" in data:
        values["amount_text"] = format_money(data["amount"], data.get("currency"), lang)
    if data.get("balance_after") is not None:
        values["balance_text"] = format_money(data["balance_after"], data.get("currency"), lang)
    if lang in RTL_LANGUAGES:
        values = _Blank({k: _isolate(v) for k, v in values.items()})
    return Rendered(title.format_map(values), body.format_map(values), lang)
