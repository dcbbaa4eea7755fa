import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useI18n } from "../i18n/I18nProvider";
import { downloadReceipt, receiptText, shareReceipt, type ShareOutcome } from "../lib/receipt";
import { ErrorBanner } from "./ErrorBanner";
import "../webui.css";

interface ReceiptActionsProps {
  /** The transaction's id (a transfer's id is its transaction's). */
  transactionId: string;
  amount: string;
  currency?: string;
  /** The other party's masked name (or @handle). */
  counterparty: string;
  reference: string | null;
  /** When it happened (ISO 8601). */
  at: string;
  /** Money received names its sender ("From"); money sent, its recipient ("To"). */
  direction?: "in" | "out";
}

/**
 * "Share receipt" (the share sheet, or the clipboard with a confirmation where there is none) and
 * "Download receipt" (the PDF, saved as a file). On Send's and a paid link's success screens; a
 * transaction's details page can show the same buttons.
 */
export function ReceiptActions({ transactionId, amount, currency, counterparty, reference, at, direction = "out" }: ReceiptActionsProps) {
  const { t, lang, money, dateTime } = useI18n();
  const [shared, setShared] = useState<ShareOutcome | null>(null);
  useEffect(() => {
    if (shared !== "copied") return;
    const timer = setTimeout(() => setShared(null), 6000);
    return () => clearTimeout(timer);
  }, [shared]);
  const download = useMutation({ mutationFn: () => downloadReceipt(transactionId, reference, lang) });

  async function share() {
    const text = receiptText(
      { amount: money(amount, currency), counterparty, reference, at: dateTime(at) },
      { title: t("webui.receipt.title"), to: t(direction === "in" ? "webui.receipt.from" : "pay.to"), reference: t("flows.reference"), at: t("flows.when") },
    );
    setShared(await shareReceipt(t("webui.receipt.title"), text));
  }

  return (
    <div className="receipt-actions" data-testid="receipt-actions">
      <div className="actions">
        <button type="button" className="btn" onClick={() => void share()}>
          {t("webui.receipt.share")}
        </button>
        <button type="button" className="btn" onClick={() => download.mutate()} disabled={download.isPending}>
          {download.isPending ? t("webui.receipt.downloading") : t("webui.receipt.download")}
        </button>
      </div>
      <div role="status" className="receipt-status" data-testid="receipt-status">
        {shared === "copied" ? t("webui.receipt.copied") : shared === "failed" ? t("webui.receipt.copy_failed") : ""}
      </div>
      <ErrorBanner error={download.error} />
    </div>
  );
}
