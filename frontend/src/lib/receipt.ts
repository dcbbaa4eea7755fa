// A transaction's receipt outside the app: a short text for the share sheet (or the clipboard),
// and the PDF the transaction service renders (GET /transactions/{id}/receipt.pdf, in the user's
// language). Used by the success screens of Send and of a paid link, and by any screen that shows
// one transaction (components/ReceiptActions.tsx is the buttons).

import { paymentsApi } from "../api/payments";
import { saveResponse } from "./download";

/** What a receipt says about its payment, already formatted in the user's language. */
export interface ReceiptFacts {
  /** The formatted amount ("EGP 125.50"). */
  amount: string;
  /** The other party's masked name (or @handle). */
  counterparty: string;
  reference: string | null;
  /** The formatted time. */
  at: string;
}

/**
 * The text shared or copied: one fact a line, the labels in the user's language. Names and
 * numbers are isolated (FSI … PDI, the plain-text form of <bdi>) so a Latin name or an amount
 * keeps its order inside an Arabic line in whatever app receives it.
 */
export function receiptText(facts: ReceiptFacts, labels: { title: string; to: string; reference: string; at: string }): string {
  const iso = (s: string) => `\u2068${s}\u2069`;
  const lines = [labels.title, iso(facts.amount), `${labels.to}: ${iso(facts.counterparty)}`];
  if (facts.reference) lines.push(`${labels.reference}: ${iso(facts.reference)}`);
  lines.push(`${labels.at}: ${iso(facts.at)}`);
  return lines.join("\n");
}

export type ShareOutcome = "shared" | "copied" | "cancelled" | "failed";

/**
 * The phone's share sheet where the browser has one (Web Share API), else the clipboard. Closing
 * the sheet is "cancelled" (nothing to say); a browser that refuses to share falls back to copying.
 */
export async function shareReceipt(title: string, text: string): Promise<ShareOutcome> {
  if (typeof navigator !== "undefined" && typeof navigator.share === "function") {
    try {
      await navigator.share({ title, text });
      return "shared";
    } catch (err) {
      if ((err as Error).name === "AbortError") return "cancelled";
      // NotAllowedError and the like: copying still gets the text out.
    }
  }
  try {
    await navigator.clipboard.writeText(text);
    return "copied";
  } catch {
    return "failed";
  }
}

/** Fetches the transaction's PDF receipt in the reader's language with the session (the API client's auth and refresh) and saves it. */
export async function downloadReceipt(transactionId: string, reference: string | null, lang: string): Promise<void> {
  const resp = await paymentsApi.receipt(transactionId, lang);
  await saveResponse(resp, `instapay-receipt-${reference ?? transactionId}.pdf`);
}
