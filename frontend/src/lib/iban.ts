// IBAN check (ISO 13616): the country's length and the mod-97 check digits. It catches a typo or
// a pasted card number before a withdrawal is requested; the bank stays the authority on whether
// the account exists.

/** Lengths for the countries a payout may go to; any other country needs 15-34 characters. */
const LENGTHS: Record<string, number> = { EG: 29, SA: 24, AE: 23, GB: 22, DE: 22, FR: 27 };

/** "eg38 0019 …" -> "EG380019…": spaces and dashes as people type them are dropped. */
export function normaliseIban(raw: string): string {
  return raw.replace(/[\s-]/g, "").toUpperCase();
}

/** The remainder of the IBAN's number form modulo 97 (1 for a valid one), digit by digit. */
function mod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const value = ch >= "A" ? ch.charCodeAt(0) - 55 : Number(ch);
    rest = (rest * (value > 9 ? 100 : 10) + value) % 97;
  }
  return rest;
}

/** A message key, or null for a well-formed IBAN whose check digits hold. */
export function validateIban(raw: string): string | null {
  const iban = normaliseIban(raw);
  if (!iban) return "v.required";
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return "v.iban";
  const expected = LENGTHS[iban.slice(0, 2)];
  if (expected ? iban.length !== expected : iban.length < 15 || iban.length > 34) return "v.iban_length";
  return mod97(iban) === 1 ? null : "v.iban_check";
}
