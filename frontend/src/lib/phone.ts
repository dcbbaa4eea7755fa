// Egyptian mobiles may be typed the way people say them (010 0123 4567, Arabic-Indic digits, a
// leading 00): the API stores and shows E.164 (+201001234567), so the app sends that form.

const ARABIC_INDIC = /[\u0660-\u0669\u06F0-\u06F9]/g;
// Separators people type inside a number; removed only from what turns out to be a phone.
const SEPARATORS = /[\s\-().\u200E\u200F]/g;
const LOCAL_EG_MOBILE = /^01\d{9}$/;
const E164 = /^\+[1-9]\d{7,14}$/;

/** ٠١٢ / ۰۱۲ (Arabic-Indic and Eastern Arabic-Indic digits) -> 012. */
export function westernDigits(raw: string): string {
  return raw.replace(ARABIC_INDIC, (d) => String((d.charCodeAt(0) & 0xf) % 10));
}

function compact(raw: string): string {
  const s = westernDigits(raw.trim()).replace(SEPARATORS, "");
  return s.startsWith("00") ? `+${s.slice(2)}` : s;
}

/** True for the local Egyptian mobile form, 01 then 9 digits (separators and Arabic digits allowed). */
export function isLocalPhone(raw: string): boolean {
  return LOCAL_EG_MOBILE.test(compact(raw));
}

/**
 * A phone as the API wants it: `01xxxxxxxxx` -> `+201xxxxxxxxx`, `0020...` -> `+20...`, spaces and
 * dashes dropped. Anything that is not a phone in either form comes back trimmed, unchanged, so
 * validation can refuse it.
 */
export function normalisePhone(raw: string): string {
  const s = compact(raw);
  if (LOCAL_EG_MOBILE.test(s)) return `+2${s}`;
  if (E164.test(s)) return s;
  return raw.trim();
}

/**
 * A recipient or username that may be a handle, an e-mail or a phone: only something that looks
 * like a phone (local or international) is rewritten; a handle loses its leading `@`.
 */
export function normaliseRecipient(raw: string): string {
  const phone = normalisePhone(raw);
  if (E164.test(phone)) return phone;
  return raw.trim().replace(/^@/, "");
}

export function isE164(raw: string): boolean {
  return E164.test(raw);
}
