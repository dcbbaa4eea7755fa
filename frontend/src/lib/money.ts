// EGP amounts formatted for the user's language (en-EG / ar-EG). Amounts arrive as decimal
// strings; formatting goes through Intl with 2 fraction digits, never through arithmetic.

const formatters = new Map<string, Intl.NumberFormat>();

export function localeFor(lang: string): string {
  return lang === "ar" ? "ar-EG" : "en-EG";
}

export function formatMoney(amount: string | number, lang: string, currency = "EGP"): string {
  const locale = localeFor(lang);
  const key = `${locale}|${currency}`;
  let fmt = formatters.get(key);
  if (!fmt) {
    fmt = new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
    formatters.set(key, fmt);
  }
  const n = typeof amount === "number" ? amount : Number(amount);
  return Number.isFinite(n) ? fmt.format(n) : String(amount);
}

export function formatDateTime(iso: string, lang: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(localeFor(lang), { dateStyle: "medium", timeStyle: "short" }).format(d);
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
