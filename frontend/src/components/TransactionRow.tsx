import type { Transaction } from "../api/models";
import { useI18n } from "../i18n/I18nProvider";

/** Statuses shown on the row: a completed transaction needs no label. */
const LABELLED = new Set(["pending", "failed", "reversed"]);

export function TransactionRow({ tx }: { tx: Transaction }) {
  const { t, money, dateTime } = useI18n();
  const who = tx.counterparty ? tx.counterparty.display_name || `@${tx.counterparty.handle}` : t(`hist.type.${tx.type}`);
  const status = tx.status ?? "completed";
  // A failed or reversed amount did not move (or moved back): no +/−, struck through, so it is
  // never read as money in or out. A pending one keeps its sign but is dimmed until it settles.
  const moved = status !== "failed" && status !== "reversed";
  const sign = moved ? (tx.direction === "in" ? "+" : "−") : "";
  const amountClass = ["amount", tx.direction === "in" ? "in" : "out", status === "pending" ? "pending" : "", moved ? "" : "not-moved"]
    .filter(Boolean)
    .join(" ");
  return (
    <li className={`tx tx-${status}`} data-status={status}>
      <div className="tx-main">
        <strong>{who}</strong>
        <small className="muted">
          {t(`hist.type.${tx.type}`)} · {dateTime(tx.created_at)}
          {tx.note ? ` · ${tx.note}` : ""}
        </small>
      </div>
      <div className="tx-end">
        <div className={amountClass}>
          <bdi>
            {sign}
            {money(tx.amount, tx.currency)}
          </bdi>
        </div>
        {LABELLED.has(status) && (
          <span className={`status status-${status}`} data-testid="tx-status">
            {t(`tx.status.${status}`)}
          </span>
        )}
      </div>
    </li>
  );
}
