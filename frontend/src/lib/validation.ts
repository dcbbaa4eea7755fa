// Client-side checks that mirror the API's (the server checks again; these give instant feedback).
// Each returns a message key (see i18n/messages.ts) or null when the value is fine.
import { isE164, normalisePhone, normaliseRecipient, westernDigits } from "./phone";
import { isWeakPin } from "./pin";

export const MAX_PER_TRANSACTION = 70000;
const AMOUNT_RE = /^\d{1,9}(\.\d{1,2})?$/;
const HANDLE_RE = /^[a-z0-9._]{3,30}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PIN_RE = /^\d{6}$/;
const CODE_RE = /^\d{6}$/;

export type MessageKey = string;

export function validateAmount(raw: string, max: number = MAX_PER_TRANSACTION): MessageKey | null {
  const value = raw.trim();
  if (!value) return "v.amount_required";
  if (!AMOUNT_RE.test(value)) return "v.amount_format";
  // Compare in integer piastres: never trust float arithmetic with money.
  const [whole, frac = ""] = value.split(".");
  const piastres = Number(whole) * 100 + Number(frac.padEnd(2, "0"));
  if (piastres <= 0) return "v.amount_positive";
  if (piastres > max * 100) return "v.amount_max";
  return null;
}

/** E.164 or the local Egyptian form 01xxxxxxxxx (sent as E.164: lib/phone.ts). */
export function validatePhone(raw: string): MessageKey | null {
  return isE164(normalisePhone(raw)) ? null : "v.phone";
}

export function validateHandle(raw: string, optional = false): MessageKey | null {
  const value = raw.trim();
  if (!value && optional) return null;
  return HANDLE_RE.test(value) ? null : "v.handle";
}

export function validateEmail(raw: string): MessageKey | null {
  return EMAIL_RE.test(raw.trim()) ? null : "v.email";
}

/** A PIN being entered to confirm a payment: its format only. */
export function validatePin(raw: string): MessageKey | null {
  return PIN_RE.test(raw) ? null : "v.pin";
}

/** A PIN being chosen (set or changed): also not one of the easily guessed ones (lib/pin.ts). */
export function validateNewPin(raw: string): MessageKey | null {
  return validatePin(raw) ?? (isWeakPin(raw) ? "v.pin_weak" : null);
}

/** A one-time code from an SMS or e-mail: 6 digits (Arabic-Indic digits accepted). */
export function validateCode(raw: string): MessageKey | null {
  return CODE_RE.test(normaliseCode(raw)) ? null : "v.code";
}

export function normaliseCode(raw: string): string {
  return westernDigits(raw).replace(/\s/g, "");
}

/** The auth service's rule: 10-128 characters mixing at least three of lower case, upper case,
 * digits and symbols (it also refuses common passwords, which only it can know). */
export function validatePassword(raw: string): MessageKey | null {
  if (raw.length < 10 || raw.length > 128) return "v.password_length";
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(raw)).length;
  if (classes < 3) return "v.password_mix";
  return null;
}

export function validateRecipient(raw: string): MessageKey | null {
  const value = normaliseRecipient(raw);
  if (!value) return "v.recipient_required";
  if (isE164(value) || validateEmail(value) === null || validateHandle(value) === null) return null;
  return "v.recipient";
}

export function validateRequired(raw: string): MessageKey | null {
  return raw.trim() ? null : "v.required";
}

/** Normalises "1,250.5" style input to the API's decimal string ("1250.50" is not needed: "1250.5" is valid). */
export function normaliseAmount(raw: string): string {
  return raw.trim().replace(/,/g, "");
}
