// The app's one place for numbers, money and dates in the user's language. Everything goes
// through Intl with the locale of localeFor(): the locale places the currency symbol ("EGP 1,250.50",
// "1,250.50 ج.م."), never string concatenation. Amounts arrive as decimal strings and are handed to
// Intl as strings (exact, even beyond 2^53), never through float arithmetic.
//
// Digits: Latin (0-9) in both languages ("-u-nu-latn" in Arabic). Phone numbers, handles, card
// and IBAN references, and what people type into amount and PIN fields are Latin on Egyptian
// phones; Arabic-Indic amounts beside them would mix two digit systems on one screen. Dates and
// counts follow the same locale, so a page has one digit system (docs/ARCHITECTURE.md,
// "Locale, numbers and charts"). Notification texts (notification-service, Babel) do the same.

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function localeFor(lang: string): string {
  return lang === "ar" ? "ar-EG-u-nu-latn" : "en-EG";
}

function numberFormat(lang: string, key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = `${lang}|${key}`;
  let fmt = numberFormats.get(id);
  if (!fmt) {
    fmt = new Intl.NumberFormat(localeFor(lang), options);
    numberFormats.set(id, fmt);
  }
  return fmt;
}

function dateFormat(lang: string, key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const id = `${lang}|${key}`;
  let fmt = dateFormats.get(id);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(localeFor(lang), options);
    dateFormats.set(id, fmt);
  }
  return fmt;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** An amount (decimal string or number) with its currency, 2 fraction digits, in `lang`. */
export function formatMoney(amount: string | number, lang: string, currency = "EGP"): string {
  const fmt = numberFormat(lang, `money:${currency}`, {
    style: "currency",
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  if (typeof amount === "number") return Number.isFinite(amount) ? fmt.format(amount) : String(amount);
  const text = amount.trim();
  // Intl formats a decimal string exactly (no rounding through a double).
  return DECIMAL.test(text) ? fmt.format(text as unknown as number) : amount;
}

/** Money for a chart axis: short ("EGP 1.2K", "1.2 ألف ج.م."), for ticks only, never for amounts read. */
export function formatMoneyCompact(amount: number, lang: string, currency = "EGP"): string {
  return numberFormat(lang, `compact:${currency}`, {
    style: "currency",
    currency,
    notation: "compact",
    maximumFractionDigits: 1,
  }).format(amount);
}

/** A count for a chart axis: short ("1.2K"), in the page's digits. */
export function formatNumberCompact(n: number, lang: string): string {
  return numberFormat(lang, "number:compact", { notation: "compact", maximumFractionDigits: 1 }).format(n);
}

/** A count or plain number in the page's digits. */
export function formatNumber(n: number, lang: string): string {
  return numberFormat(lang, "number", {}).format(n);
}

export function formatDateTime(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dateFormat(lang, "datetime", { dateStyle: "medium", timeStyle: "short" }).format(d);
}

/** A calendar day (YYYY-MM-DD, as the API gives days) read as that day, not shifted by time zone. */
function day(ymd: string): Date {
  return new Date(`${ymd.slice(0, 10)}T00:00:00Z`);
}

/** "3 Dec" / "3 ديسمبر": a day on a chart axis. */
export function formatDayShort(ymd: string, lang: string): string {
  return dateFormat(lang, "day-short", { day: "numeric", month: "short", timeZone: "UTC" }).format(day(ymd));
}

/** "3 December 2026" / "3 ديسمبر 2026": a day in full, in tooltips and tables (the month by name:
 * an all-number date with its separators reads ambiguously inside right-to-left text). */
export function formatDay(ymd: string, lang: string): string {
  return dateFormat(lang, "day", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(day(ymd));
}

/** "Dec 2026" / "ديسمبر 2026": a month by the locale's month name, never "12". */
export function formatMonth(ymd: string, lang: string): string {
  return dateFormat(lang, "month", { month: "short", year: "numeric", timeZone: "UTC" }).format(day(ymd));
}

export type Granularity = "day" | "week" | "month";

/** The label of a report period from its first day: a day, the week's first day, or the month. */
export function formatPeriod(startYmd: string, granularity: Granularity, lang: string, long = false): string {
  if (granularity === "month") return formatMonth(startYmd, lang);
  return long ? formatDay(startYmd, lang) : formatDayShort(startYmd, lang);
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * a − b for two decimal strings of at most 2 fraction digits, as a decimal string (e.g. the money
 * held: balance − available). Done in integer cents (BigInt), so it is exact, unlike floats.
 */
export function subtractMoney(a: string, b: string): string {
  const diff = toCents(a) - toCents(b);
  const sign = diff < 0n ? "-" : "";
  const abs = diff < 0n ? -diff : diff;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

function toCents(amount: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!m) throw new Error(`not a money amount: ${amount}`);
  const cents = BigInt(m[2]) * 100n + BigInt((m[3] ?? "").padEnd(2, "0"));
  return m[1] ? -cents : cents;
}
